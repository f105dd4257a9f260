//! Every flag that names a file, read from a FIFO, a process substitution (`<(…)`), a device that
//! never ends, the wrong file, a folder and a file over its bound: the real binary, and a real
//! `apicli serve` where the flag is used in a call.

mod common;

use std::{
    fs::OpenOptions,
    io::Write as _,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
    thread,
    time::{Duration, Instant},
};

use common::{
    ChildGuard, Server, apicli, assert_exit, read_all_in_background, run, stderr, stdout,
};

const MIB: u64 = 1024 * 1024;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Makes a FIFO at `dir/name`, and a thread that writes `content` into it once a reader opens
/// it. A reader that stops early ends the writer with a broken pipe.
fn fifo(dir: &Path, name: &str, content: Vec<u8>) -> String {
    let path = dir.join(name);
    make_fifo(&path);
    thread::spawn(move || {
        if let Ok(mut file) = OpenOptions::new().write(true).open(&path) {
            let _ = file.write_all(&content);
        }
    });
    dir.join(name).display().to_string()
}

/// A FIFO that gives `start` and then `a` forever, until its reader goes away.
fn endless_fifo(dir: &Path, name: &str, start: &'static str) -> String {
    let path = dir.join(name);
    make_fifo(&path);
    thread::spawn(move || {
        let Ok(mut file) = OpenOptions::new().write(true).open(&path) else {
            return;
        };
        let chunk = vec![b'a'; 64 * 1024];
        if file.write_all(start.as_bytes()).is_err() {
            return;
        }
        while file.write_all(&chunk).is_ok() {}
    });
    dir.join(name).display().to_string()
}

fn make_fifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// A file of `size` bytes that takes no room on disk (all zeros).
fn sparse(dir: &Path, name: &str, size: u64) -> String {
    let path = dir.join(name);
    std::fs::File::create(&path)
        .and_then(|file| file.set_len(size))
        .unwrap();
    path.display().to_string()
}

fn write(dir: &Path, name: &str, content: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

/// Runs `cmd` with output collected; `Err` if it has not ended within `limit` (then it is killed),
/// so that a case that hangs fails the test with the others rather than stopping it.
fn run_within(cmd: &mut Command, limit: Duration) -> Result<Output, String> {
    let mut child = ChildGuard(
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run apicli"),
    );
    let out = read_all_in_background(child.0.stdout.take().expect("piped stdout"));
    let err = read_all_in_background(child.0.stderr.take().expect("piped stderr"));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.0.try_wait().expect("wait for apicli") {
            break status;
        }
        if start.elapsed() > limit {
            return Err(format!("still running after {limit:?}"));
        }
        thread::sleep(Duration::from_millis(10));
    };
    Ok(Output {
        status,
        stdout: out.recv().expect("stdout read"),
        stderr: err.recv().expect("stderr read"),
    })
}

/// One run of the binary and what it must do: exit 2 with exactly `line` on stderr.
struct Refused {
    args: Vec<String>,
    env: Option<(&'static str, String)>,
    line: String,
}

fn refused<S: AsRef<str>>(args: &[S], line: impl Into<String>) -> Refused {
    Refused {
        args: args.iter().map(|a| a.as_ref().to_owned()).collect(),
        env: None,
        line: line.into(),
    }
}

/// `base` and then `more`, as owned arguments.
fn with<S: AsRef<str>>(base: &[S], more: &[&str]) -> Vec<String> {
    let base = base.iter().map(|a| a.as_ref().to_owned());
    base.chain(more.iter().map(|a| (*a).to_owned())).collect()
}

/// Runs every case and reports all that went wrong at once.
fn check_refusals(cases: Vec<Refused>) {
    let mut wrong = Vec::new();
    for case in cases {
        let mut cmd = apicli();
        cmd.args(&case.args);
        if let Some((name, value)) = &case.env {
            cmd.env(name, value);
        }
        let expected = format!("apicli: error: {}\n", case.line);
        match run_within(&mut cmd, Duration::from_secs(20)) {
            Err(why) => wrong.push(format!("{:?}: {why}", case.args)),
            Ok(output) => {
                if output.status.code() != Some(2) || stderr(&output) != expected {
                    wrong.push(format!(
                        "{:?} {:?}: exit {:?}, stderr:\n{}expected exit 2 and:\n{expected}",
                        case.env,
                        case.args,
                        output.status.code(),
                        stderr(&output)
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The folder, the wrong file and the file over the bound of a flag, beside /dev/urandom.
struct Files {
    dir: tempfile::TempDir,
}

impl Files {
    fn new() -> Files {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("folder")).unwrap();
        Files { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn folder(&self) -> String {
        self.path().join("folder").display().to_string()
    }

    /// Bytes that are not UTF-8.
    fn binary(&self) -> String {
        write(self.path(), "binary", b"\xff\xfe\x00junk\n")
    }

    /// A text that is no flag's file.
    fn text(&self) -> String {
        write(self.path(), "text", b"root:x:0:0:root:/root:/bin/sh\n")
    }

    /// A file one byte over `bound`.
    fn over(&self, name: &str, bound: u64) -> String {
        sparse(self.path(), name, bound + 1)
    }
}

// --- descriptors -------------------------------------------------------------------------------

#[test]
fn descriptor_files_are_read_with_a_bound() {
    let files = Files::new();
    let (folder, binary, text) = (files.folder(), files.binary(), files.text());
    let big_proto = files.over("big.proto", 16 * MIB);
    let big_set = files.over("big.binpb", 64 * MIB);
    let not_a_set = "not a FileDescriptorSet (failed to decode Protobuf message: unexpected end \
                     group tag); write one with protoc --descriptor_set_out --include_imports, or \
                     buf build -o";
    let hello = write(files.path(), "hello", b"hello\n");
    check_refusals(vec![
        refused(
            &["list", "--proto", "/dev/urandom"],
            "--proto '/dev/urandom': more than 16 MiB; is it the right file?",
        ),
        refused(
            &["list", "--proto", &binary],
            format!("--proto '{binary}': not UTF-8 text; is it the right file?"),
        ),
        refused(
            &["list", "--proto", &folder],
            format!("--proto '{folder}': is a directory"),
        ),
        refused(
            &["list", "--proto", &big_proto],
            format!("--proto '{big_proto}': more than 16 MiB; is it the right file?"),
        ),
        refused(
            &["list", "--protoset", "/dev/urandom"],
            "--protoset '/dev/urandom': more than 64 MiB; is it the right file?",
        ),
        refused(
            &["list", "--protoset", &hello],
            format!("--protoset '{hello}': {not_a_set}"),
        ),
        refused(
            &["list", "--protoset", &text],
            format!(
                "--protoset '{text}': not a FileDescriptorSet (failed to decode Protobuf \
                 message: buffer underflow); write one with protoc --descriptor_set_out --include_imports, or buf build -o"
            ),
        ),
        refused(
            &["list", "--protoset", &folder],
            format!("--protoset '{folder}': is a directory"),
        ),
        refused(
            &["list", "--protoset", &big_set],
            format!("--protoset '{big_set}': more than 64 MiB; is it the right file?"),
        ),
    ]);
}

/// `route_guide.proto` with its messages in a second file, imported through `-I`.
fn split_route_guide(dir: &Path) -> (String, PathBuf) {
    let whole = std::fs::read_to_string(repo().join("proto/route_guide.proto")).unwrap();
    let at = whole
        .find("// Points are represented")
        .expect("the messages");
    let include = dir.join("include");
    std::fs::create_dir(&include).unwrap();
    std::fs::write(
        include.join("route_messages.proto"),
        format!(
            "syntax = \"proto3\";\npackage routeguide;\n{}",
            &whole[at..]
        ),
    )
    .unwrap();
    let service = whole[..at].replacen(
        "package routeguide;",
        "package routeguide;\nimport \"route_messages.proto\";",
        1,
    );
    (service, include)
}

#[test]
fn protos_and_protosets_from_pipes_are_read_like_files() {
    let server = Server::start(&["--no-reflection"]);
    let dir = tempfile::tempdir().unwrap();
    let set = write(dir.path(), "set.binpb", apicli::api::FILE_DESCRIPTOR_SET);
    let api = repo().join("proto/api.proto").display().to_string();
    let route_guide = repo().join("proto/route_guide.proto").display().to_string();
    let (service, include) = split_route_guide(dir.path());
    let service_file = write(dir.path(), "service.proto", service.as_bytes());
    let include = include.display().to_string();
    let addr = server.url();
    let bash = |script: String| {
        let output = common::output_of(Command::new("bash").args(["-c", &script]));
        assert_exit(&output, 0);
        stdout(&output)
    };
    let apicli = env!("CARGO_BIN_EXE_apicli");

    // Process substitution: a path under /dev/fd that can be read once.
    let listed = bash(format!("'{apicli}' list --proto <(cat '{route_guide}')"));
    assert_eq!(listed, "service\nrouteguide.RouteGuide\n");
    let listed = bash(format!("'{apicli}' list --protoset <(cat '{set}')"));
    assert_eq!(listed, "service\napi.Api\nrouteguide.RouteGuide\n");
    let called = bash(format!(
        "'{apicli}' call api.Api/sayHello --proto <(cat '{api}') -d '{{\"name\": \"pipe\"}}' \
         --addr {addr}"
    ));
    assert_eq!(called, "message\nHello pipe!\n");
    let called = bash(format!(
        "'{apicli}' call api.Api/sayHello --protoset <(cat '{set}') -d '{{\"name\": \"set\"}}' \
         --addr {addr}"
    ));
    assert_eq!(called, "message\nHello set!\n");
    // The imports of a piped file resolve through -I, as a file's do.
    let point = "-d '{\"latitude\": 407838351, \"longitude\": -746143763}'";
    let from_file = bash(format!(
        "'{apicli}' call routeguide.RouteGuide/GetFeature --proto '{service_file}' -I \
         '{include}' -I '{}' {point} --addr {addr}",
        dir.path().display()
    ));
    let from_pipe = bash(format!(
        "'{apicli}' call routeguide.RouteGuide/GetFeature --proto <(cat '{service_file}') -I \
         '{include}' {point} --addr {addr}"
    ));
    assert!(from_file.contains("Patriots Path"), "{from_file}");
    assert_eq!(from_pipe, from_file);

    // A FIFO that a slow writer fills.
    let proto = fifo(
        dir.path(),
        "route_guide.fifo",
        std::fs::read(&route_guide).unwrap(),
    );
    let listed = run(&["list", "--proto", &proto]);
    assert_exit(&listed, 0);
    assert_eq!(stdout(&listed), "service\nrouteguide.RouteGuide\n");
    let set = fifo(
        dir.path(),
        "set.fifo",
        apicli::api::FILE_DESCRIPTOR_SET.to_vec(),
    );
    let listed = run(&["list", "--protoset", &set]);
    assert_exit(&listed, 0);
    assert_eq!(stdout(&listed), "service\napi.Api\nrouteguide.RouteGuide\n");

    // A broken piped file names itself as the user gave it.
    let output = common::output_of(Command::new("bash").args([
        "-c",
        &format!("'{apicli}' list --proto <(printf 'syntax = \"proto3\";\\nmessage M {{\\n  int32 x = ;\\n}}\\n')"),
    ]));
    assert_exit(&output, 2);
    let err = stderr(&output);
    assert!(
        err.starts_with("apicli: error: /dev/fd/") && err.contains(":3:13: "),
        "{err}"
    );
}

// --- request data ------------------------------------------------------------------------------

#[test]
fn request_files_are_read_with_a_bound_and_streams_message_by_message() {
    let server = Server::start(&[]);
    let files = Files::new();
    let addr = server.url();
    let (folder, binary) = (files.folder(), files.binary());
    let endless = endless_fifo(files.path(), "endless", "{\"name\": \"");
    let endless_second = endless_fifo(
        files.path(),
        "endless-second",
        "{\"message\": \"first\"}\n{\"message\": \"",
    );
    let big_text = files.over("big.json", 64 * MIB);
    let call = |data: &str| -> Vec<String> {
        ["call", "api.Api/sayHello", "--addr", &addr, "-d", data]
            .map(str::to_owned)
            .to_vec()
    };
    let bench = |data: &str| -> Vec<String> {
        [
            "bench",
            "api.Api/sayHello",
            "--addr",
            &addr,
            "-n",
            "3",
            "-d",
            data,
        ]
        .map(str::to_owned)
        .to_vec()
    };
    let case = |args: Vec<String>, line: String| Refused {
        args,
        env: None,
        line,
    };
    check_refusals(vec![
        // `call` reads request messages as they come, each with a bound.
        case(
            call("@/dev/zero"),
            "-d @/dev/zero: request message 1 (line 1, column 1): expected a JSON object".into(),
        ),
        case(
            call(&format!("@{binary}")),
            format!("-d @{binary}: request message 1 (line 1, column 1): expected a JSON object"),
        ),
        case(
            call(&format!("@{folder}")),
            format!("-d @{folder}: is a directory"),
        ),
        case(
            call(&format!("@{endless}")),
            format!(
                "-d @{endless}: request message 1 (line 1, column 1): more than 16 MiB of JSON \
                 for one message"
            ),
        ),
        case(
            [
                "call",
                "routeguide.RouteGuide/RouteChat",
                "--addr",
                &addr,
                "-d",
                &format!("@{endless_second}"),
            ]
            .map(str::to_owned)
            .to_vec(),
            format!(
                "-d @{endless_second}: request message 2 (line 2, column 1): more than 16 MiB \
                 of JSON for one message"
            ),
        ),
        // `bench` reads -d whole, to fill in its placeholders for each call.
        case(
            bench("@/dev/urandom"),
            "-d @/dev/urandom: more than 64 MiB; is it the right file?".into(),
        ),
        case(
            bench(&format!("@{binary}")),
            format!("-d @{binary}: not UTF-8 text; is it the right file?"),
        ),
        case(
            bench(&format!("@{folder}")),
            format!("-d @{folder}: is a directory"),
        ),
        case(
            bench(&format!("@{big_text}")),
            format!("-d @{big_text}: more than 64 MiB; is it the right file?"),
        ),
    ]);

    // A FIFO is read like a file, by both.
    let data = fifo(
        files.path(),
        "call.fifo",
        b"{\"name\": \"fifo\"}\n".to_vec(),
    );
    let called = run(&[
        "call",
        "api.Api/sayHello",
        "--addr",
        &addr,
        "-d",
        &format!("@{data}"),
    ]);
    assert_exit(&called, 0);
    assert_eq!(stdout(&called), "message\nHello fifo!\n");
    let data = fifo(
        files.path(),
        "bench.fifo",
        b"{\"name\": \"{{n}}\"}\n".to_vec(),
    );
    let benched = run(&[
        "bench",
        "api.Api/sayHello",
        "--addr",
        &addr,
        "-n",
        "3",
        "-q",
        "-o",
        "json",
        "-d",
        &format!("@{data}"),
    ]);
    assert_exit(&benched, 0);
    assert!(
        stdout(&benched).contains("\"count\":3"),
        "{}",
        stdout(&benched)
    );
}

// --- the client's and the server's small files -------------------------------------------------

#[test]
fn small_files_are_read_with_a_bound() {
    let files = Files::new();
    let (folder, binary, text) = (files.folder(), files.binary(), files.text());
    let big_headers = files.over("big-headers", MIB);
    let big_token = files.over("big-token", 64 * 1024);
    let big_pem = files.over("big.pem", 4 * MIB);
    let big_report = files.over("big-report.json", 16 * MIB);
    let big_config = files.over("big-config.toml", MIB);
    let hello = ["hello", "x", "--addr", "127.0.0.1:1"];
    let tls = ["hello", "x", "--addr", "https://127.0.0.1:1"];
    let header = |file: &str| with(&hello, &["-H", &format!("@{file}")]);
    let token = |file: &str| with(&hello, &["--token-file", file]);
    let ca = |file: &str| with(&tls, &["--ca-cert", file]);
    let good = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let cert = write(files.path(), "cert.pem", good.cert.pem().as_bytes());
    let key = |file: &str| with(&tls, &["--cert", &cert, "--key", file]);
    let compare = |file: &str| {
        with(
            &["bench", "api.Api/sayHello", "--addr", "127.0.0.1:1"],
            &["--compare", file],
        )
    };
    let serve = |flag: &str, file: &str| with(&["serve", "--addr", "127.0.0.1:0"], &[flag, file]);
    let config = |file: &str, line: String| Refused {
        args: vec!["profiles".into()],
        env: Some(("APICLI_CONFIG", file.to_owned())),
        line,
    };
    let urandom = "/dev/urandom";
    check_refusals(vec![
        refused(
            &header(urandom),
            "-H @/dev/urandom: more than 1 MiB; is it the right file?",
        ),
        refused(
            &header(&binary),
            format!("-H @{binary}: not UTF-8 text; is it the right file?"),
        ),
        refused(&header(&folder), format!("-H @{folder}: is a directory")),
        refused(
            &header(&big_headers),
            format!("-H @{big_headers}: more than 1 MiB; is it the right file?"),
        ),
        refused(
            &token(urandom),
            "--token-file '/dev/urandom': more than 64 KiB; is it the right file?",
        ),
        refused(
            &token(&binary),
            format!("bad --token-file '{binary}': the token is not text"),
        ),
        refused(
            &token(&folder),
            format!("--token-file '{folder}': is a directory"),
        ),
        refused(
            &token(&big_token),
            format!("--token-file '{big_token}': more than 64 KiB; is it the right file?"),
        ),
        refused(
            &ca(urandom),
            "--ca-cert '/dev/urandom': more than 4 MiB; is it the right file?",
        ),
        refused(
            &ca(&text),
            "bad --ca-cert: no PEM certificate (BEGIN CERTIFICATE) in it",
        ),
        refused(
            &ca(&folder),
            format!("--ca-cert '{folder}': is a directory"),
        ),
        refused(
            &ca(&big_pem),
            format!("--ca-cert '{big_pem}': more than 4 MiB; is it the right file?"),
        ),
        refused(
            &with(&tls, &["--cert", urandom, "--key", &text]),
            "--cert '/dev/urandom': more than 4 MiB; is it the right file?",
        ),
        refused(
            &key(urandom),
            "--key '/dev/urandom': more than 4 MiB; is it the right file?",
        ),
        refused(
            &key(&text),
            "bad --key: no PEM private key (PKCS#8, RSA or SEC1) in it",
        ),
        refused(&key(&folder), format!("--key '{folder}': is a directory")),
        refused(
            &serve("--client-ca", urandom),
            "--client-ca '/dev/urandom': more than 4 MiB; is it the right file?",
        ),
        refused(
            &with(&serve("--tls-cert", urandom), &["--tls-key", &text]),
            "--tls-cert '/dev/urandom': more than 4 MiB; is it the right file?",
        ),
        refused(
            &with(&serve("--tls-cert", &cert), &["--tls-key", urandom]),
            "--tls-key '/dev/urandom': more than 4 MiB; is it the right file?",
        ),
        refused(
            &serve("--client-ca", &folder),
            format!("--client-ca '{folder}': is a directory"),
        ),
        refused(
            &serve("--client-ca", &big_pem),
            format!("--client-ca '{big_pem}': more than 4 MiB; is it the right file?"),
        ),
        refused(
            &serve("--client-ca", &text),
            "bad --client-ca: no PEM certificate (BEGIN CERTIFICATE) in it",
        ),
        refused(
            &serve("--token-file", urandom),
            "--token-file '/dev/urandom': more than 64 KiB; is it the right file?",
        ),
        refused(
            &compare(urandom),
            "bad --compare '/dev/urandom': more than 16 MiB; is it the right file?",
        ),
        refused(
            &compare(&text),
            format!(
                "bad --compare '{text}': not JSON (expected a report from 'apicli bench -o json')"
            ),
        ),
        refused(
            &compare(&folder),
            format!("bad --compare '{folder}': is a directory"),
        ),
        refused(
            &compare(&big_report),
            format!("bad --compare '{big_report}': more than 16 MiB; is it the right file?"),
        ),
        config(
            urandom,
            "the config file /dev/urandom: more than 1 MiB; is it the right file?".into(),
        ),
        config(
            &binary,
            format!("the config file {binary}: not UTF-8 text; is it the right file?"),
        ),
        config(&folder, format!("the config file {folder}: is a directory")),
        config(
            &big_config,
            format!("the config file {big_config}: more than 1 MiB; is it the right file?"),
        ),
    ]);
}

#[test]
fn small_files_from_fifos_are_read_like_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    // A CA and a certificate made by `serve --tls-self-signed`, then served from FIFOs.
    let made = path.join("made");
    drop(Server::start(&[
        "--tls-self-signed",
        made.to_str().unwrap(),
    ]));
    let read = |name: &str| std::fs::read(made.join(name)).unwrap();
    let cert = fifo(path, "cert.fifo", read("server.pem"));
    let key = fifo(path, "key.fifo", read("server-key.pem"));
    let token = fifo(path, "server-token.fifo", b"s3cret\n".to_vec());
    let server = Server::start(&[
        "--tls-cert",
        &cert,
        "--tls-key",
        &key,
        "--token-file",
        &token,
    ]);
    let addr = format!("https://{}", server.addr);

    let ca = fifo(path, "ca.fifo", read("ca.pem"));
    let token = fifo(path, "token.fifo", b"s3cret\n".to_vec());
    let headers = fifo(path, "headers.fifo", b"# a header\nx-from: fifo\n".to_vec());
    let output = run(&[
        "hello",
        "fifo",
        "--addr",
        &addr,
        "--ca-cert",
        &ca,
        "--token-file",
        &token,
        "-H",
        &format!("@{headers}"),
    ]);
    assert_exit(&output, 0);
    assert_eq!(stdout(&output), "message\nHello fifo!\n");

    let report = std::fs::read(repo().join("docs/bench-report.example.json")).unwrap();
    let report = fifo(path, "report.fifo", report);
    let ca = fifo(path, "ca-again.fifo", read("ca.pem"));
    let token = fifo(path, "token-again.fifo", b"s3cret\n".to_vec());
    let output = run(&[
        "bench",
        "api.Api/sayHello",
        "--addr",
        &addr,
        "--ca-cert",
        &ca,
        "--token-file",
        &token,
        "-n",
        "3",
        "-q",
        "--compare",
        &report,
    ]);
    assert_exit(&output, 0);

    let config = fifo(
        path,
        "config.fifo",
        b"[profiles.local]\naddr = \"127.0.0.1:1\"\n".to_vec(),
    );
    let output = common::output_of(apicli().env("APICLI_CONFIG", &config).arg("profiles"));
    assert_exit(&output, 0);
    assert!(stdout(&output).contains("local"), "{}", stdout(&output));
}
