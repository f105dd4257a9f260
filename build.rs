//! Generates the stubs of every `.proto` file at the top of `proto/`, api.Api's proto3 JSON
//! mapping, the encoded descriptor set of the built-in services, that of the admin service
//! (`mock.proto`, apart, since it is served only beside stubs), and the descriptor set of the
//! `google.rpc` error model (`proto/google/rpc/`), which error details decode through. protox
//! parses the files in pure Rust, so no system `protoc` is needed.

use std::{
    env, fs, io,
    path::{Path, PathBuf},
};

use prost::Message;

/// The admin service of serve as a test double, in `proto/`.
const MOCK_PROTO: &str = "mock.proto";

fn main() -> io::Result<()> {
    let proto_dir = PathBuf::from("proto");
    println!("cargo:rerun-if-changed={}", proto_dir.display());

    let mut protos = Vec::new();
    for entry in fs::read_dir(&proto_dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|ext| ext == "proto") {
            println!("cargo:rerun-if-changed={}", path.display());
            protos.push(path);
        }
    }
    protos.sort();

    let fds = protox::compile(&protos, [&proto_dir]).map_err(io::Error::other)?;
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    rpc_descriptor_set(&proto_dir, &out_dir)?;
    mock_descriptor_set(&proto_dir, &out_dir)?;
    // What a server of the built-in services describes: the admin service is served (and
    // described, from its own set) only beside stubs.
    let built_in = protos.iter().filter(|path| !path.ends_with(MOCK_PROTO));
    let encoded = protox::compile(built_in, [&proto_dir])
        .map_err(io::Error::other)?
        .encode_to_vec();
    fs::write(out_dir.join("descriptor_set.bin"), &encoded)?;

    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        .compile_fds(fds)?;

    pbjson_build::Builder::new()
        .register_descriptors(&encoded)?
        .build(&[".api"])?;
    Ok(())
}

/// `mock.proto` alone, with the `google/protobuf` files it imports and its comments, so that a
/// server whose services come from the user's descriptors can describe its admin service
/// without describing api.Api and routeguide.RouteGuide too.
fn mock_descriptor_set(proto_dir: &Path, out_dir: &Path) -> io::Result<()> {
    let encoded = protox::Compiler::new([proto_dir])
        .and_then(|mut compiler| {
            compiler
                .include_imports(true)
                .include_source_info(true)
                .open_files([MOCK_PROTO])?;
            Ok(compiler.encode_file_descriptor_set())
        })
        .map_err(io::Error::other)?;
    fs::write(out_dir.join("mock_descriptor_set.bin"), encoded)
}

/// `google/rpc/status.proto` and `error_details.proto` with the `google/protobuf` files they
/// import, without source info, for decoding status details at run time. No code is generated
/// for them, and they stay out of api's descriptor set.
fn rpc_descriptor_set(proto_dir: &Path, out_dir: &Path) -> io::Result<()> {
    let files = ["google/rpc/status.proto", "google/rpc/error_details.proto"];
    for file in files {
        println!("cargo:rerun-if-changed={}", proto_dir.join(file).display());
    }
    let encoded = protox::Compiler::new([proto_dir])
        .and_then(|mut compiler| {
            compiler
                .include_imports(true)
                .include_source_info(false)
                .open_files(files)?;
            Ok(compiler.encode_file_descriptor_set())
        })
        .map_err(io::Error::other)?;
    fs::write(out_dir.join("rpc_descriptor_set.bin"), encoded)
}
