//! Every flag that names a file, read from a FIFO, a process substitution (`<(…)`), a device that
//! never ends, the wrong file, a folder and a file over its bound: the real binary, and a real
//! `apicli serve` where the flag is used in a call.

mod common;

use std::{
    fs::OpenOptions,
    io::Write as _,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    thread,
    time::Duration,
};

use common::{Server, apicli, assert_exit, output_within, run, stderr, stdout};

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
        // Generous: a debug build parses the 16 MiB of an endless request in seconds, more on a
        // busy machine. The limit only keeps a case that hangs from stopping the others.
        match output_within(cmd.stdin(Stdio::null()), Duration::from_secs(60)) {
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

/// A flag that names a file: the command that gives it `FILE`, how its messages name `FILE`,
/// and its bound.
struct Flag {
    args: Vec<&'static str>,
    env: Option<&'static str>,
    name: &'static str,
    bound: (u64, &'static str),
}

/// `args` with `FILE` in them, and `name` (`--protoset 'FILE'`) in its messages.
fn flag(args: &[&'static str], name: &'static str, bound: (u64, &'static str)) -> Flag {
    Flag {
        args: args.to_vec(),
        env: None,
        name,
        bound,
    }
}

impl Flag {
    fn given(&self, file: &str, line: String) -> Refused {
        let args = self.args.iter().map(|a| a.replace("FILE", file));
        Refused {
            args: args.collect(),
            env: self.env.map(|name| (name, file.to_owned())),
            line,
        }
    }

    fn name(&self, file: &str) -> String {
        self.name.replace("FILE", file)
    }

    /// What every flag does with a device that never ends, a folder and a file over its bound.
    fn refusals(&self, dir: &Path) -> Vec<Refused> {
        let (bytes, shown) = self.bound;
        let over = sparse(dir, &format!("over-{bytes}"), bytes + 1);
        let folder = dir.join("folder");
        std::fs::create_dir_all(&folder).unwrap();
        let folder = folder.display().to_string();
        let too_much = |file: &str| {
            format!(
                "{}: more than {shown}; is it the right file?",
                self.name(file)
            )
        };
        vec![
            self.given("/dev/urandom", too_much("/dev/urandom")),
            self.given(&over, too_much(&over)),
            self.given(&folder, format!("{}: is a directory", self.name(&folder))),
        ]
    }

    /// What the flag does with `content`, which is not what it expects.
    fn wrong(&self, dir: &Path, content: &[u8], why: &str) -> Refused {
        let file = write(dir, &format!("wrong-{}", content.len()), content);
        self.given(&file, format!("{}: {why}", self.name(&file)))
    }
}

const BINARY: &[u8] = b"\xff\xfe\x00junk\n";
const TEXT: &[u8] = b"root:x:0:0:root:/root:/bin/sh\n";
const NOT_TEXT: &str = "not UTF-8 text; is it the right file?";

// --- descriptors -------------------------------------------------------------------------------

#[test]
fn descriptor_files_are_read_with_a_bound() {
    let dir = tempfile::tempdir().unwrap();
    let proto = flag(
        &["list", "--proto", "FILE"],
        "--proto 'FILE'",
        (16 * MIB, "16 MiB"),
    );
    let protoset = flag(
        &["list", "--protoset", "FILE"],
        "--protoset 'FILE'",
        (64 * MIB, "64 MiB"),
    );
    let not_a_set = |why: &str| {
        format!(
            "not a FileDescriptorSet (failed to decode Protobuf message: {why}); write one with \
             protoc --descriptor_set_out --include_imports, or buf build -o"
        )
    };
    let mut cases = Vec::new();
    for flag in [&proto, &protoset] {
        cases.extend(flag.refusals(dir.path()));
    }
    cases.extend([
        proto.wrong(dir.path(), BINARY, NOT_TEXT),
        protoset.wrong(dir.path(), TEXT, &not_a_set("buffer underflow")),
        protoset.wrong(
            dir.path(),
            b"hello\n",
            &not_a_set("unexpected end group tag"),
        ),
    ]);
    check_refusals(cases);
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
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let addr = server.url();
    // `bench` reads -d whole, to fill in its placeholders for each call.
    let bench = Flag {
        args: vec![
            "bench",
            "api.Api/sayHello",
            "--addr",
            "ADDR",
            "-n",
            "3",
            "-d",
            "@FILE",
        ],
        env: None,
        name: "-d @FILE",
        bound: (64 * MIB, "64 MiB"),
    };
    let mut cases = bench.refusals(path);
    cases.push(bench.wrong(path, BINARY, NOT_TEXT));
    // `call` reads request messages as they come, each with a bound.
    let call = |method: &str, file: &str, line: String| {
        refused(
            &["call", method, "--addr", "ADDR", "-d", &format!("@{file}")],
            format!("-d @{file}: {line}"),
        )
    };
    let endless = endless_fifo(path, "endless", "{\"name\": \"");
    let second = endless_fifo(path, "second", "{\"message\": \"first\"}\n{\"message\": \"");
    let binary = write(path, "binary", BINARY);
    let folder = path.display().to_string();
    let not_an_object = "request message 1 (line 1, column 1): expected a JSON object";
    let too_long = "of JSON for one message";
    let hello = "api.Api/sayHello";
    cases.extend([
        call(hello, "/dev/zero", not_an_object.into()),
        call(hello, &binary, not_an_object.into()),
        call(hello, &folder, "is a directory".into()),
        call(
            hello,
            &endless,
            format!("request message 1 (line 1, column 1): more than 16 MiB {too_long}"),
        ),
        call(
            "routeguide.RouteGuide/RouteChat",
            &second,
            format!("request message 2 (line 2, column 1): more than 16 MiB {too_long}"),
        ),
    ]);
    for case in &mut cases {
        for arg in &mut case.args {
            if arg == "ADDR" {
                arg.clone_from(&addr);
            }
        }
    }
    check_refusals(cases);

    // A FIFO is read like a file, by both.
    let data = fifo(path, "call.fifo", b"{\"name\": \"fifo\"}\n".to_vec());
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
    let data = fifo(path, "bench.fifo", b"{\"name\": \"{{n}}\"}\n".to_vec());
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
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let good = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let cert = write(path, "cert.pem", good.cert.pem().as_bytes());
    let key = write(path, "key.pem", good.signing_key.serialize_pem().as_bytes());
    let headers = flag(
        &["hello", "x", "--addr", "127.0.0.1:1", "-H", "@FILE"],
        "-H @FILE",
        (MIB, "1 MiB"),
    );
    let token = flag(
        &[
            "hello",
            "x",
            "--addr",
            "127.0.0.1:1",
            "--token-file",
            "FILE",
        ],
        "--token-file 'FILE'",
        (64 * 1024, "64 KiB"),
    );
    let serve_token = flag(
        &["serve", "--addr", "127.0.0.1:0", "--token-file", "FILE"],
        "--token-file 'FILE'",
        (64 * 1024, "64 KiB"),
    );
    let tls = ["hello", "x", "--addr", "https://127.0.0.1:1"];
    let pem = (4 * MIB, "4 MiB");
    let ca = flag(
        &[&tls[..], &["--ca-cert", "FILE"]].concat(),
        "--ca-cert 'FILE'",
        pem,
    );
    let client_cert = flag(
        &[&tls[..], &["--cert", "FILE", "--key", "KEY"]].concat(),
        "--cert 'FILE'",
        pem,
    );
    let client_key = flag(
        &[&tls[..], &["--cert", "CERT", "--key", "FILE"]].concat(),
        "--key 'FILE'",
        pem,
    );
    let serve = ["serve", "--addr", "127.0.0.1:0"];
    let server_cert = flag(
        &[&serve[..], &["--tls-cert", "FILE", "--tls-key", "KEY"]].concat(),
        "--tls-cert 'FILE'",
        pem,
    );
    let server_key = flag(
        &[&serve[..], &["--tls-cert", "CERT", "--tls-key", "FILE"]].concat(),
        "--tls-key 'FILE'",
        pem,
    );
    let client_ca = flag(
        &[&serve[..], &["--client-ca", "FILE"]].concat(),
        "--client-ca 'FILE'",
        pem,
    );
    let compare = flag(
        &[
            "bench",
            "api.Api/sayHello",
            "--addr",
            "127.0.0.1:1",
            "--compare",
            "FILE",
        ],
        "bad --compare 'FILE'",
        (16 * MIB, "16 MiB"),
    );
    let config = Flag {
        args: vec!["profiles"],
        env: Some("APICLI_CONFIG"),
        name: "the config file FILE",
        bound: (MIB, "1 MiB"),
    };
    let mut cases = Vec::new();
    for flag in [
        &headers,
        &token,
        &serve_token,
        &ca,
        &client_cert,
        &client_key,
        &server_cert,
        &server_key,
        &client_ca,
        &compare,
        &config,
    ] {
        cases.extend(flag.refusals(path));
    }
    let no_certificate = "no PEM certificate (BEGIN CERTIFICATE) in it";
    let text = write(path, "text", TEXT);
    cases.extend([
        headers.wrong(path, BINARY, NOT_TEXT),
        refused(
            &[&tls[..], &["--ca-cert", &text]].concat(),
            format!("bad --ca-cert: {no_certificate}"),
        ),
        refused(
            &[&serve[..], &["--client-ca", &text]].concat(),
            format!("bad --client-ca: {no_certificate}"),
        ),
        refused(
            &[&tls[..], &["--cert", &cert, "--key", &text]].concat(),
            "bad --key: no PEM private key (PKCS#8, RSA or SEC1) in it",
        ),
        compare.wrong(
            path,
            TEXT,
            "not JSON (expected a report from 'apicli bench -o json')",
        ),
        config.wrong(path, BINARY, NOT_TEXT),
        refused(
            &with(
                &token.args[..4],
                &["--token-file", &write(path, "bin", BINARY)],
            ),
            format!(
                "bad --token-file '{}': the token is not text",
                path.join("bin").display()
            ),
        ),
    ]);
    // The other file of a pair is a good one.
    for case in &mut cases {
        for arg in &mut case.args {
            if arg == "CERT" {
                arg.clone_from(&cert);
            } else if arg == "KEY" {
                arg.clone_from(&key);
            }
        }
    }
    check_refusals(cases);
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
