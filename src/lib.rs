//! apicli: a command-line gRPC client for any service, and a server to try it on.
//!
//! `main` hands the command line to [`run`], which returns the exit code; everything else is
//! here so tests can reach it.

pub mod app;
pub mod bench;
pub mod call;
pub mod cli;
pub mod client;
pub mod complete;
pub mod connect;
pub mod describe;
pub mod descriptors;
pub mod details;
pub mod exit;
pub mod explore;
pub mod headers;
pub mod output;
pub mod proxy;
pub mod server;
pub mod settings;
pub mod spanned;
pub mod stop;
pub mod stubs;
pub mod template;
pub mod tls;
pub mod transport;
pub mod whole_file;

/// The stub, messages and proto3 JSON mapping generated at build time from `proto/api.proto`.
pub mod api {
    #![allow(clippy::all, missing_docs, non_camel_case_types)]
    tonic::include_proto!("api");
    include!(concat!(env!("OUT_DIR"), "/api.serde.rs"));

    /// The encoded `FileDescriptorSet` of every file in `proto/` but `mock.proto` (the admin
    /// service, served only beside stubs: see `mock::FILE_DESCRIPTOR_SET`), for server
    /// reflection.
    pub const FILE_DESCRIPTOR_SET: &[u8] =
        include_bytes!(concat!(env!("OUT_DIR"), "/descriptor_set.bin"));
}

/// The route-mapping example of the gRPC guides (`proto/route_guide.proto`), which `serve` offers
/// so that every RPC kind can be tried.
pub mod routeguide {
    #![allow(clippy::all, missing_docs)]
    tonic::include_proto!("routeguide");
}

/// The admin service of `apicli serve` as a test double (`proto/mock.proto`): the call journal,
/// verification and the stubs being served.
pub mod mock {
    #![allow(clippy::all, missing_docs)]
    tonic::include_proto!("apicli.mock.v1");

    /// The encoded `FileDescriptorSet` of `proto/mock.proto` and its imports, for reflection and
    /// the Connect layer of a server that serves the admin service beside the user's services.
    pub const FILE_DESCRIPTOR_SET: &[u8] =
        include_bytes!(concat!(env!("OUT_DIR"), "/mock_descriptor_set.bin"));
}

pub use app::run;
