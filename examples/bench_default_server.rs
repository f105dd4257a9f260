//! The baseline for `bench/run.sh`: api.Api served by a tonic server with every setting left at
//! its default (no layers, no limits, no logging, no health or reflection), on 127.0.0.1 with an
//! OS-chosen port. Prints `listening on ADDR` to stderr, then serves until killed.
//!
//! Run: cargo run --release --example bench_default_server

use std::time::Duration;

use apicli::{api::api_server::ApiServer, server::ApiService};
use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::transport::Server;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    eprintln!("listening on {}", listener.local_addr()?);
    Server::builder()
        .add_service(ApiServer::new(ApiService::new(Duration::ZERO, 1_000_000)))
        .serve_with_incoming(TcpListenerStream::new(listener))
        .await?;
    Ok(())
}
