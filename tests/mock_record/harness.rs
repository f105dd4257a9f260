//! The recorder in front of a live server, and the calls the tests make through it.

use std::{
    fs,
    path::{Path, PathBuf},
    process::Output,
};

use apicli::{
    server::{
        BearerAuth,
        record::{RecordOptions, RecordService},
    },
    transport::Channel,
};
use prost_reflect::DescriptorPool;

use crate::common::{apicli, output_of, run_with_input, serve_in_background, stderr, stdout};

/// A recorder on 127.0.0.1:0 that forwards to `upstream` and writes into `dir`; its URL.
pub fn recorder(upstream: &str, dir: &Path, options: RecordOptions) -> String {
    recorder_behind(upstream, dir, options, None)
}

/// A recorder that requires `token`, when given, of its own callers.
pub fn recorder_behind(
    upstream: &str,
    dir: &Path,
    options: RecordOptions,
    token: Option<&'static str>,
) -> String {
    let upstream = format!("http://{upstream}");
    let dir = dir.to_owned();
    let addr = serve_in_background(move || async move {
        let channel = tonic::transport::Endpoint::from_shared(upstream)
            .unwrap()
            .connect_lazy();
        let pool = DescriptorPool::decode(apicli::api::FILE_DESCRIPTOR_SET).unwrap();
        let record = RecordService::new(Channel::grpc(channel), pool, &dir, options).unwrap();
        let auth = token.map(BearerAuth::new);
        let routes = record.routes(tonic::service::Routes::default(), auth.as_ref());
        tonic::transport::Server::builder().add_routes(routes)
    });
    format!("http://{addr}")
}

/// `apicli call METHOD --addr ADDR ARGS…`, with `input` on stdin when given (`-d @-`).
pub fn call(addr: &str, method: &str, args: &[&str], input: Option<&str>) -> Output {
    let mut cmd = apicli();
    cmd.args(["call", method, "--addr", addr, "-o", "json"])
        .args(args);
    match input {
        Some(input) => run_with_input(cmd.args(["-d", "@-"]), input),
        None => output_of(&mut cmd),
    }
}

/// The same call straight to `live` and through `recorder`: same exit code, same stdout, same
/// stderr (the address aside).
pub fn same_answer(live: &str, recorder: &str, method: &str, args: &[&str], input: Option<&str>) {
    let direct = call(live, method, args, input);
    let recorded = call(recorder, method, args, input);
    assert_eq!(
        recorded.status.code(),
        direct.status.code(),
        "{method}: {}",
        stderr(&recorded)
    );
    assert_eq!(stdout(&recorded), stdout(&direct), "{method}");
    assert_eq!(
        shown(&stderr(&recorded), recorder),
        shown(&stderr(&direct), live),
        "{method}"
    );
}

/// What `-v` and errors say, but the address and what changes from one call to the next (the
/// date, how long the call took).
pub fn shown(stderr: &str, addr: &str) -> String {
    stderr
        .replace(addr, "ADDR")
        .lines()
        .filter(|line| !line.starts_with("  date: "))
        .map(|line| match line.split_once(" after ") {
            Some((status, _)) if line.starts_with("apicli: status ") => status,
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The stub files in `dir`, by name.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    files
}

pub fn name(path: &Path) -> &str {
    path.file_name().unwrap().to_str().unwrap()
}
