//! What the client says when a server refuses a request for its size, and when the server at
//! the address is not a gRPC server at all but answers in HTTP/1.1.

mod common;

use std::{
    io::{Read, Write},
    net::TcpListener,
    thread,
    time::Duration,
};

use apicli::{api::api_server::ApiServer, server::ApiService};
use common::{Server, assert_exit, run, serve_in_background, stderr};

/// A name that makes a sayHello request of 2003 bytes.
fn long_name() -> String {
    "x".repeat(2000)
}

#[test]
fn a_servers_refusal_of_a_big_request_is_shown_as_it_sent_it() {
    // A plain tonic server, which refuses with OUT_OF_RANGE in the words tonic uses for any
    // message over a limit, the client's own included.
    let addr = serve_in_background(|| async {
        let api =
            ApiServer::new(ApiService::new(Duration::ZERO, 10)).max_decoding_message_size(1024);
        tonic::transport::Server::builder().add_service(api)
    });
    let refused = "apicli: error: OUT_OF_RANGE: Error, decoded message length too large: \
                   found 2003 bytes, the limit is: 1024 bytes\n";
    // The client's limit is another, or the same: the refusal is still the server's.
    for limit in ["64MiB", "1KiB"] {
        let output = run(&[
            "hello",
            &long_name(),
            "--addr",
            &addr,
            "--max-message-size",
            limit,
        ]);
        assert_eq!(stderr(&output), refused, "--max-message-size {limit}");
        assert_exit(&output, 64 + 11);
    }
}

#[test]
fn serve_refuses_a_request_over_its_limit_with_resource_exhausted() {
    let server = Server::start(&["--max-request-size", "1KiB"]);
    let output = run(&["hello", &long_name(), "--addr", &server.url()]);
    assert_eq!(
        stderr(&output),
        "apicli: error: RESOURCE_EXHAUSTED: request message of 2003 bytes is over this server's \
         limit of 1024 (--max-request-size)\n"
    );
    assert_exit(&output, 72);

    // In a bidi call the reply had begun: the refusal comes in the trailers.
    let note = format!(r#"{{"message":"{}"}}"#, long_name());
    let output = run(&[
        "call",
        "routeguide.RouteGuide/RouteChat",
        "-d",
        &note,
        "--addr",
        &server.url(),
    ]);
    assert_eq!(
        stderr(&output),
        "apicli: error: RESOURCE_EXHAUSTED: request message of 2003 bytes is over this server's \
         limit of 1024 (--max-request-size) (1 message sent, 0 arrived)\n"
    );
    assert_exit(&output, 72);
}

/// A server that answers anything with an HTTP/1.1 400, as a web server does to an HTTP/2
/// preface, for up to `connections` connections. Returns `127.0.0.1:PORT`.
fn http1_server(connections: usize) -> String {
    web_server(
        connections,
        b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    )
}

/// A server that answers anything with `answer`, for up to `connections` connections.
fn web_server(connections: usize, answer: &'static [u8]) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    thread::spawn(move || {
        for stream in listener.incoming().take(connections) {
            let Ok(mut stream) = stream else { continue };
            thread::spawn(move || {
                let mut buf = [0; 4096];
                let _ = stream.read(&mut buf);
                let _ = stream.write_all(answer);
                // Read on until the client leaves, as servers do before they close, so that
                // the answer is not lost to a reset.
                let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                while matches!(stream.read(&mut buf), Ok(n) if n > 0) {}
            });
        }
    });
    addr
}

#[test]
fn an_http1_server_is_named_as_one() {
    let addr = http1_server(20);
    let expected = format!(
        "apicli: error: the server at {addr} answered in HTTP/1.1: it is not a gRPC server over \
         HTTP/2 (a Connect or gRPC-Web server, or a plain web server?); for gRPC-Web try \
         --protocol grpc-web\n"
    );
    for args in [
        &["hello", "x"][..],
        &["call", "api.Api/sayHello", "-d", "{}"][..],
        &["list"][..],
    ] {
        let output = run(&[args, &["--addr", &addr]].concat());
        assert_eq!(stderr(&output), expected, "apicli {args:?}");
        assert_exit(&output, 1);
    }
}

/// Python's http.server answers the preface's "PRI * HTTP/2.0" with an error page and no status
/// line: that too is named as a server that does not speak HTTP/2.
#[test]
fn a_web_server_answering_in_plain_text_is_named_as_one() {
    let addr = web_server(
        5,
        b"<!DOCTYPE HTML>\n<html lang=\"en\">\n<p>Error code: 505</p>\n</html>\n",
    );
    let output = run(&["hello", "x", "--addr", &addr]);
    assert_eq!(
        stderr(&output),
        format!(
            "apicli: error: the server at {addr} answered in plain text: it is not a gRPC server \
             over HTTP/2 (a Connect or gRPC-Web server, or a plain web server?); for gRPC-Web \
             try --protocol grpc-web\n"
        )
    );
    assert_exit(&output, 1);
}
