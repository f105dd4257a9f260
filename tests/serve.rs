//! The production features of `apicli serve` and the client, end to end with the real binary:
//! TLS (files, self-signed, every failure), `--insecure`, mutual TLS, bearer tokens, health
//! (and its drain), reflection, graceful shutdown, unix sockets, compression, request ids, the
//! JSON log, routeguide.RouteGuide and getAll's reply (the bytes prost would send, its limit and
//! token check). Certificates are made here with rcgen.

mod common;

use std::{
    fs,
    io::{BufRead, BufReader},
    net::TcpListener as StdListener,
    path::Path,
    process::{Output, Stdio},
    sync::{
        Arc, Mutex,
        mpsc::{self, Receiver},
    },
    thread,
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use apicli::{
    api::{ApiRequest, Item, Items, api_client::ApiClient},
    routeguide::{Point, Rectangle, RouteNote, RouteSummary, route_guide_client::RouteGuideClient},
};
use bytes::Buf as _;
use common::{
    ChildGuard, LIMIT, Server, apicli, assert_exit, assert_one_error_line, items_json, json_lines,
    output_of, read_all_in_background, run, send_signal, serve_in_background, stderr, stdout,
    wait_with_limit,
};
use prost::Message as _;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose, SignatureAlgorithm,
};
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{
    codec::{Codec, CompressionEncoding, DecodeBuf, Decoder},
    transport::{Channel, Endpoint},
};
use tonic_health::pb::{
    HealthCheckRequest, health_check_response::ServingStatus, health_client::HealthClient,
};
use tonic_prost::ProstEncoder;

// --- running the client ------------------------------------------------------------------------

/// The client with `SSL_CERT_FILE` as its only "system" roots, so what it trusts without
/// `--ca-cert` does not depend on this machine.
fn run_with_roots(roots: &str, args: &[&str]) -> Output {
    output_of(
        apicli()
            .env("SSL_CERT_FILE", roots)
            .env_remove("SSL_CERT_DIR")
            .args(args),
    )
}

/// Exit 1, nothing on stdout, one error line containing `needle`.
fn assert_fails_with(output: &Output, needle: &str) {
    assert_exit(output, 1);
    assert_eq!(stdout(output), "");
    assert_one_error_line(output, needle);
}

/// A successful `apicli hello NAME`, as a table.
fn assert_hello(output: &Output, name: &str) {
    assert_exit(output, 0);
    assert_eq!(stdout(output), format!("message\nHello {name}!\n"));
}

/// The `  name: value` lines of the `-v` block whose title starts with `title`
/// (e.g. "response headers", which also matches "response headers and trailers").
fn verbose_block(err: &str, title: &str) -> Vec<String> {
    let heading = format!("apicli: {title}");
    let mut lines = err.lines().skip_while(|line| !line.starts_with(&heading));
    assert!(lines.next().is_some(), "no {title:?} block in:\n{err}");
    lines
        .take_while(|line| line.starts_with("  "))
        .map(|line| line.trim().to_owned())
        .collect()
}

/// `https://127.0.0.1:PORT` for a server started by [`Server::start`].
fn https(server: &Server) -> String {
    format!("https://{}", server.addr)
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 temporary path")
}

/// A value no other test uses, so finding it somewhere proves it came from this test.
fn unique(prefix: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{prefix}-{:x}-{nanos:x}", std::process::id())
}

/// `apicli stream` (or any client) running in the background, its stdout read line by line on
/// a thread so that no read can hang the test.
struct Background {
    child: ChildGuard,
    lines: Receiver<String>,
    stderr: Receiver<Vec<u8>>,
}

impl Background {
    fn start(args: &[&str]) -> Background {
        let mut child = ChildGuard(
            apicli()
                .args(args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start apicli"),
        );
        let stdout = child.0.stdout.take().expect("piped stdout");
        let (tx, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = read_all_in_background(child.0.stderr.take().expect("piped stderr"));
        Background {
            child,
            lines,
            stderr,
        }
    }

    fn next_line(&mut self) -> String {
        self.lines
            .recv_timeout(LIMIT)
            .expect("a line on stdout in time")
    }

    /// Waits for the exit and reads the rest of stdout: (status, remaining lines, stderr).
    fn finish(mut self) -> (std::process::ExitStatus, Vec<String>, String) {
        let status = wait_with_limit(&mut self.child.0, LIMIT);
        let mut rest = Vec::new();
        loop {
            match self.lines.recv_timeout(LIMIT) {
                Ok(line) => rest.push(line),
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => panic!("stdout stayed open"),
            }
        }
        let err = self.stderr.recv_timeout(LIMIT).expect("stderr read");
        (status, rest, String::from_utf8(err).unwrap())
    }
}

/// Stops a server with SIGTERM, checks it exits 0, and returns its whole log.
fn stop(server: &mut Server) -> String {
    server.signal("TERM");
    let status = server.wait_exit(LIMIT);
    assert!(status.success(), "{status:?}\n{}", server.log());
    // The log is read on a thread: wait until it has caught up with the end.
    assert!(server.wait_for_log("stopped", LIMIT), "{}", server.log());
    server.log()
}

// --- servers `Server::start` does not cover ----------------------------------------------------

/// `apicli serve --addr LISTEN ARGS…` for a unix socket, or a log format whose `listening on`
/// line `Server::start` cannot read. Killed on drop.
struct LocalServer {
    /// What the server said it listens on: `127.0.0.1:PORT` or `unix:/path`.
    addr: String,
    child: ChildGuard,
    log: Arc<Mutex<String>>,
}

impl LocalServer {
    fn start(listen: &str, args: &[&str]) -> LocalServer {
        let mut child = ChildGuard(
            apicli()
                .args(["serve", "--addr", listen])
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start apicli serve"),
        );
        let stderr = child.0.stderr.take().expect("piped stderr");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        let thread_log = Arc::clone(&log);
        thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                {
                    let mut log = thread_log.lock().unwrap();
                    log.push_str(&line);
                    log.push('\n');
                }
                if let Some(rest) = line.split("listening on ").nth(1)
                    && let Some(tx) = tx.take()
                {
                    let addr: String = rest
                        .chars()
                        .take_while(|c| !c.is_whitespace() && *c != '"')
                        .collect();
                    let _ = tx.send(addr);
                }
            }
        });
        match rx.recv_timeout(LIMIT) {
            Ok(addr) => LocalServer { addr, child, log },
            Err(_) => panic!(
                "apicli serve did not say where it listens; log:\n{}",
                log.lock().unwrap()
            ),
        }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn wait_for_log(&self, needle: &str) -> bool {
        let start = Instant::now();
        while start.elapsed() < LIMIT {
            if self.log().contains(needle) {
                return true;
            }
            thread::sleep(Duration::from_millis(20));
        }
        false
    }

    fn signal(&self, signal: &str) {
        send_signal(self.child.0.id(), signal);
    }

    fn wait_exit(&mut self) -> std::process::ExitStatus {
        wait_with_limit(&mut self.child.0, LIMIT)
    }
}

// --- certificates ------------------------------------------------------------------------------

/// A certificate authority made for one test.
struct Ca {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

/// What a certificate is for.
#[derive(Clone, Copy)]
enum Role {
    Server,
    Client,
}

impl Ca {
    fn new(name: &str) -> Ca {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let issuer = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
        Ca { issuer }
    }

    fn pem(&self) -> String {
        self.issuer.pem()
    }

    /// A certificate for `names` with an ECDSA P-256 key, valid now: (cert PEM, key PEM).
    fn issue(&self, names: &[&str], role: Role) -> (String, String) {
        self.issue_with(names, role, &rcgen::PKCS_ECDSA_P256_SHA256, false)
    }

    fn issue_with(
        &self,
        names: &[&str],
        role: Role,
        alg: &'static SignatureAlgorithm,
        expired: bool,
    ) -> (String, String) {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut params = CertificateParams::new(names.clone()).unwrap();
        params.distinguished_name.push(
            DnType::CommonName,
            names.first().cloned().unwrap_or_default(),
        );
        params.extended_key_usages = vec![match role {
            Role::Server => ExtendedKeyUsagePurpose::ServerAuth,
            Role::Client => ExtendedKeyUsagePurpose::ClientAuth,
        }];
        if expired {
            params.not_before = rcgen::date_time_ymd(2000, 1, 1);
            params.not_after = rcgen::date_time_ymd(2001, 1, 1);
        }
        let key = KeyPair::generate_for(alg).unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        (cert.pem(), key.serialize_pem())
    }
}

/// A temporary folder for certificates, keys and tokens.
struct Files(TempDir);

impl Files {
    fn new() -> Files {
        Files(tempfile::tempdir().expect("a temporary folder"))
    }

    /// Writes `name` and returns its path, for a command line.
    fn write(&self, name: &str, contents: &str) -> String {
        let path = self.0.path().join(name);
        fs::write(&path, contents).expect("write a test file");
        path_str(&path).to_owned()
    }

    /// Writes a certificate and its key as `NAME.pem` and `NAME-key.pem`.
    fn write_pair(&self, name: &str, (cert, key): &(String, String)) -> (String, String) {
        (
            self.write(&format!("{name}.pem"), cert),
            self.write(&format!("{name}-key.pem"), key),
        )
    }

    fn path(&self) -> &Path {
        self.0.path()
    }
}

/// A TLS server for 127.0.0.1 and localhost whose certificate `ca` signed, with `extra` args.
fn tls_server(files: &Files, ca: &Ca, name: &str, extra: &[&str]) -> Server {
    let (cert, key) = files.write_pair(name, &ca.issue(&["localhost", "127.0.0.1"], Role::Server));
    let mut args = vec!["--tls-cert", &cert, "--tls-key", &key];
    args.extend_from_slice(extra);
    Server::start(&args)
}

// --- tokio-side clients ------------------------------------------------------------------------

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

async fn connect(url: String) -> Channel {
    let endpoint = Endpoint::from_shared(url).unwrap();
    tokio::time::timeout(LIMIT, endpoint.connect())
        .await
        .expect("connected in time")
        .expect("connected")
}

fn with_token<T>(message: T, token: Option<&str>) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    if let Some(token) = token {
        let value = format!("Bearer {token}").parse().unwrap();
        request.metadata_mut().insert("authorization", value);
    }
    request
}

/// `$name(channel, token)`: the services reflection `$version` lists, or the status it answers
/// with. v1 and v1alpha have the same shape in different generated types.
macro_rules! list_services {
    ($name:ident, $version:ident) => {
        async fn $name(channel: Channel, token: Option<&str>) -> Result<Vec<String>, tonic::Code> {
            use tonic_reflection::pb::$version::{
                ServerReflectionRequest, server_reflection_client::ServerReflectionClient,
                server_reflection_request::MessageRequest,
                server_reflection_response::MessageResponse,
            };
            let request = ServerReflectionRequest {
                message_request: Some(MessageRequest::ListServices(String::new())),
                ..Default::default()
            };
            let request = with_token(tokio_stream::iter(vec![request]), token);
            let mut client = ServerReflectionClient::new(channel);
            let call = async {
                let mut responses = client.server_reflection_info(request).await?.into_inner();
                responses.message().await
            };
            let response = tokio::time::timeout(LIMIT, call)
                .await
                .expect("reflection answered in time")
                .map_err(|status| status.code())?
                .expect("one response");
            match response.message_response {
                Some(MessageResponse::ListServicesResponse(list)) => {
                    Ok(list.service.into_iter().map(|s| s.name).collect())
                }
                other => panic!("expected a service list, got {other:?}"),
            }
        }
    };
}

list_services!(list_services_v1, v1);
list_services!(list_services_v1alpha, v1alpha);

// --- 1. TLS from files -------------------------------------------------------------------------

#[test]
fn tls_with_a_certificate_and_key_from_files() {
    let files = Files::new();
    let ca = Ca::new("apicli test CA");
    let ca_file = files.write("ca.pem", &ca.pem());
    for (name, alg) in [
        ("p256", &rcgen::PKCS_ECDSA_P256_SHA256),
        ("p384", &rcgen::PKCS_ECDSA_P384_SHA384),
        ("ed25519", &rcgen::PKCS_ED25519),
    ] {
        let pair = ca.issue_with(&["localhost", "127.0.0.1"], Role::Server, alg, false);
        assert!(
            pair.1.starts_with("-----BEGIN PRIVATE KEY-----"),
            "rcgen writes PKCS#8: {}",
            pair.1
        );
        let (cert, key) = files.write_pair(name, &pair);
        let server = Server::start(&["--tls-cert", &cert, "--tls-key", &key]);

        let ok = run(&[
            "hello",
            name,
            "--addr",
            &https(&server),
            "--ca-cert",
            &ca_file,
        ]);
        assert_hello(&ok, name);
        assert_eq!(stderr(&ok), "", "{name}");

        // The flags work before the subcommand too, and server streams work over TLS.
        let stream = run(&[
            "--addr",
            &https(&server),
            "--ca-cert",
            &ca_file,
            "-o",
            "json",
            "stream",
            "--length",
            "3",
        ]);
        assert_exit(&stream, 0);
        assert_eq!(json_lines(&stdout(&stream)), items_json(3), "{name}");
    }

    // A certificate for a name only: --authority makes the client check that name.
    let (cert, key) = files.write_pair("named", &ca.issue(&["api.test"], Role::Server));
    let named = Server::start(&["--tls-cert", &cert, "--tls-key", &key]);
    let by_name = run(&[
        "hello",
        "named",
        "--addr",
        &https(&named),
        "--ca-cert",
        &ca_file,
        "--authority",
        "api.test",
    ]);
    assert_hello(&by_name, "named");
    let by_address = run(&[
        "hello",
        "x",
        "--addr",
        &https(&named),
        "--ca-cert",
        &ca_file,
    ]);
    assert_fails_with(&by_address, "name mismatch");

    // Without --ca-cert the client trusts the system roots: here, only our CA.
    let server = tls_server(&files, &ca, "roots", &[]);
    let from_roots = run_with_roots(&ca_file, &["hello", "roots", "--addr", &https(&server)]);
    assert_hello(&from_roots, "roots");
    assert!(
        server.wait_for_log("method=/api.Api/sayHello", LIMIT),
        "{}",
        server.log()
    );
}

// --- 2. --tls-self-signed ----------------------------------------------------------------------

/// The client command a `--tls-self-signed` server logs, as arguments after `apicli`.
fn logged_client_command(server: &Server) -> Vec<String> {
    let needle = "clients trust this server with: ";
    assert!(server.wait_for_log(needle, LIMIT), "{}", server.log());
    let log = server.log();
    let line = log.lines().find(|l| l.contains(needle)).unwrap();
    let command = line.split(needle).nth(1).unwrap();
    let mut words = command.split_whitespace().map(str::to_owned);
    assert_eq!(words.next().as_deref(), Some("apicli"), "{line}");
    words.collect()
}

#[test]
fn tls_self_signed_makes_its_files_once_and_logs_a_working_command() {
    let files = Files::new();
    let dir = files.path().join("made-here");
    let dir_arg = path_str(&dir).to_owned();

    let mut first = Server::start(&["--tls-self-signed", &dir_arg]);
    for file in ["ca.pem", "server.pem", "server-key.pem"] {
        assert!(dir.join(file).is_file(), "{file} missing; {}", first.log());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = fs::metadata(dir.join("server-key.pem"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the key is private: {mode:o}");
    }
    let args = logged_client_command(&first);
    let ca_file = path_str(&dir.join("ca.pem")).to_owned();
    assert_eq!(
        args,
        [
            "--addr",
            &https(&first),
            "--ca-cert",
            &ca_file,
            "hello",
            "you"
        ],
        "{}",
        first.log()
    );
    assert_hello(&output_of(apicli().args(&args)), "you");
    let ca_made = fs::read(dir.join("ca.pem")).unwrap();
    let key_made = fs::read(dir.join("server-key.pem")).unwrap();
    first.signal("TERM");
    assert!(first.wait_exit(LIMIT).success(), "{}", first.log());

    let second = Server::start(&["--tls-self-signed", &dir_arg]);
    assert!(
        second.wait_for_log("using the certificate in", LIMIT),
        "{}",
        second.log()
    );
    assert_eq!(fs::read(dir.join("ca.pem")).unwrap(), ca_made, "CA reused");
    assert_eq!(fs::read(dir.join("server-key.pem")).unwrap(), key_made);
    let args = logged_client_command(&second);
    assert_hello(&output_of(apicli().args(&args)), "you");
    // A client that kept the CA from the first run trusts the second.
    let kept = run(&[
        "hello",
        "again",
        "--addr",
        &https(&second),
        "--ca-cert",
        &ca_file,
    ]);
    assert_hello(&kept, "again");
}

// --- 3. TLS failures ---------------------------------------------------------------------------

#[test]
fn tls_failures_exit_1_with_one_line_and_the_reason() {
    let files = Files::new();
    let ca = Ca::new("apicli test CA");
    let ca_file = files.write("ca.pem", &ca.pem());
    let other_ca_file = files.write("other-ca.pem", &Ca::new("someone else").pem());

    let good = tls_server(&files, &ca, "good", &[]);
    let cannot = format!("cannot connect to {}: ", good.addr);

    // Unknown issuer: neither the (controlled) system roots nor --ca-cert have the CA.
    let unknown = "the server's certificate is signed by an unknown authority (unknown issuer)";
    let no_ca_cert = run_with_roots(&other_ca_file, &["hello", "x", "--addr", &https(&good)]);
    assert_fails_with(&no_ca_cert, &format!("{cannot}{unknown}"));
    let wrong_ca_cert = run_with_roots(
        &other_ca_file,
        &[
            "hello",
            "x",
            "--addr",
            &https(&good),
            "--ca-cert",
            &other_ca_file,
        ],
    );
    assert_fails_with(&wrong_ca_cert, &format!("{cannot}{unknown}"));

    // Name mismatch: another name asked for, or a certificate made for another name.
    let mismatch = "not valid for this name (name mismatch)";
    let authority = run(&[
        "hello",
        "x",
        "--addr",
        &https(&good),
        "--ca-cert",
        &ca_file,
        "--authority",
        "example.com",
    ]);
    assert_fails_with(
        &authority,
        &format!("{cannot}the server's certificate is {mismatch}"),
    );
    let (cert, key) =
        files.write_pair("elsewhere", &ca.issue(&["elsewhere.example"], Role::Server));
    let elsewhere = Server::start(&["--tls-cert", &cert, "--tls-key", &key]);
    let wrong_name = run(&[
        "hello",
        "x",
        "--addr",
        &https(&elsewhere),
        "--ca-cert",
        &ca_file,
    ]);
    assert_fails_with(
        &wrong_name,
        &format!(
            "cannot connect to {}: the server's certificate is {mismatch}",
            elsewhere.addr
        ),
    );

    // Expired.
    let expired_pair = ca.issue_with(
        &["localhost", "127.0.0.1"],
        Role::Server,
        &rcgen::PKCS_ECDSA_P256_SHA256,
        true,
    );
    let (cert, key) = files.write_pair("expired", &expired_pair);
    let expired = Server::start(&["--tls-cert", &cert, "--tls-key", &key]);
    let output = run(&[
        "hello",
        "x",
        "--addr",
        &https(&expired),
        "--ca-cert",
        &ca_file,
    ]);
    assert_fails_with(
        &output,
        &format!(
            "cannot connect to {}: the server's certificate has expired",
            expired.addr
        ),
    );

    // Plaintext to a TLS server.
    let plain_to_tls = run(&["hello", "x", "--addr", &good.url()]);
    assert_fails_with(
        &plain_to_tls,
        &format!("the connection to {} failed: ", good.addr),
    );
    assert!(
        stderr(&plain_to_tls)
            .trim_end()
            .ends_with("; if the server uses TLS, use https://"),
        "{}",
        stderr(&plain_to_tls)
    );

    // TLS to a plaintext server.
    let plain = Server::start(&[]);
    let tls_to_plain = run(&[
        "hello",
        "x",
        "--addr",
        &https(&plain),
        "--ca-cert",
        &ca_file,
    ]);
    assert_fails_with(
        &tls_to_plain,
        &format!(
            "cannot connect to {}: the server did not answer in TLS; if it serves plaintext, use http://",
            plain.addr
        ),
    );

    // None of these reached api.Api.
    for server in [&good, &elsewhere, &expired] {
        assert!(!server.log().contains("method="), "{}", server.log());
    }
}

// --- 4. --insecure -----------------------------------------------------------------------------

#[test]
fn insecure_skips_verification_and_says_so_every_time() {
    let files = Files::new();
    let ca = Ca::new("unknown to the client");
    let roots = files.write("roots.pem", &Ca::new("the only root").pem());
    let server = tls_server(&files, &ca, "server", &[]);
    let warning = "apicli: warning: --insecure: ";

    let hello = run_with_roots(
        &roots,
        &["hello", "x", "--addr", &https(&server), "--insecure"],
    );
    assert_hello(&hello, "x");
    let err = stderr(&hello);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with(warning), "{err}");

    // Again, before the subcommand, with a name the certificate does not have.
    let stream = run_with_roots(
        &roots,
        &[
            "--insecure",
            "--authority",
            "example.com",
            "--addr",
            &https(&server),
            "-o",
            "json",
            "stream",
            "--length",
            "2",
        ],
    );
    assert_exit(&stream, 0);
    assert_eq!(json_lines(&stdout(&stream)), items_json(2));
    assert!(stderr(&stream).starts_with(warning), "{}", stderr(&stream));

    // Without it, the same call fails: the warning is not decoration.
    let verified = run_with_roots(&roots, &["hello", "x", "--addr", &https(&server)]);
    assert_fails_with(&verified, "unknown issuer");
}

// --- 5. mutual TLS -----------------------------------------------------------------------------

#[test]
fn mutual_tls_needs_a_client_certificate_from_the_client_ca() {
    let files = Files::new();
    let server_ca = Ca::new("server CA");
    let client_ca = Ca::new("client CA");
    let other_ca = Ca::new("other CA");
    let server_ca_file = files.write("server-ca.pem", &server_ca.pem());
    let client_ca_file = files.write("client-ca.pem", &client_ca.pem());
    let mut server = tls_server(
        &files,
        &server_ca,
        "server",
        &["--client-ca", &client_ca_file],
    );
    let addr = https(&server);

    let (cert, key) = files.write_pair("client", &client_ca.issue(&["client"], Role::Client));
    let ok = run(&[
        "hello",
        "mtls",
        "--addr",
        &addr,
        "--ca-cert",
        &server_ca_file,
        "--cert",
        &cert,
        "--key",
        &key,
    ]);
    assert_hello(&ok, "mtls");
    assert_eq!(stderr(&ok), "");

    let without = run(&["hello", "x", "--addr", &addr, "--ca-cert", &server_ca_file]);

    let (cert, key) = files.write_pair("stranger", &other_ca.issue(&["client"], Role::Client));
    let stranger = run(&[
        "hello",
        "x",
        "--addr",
        &addr,
        "--ca-cert",
        &server_ca_file,
        "--cert",
        &cert,
        "--key",
        &key,
    ]);

    let log = stop(&mut server);
    assert_eq!(
        log.matches("method=/api.Api/sayHello").count(),
        1,
        "only the call with a good certificate reached the service:\n{log}"
    );
    // Both refusals are exit 1 and one line that says what is wrong with the client's
    // certificate, whichever way the refusal reached the client.
    for (case, output) in [("no --cert", &without), ("a stranger's --cert", &stranger)] {
        assert_exit(output, 1);
        assert_eq!(stdout(output), "", "{case}");
        assert!(
            stderr(output).contains("client certificate"),
            "{case}: expected words about the client certificate in:\n{}",
            stderr(output)
        );
        assert_one_error_line(output, "client certificate");
    }
}

// --- 6. bearer tokens --------------------------------------------------------------------------

#[test]
fn tokens_are_required_checked_and_never_shown() {
    let files = Files::new();
    let token = unique("s3cret-token");
    let wrong = unique("not-the-token");
    let token_file = files.write("token", &format!("{token}\n"));
    let wrong_file = files.write("wrong", &wrong);
    let mut server = Server::start(&["--token-file", &token_file]);
    let addr = server.url();

    let right = run(&[
        "hello",
        "x",
        "--addr",
        &addr,
        "--token-file",
        &token_file,
        "-v",
    ]);
    assert_hello(&right, "x");
    let err = stderr(&right);
    assert!(err.contains("authorization: [redacted]"), "{err}");
    assert!(!err.contains(&token), "{err}");

    let stream = run(&[
        "--token-file",
        &token_file,
        "stream",
        "--length",
        "3",
        "-o",
        "json",
        "--addr",
        &addr,
    ]);
    assert_exit(&stream, 0);
    assert_eq!(json_lines(&stdout(&stream)), items_json(3));

    let bad = run(&[
        "hello",
        "x",
        "--addr",
        &addr,
        "--token-file",
        &wrong_file,
        "-v",
    ]);
    assert_exit(&bad, 80);
    assert_eq!(stdout(&bad), "");
    let err = stderr(&bad);
    assert!(err.contains("authorization: [redacted]"), "{err}");
    assert!(!err.contains(&wrong) && !err.contains(&token), "{err}");
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("apicli: error: UNAUTHENTICATED"),
        "the error is the last line:\n{err}"
    );

    let missing = run(&["hello", "x", "--addr", &addr]);
    assert_exit(&missing, 80);
    assert_one_error_line(&missing, "UNAUTHENTICATED");
    assert!(stderr(&missing).contains("Bearer"), "{}", stderr(&missing));

    // Health stays open to probes without the token.
    let health = run(&["health", "--addr", &addr]);
    assert_exit(&health, 0);
    assert_eq!(stdout(&health), "status\nSERVING\n");

    // A header file with the token works like --token-file.
    let header_file = files.write(
        "headers",
        &format!("# credentials\n\nauthorization: Bearer {token}\nx-trace: from-file\n"),
    );
    let from_file = run(&[
        "hello",
        "file",
        "--addr",
        &addr,
        "-H",
        &format!("@{header_file}"),
        "-v",
    ]);
    assert_hello(&from_file, "file");
    let err = stderr(&from_file);
    assert!(err.contains("x-trace: from-file"), "{err}");
    assert!(err.contains("authorization: [redacted]"), "{err}");
    assert!(!err.contains(&token), "{err}");

    assert!(
        server.wait_for_log("status=UNAUTHENTICATED", LIMIT),
        "{}",
        server.log()
    );
    assert!(
        server.wait_for_log("method=/grpc.health.v1.Health/Check", LIMIT),
        "{}",
        server.log()
    );
    let log = stop(&mut server);
    assert!(
        !log.contains(&token),
        "the token leaked into the log:\n{log}"
    );
    assert!(!log.contains(&wrong), "a guess leaked into the log:\n{log}");
}

// --- 7. health ---------------------------------------------------------------------------------

/// A tonic health server (in this process) whose whole-server status is NOT_SERVING.
fn start_not_serving_health_server() -> String {
    serve_in_background(|| async {
        let (reporter, service) = tonic_health::server::health_reporter();
        reporter
            .set_service_status("", tonic_health::ServingStatus::NotServing)
            .await;
        tonic::transport::Server::builder().add_service(service)
    })
}

#[test]
fn health_answers_like_a_probe() {
    let server = Server::start(&[]);
    let table = run(&["health", "--addr", &server.url()]);
    assert_exit(&table, 0);
    assert_eq!(stdout(&table), "status\nSERVING\n");
    assert_eq!(stderr(&table), "");

    let api = run(&["health", "api.Api", "--addr", &server.url(), "-o", "json"]);
    assert_exit(&api, 0);
    assert_eq!(stdout(&api), "{\"status\":\"SERVING\"}\n");

    let unknown = run(&["health", "no.such.Service", "--addr", &server.url()]);
    assert_exit(&unknown, 69);
    assert_eq!(stdout(&unknown), "");
    assert_one_error_line(&unknown, "NOT_FOUND");

    let not_serving = start_not_serving_health_server();
    let answer = run(&["health", "--addr", &not_serving, "-o", "json"]);
    assert_exit(&answer, 3);
    assert_eq!(stdout(&answer), "{\"status\":\"NOT_SERVING\"}\n");
    assert_one_error_line(&answer, "NOT_SERVING");

    let port = StdListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let nobody = run(&["health", "--addr", &format!("127.0.0.1:{port}")]);
    assert_fails_with(&nobody, "cannot connect to");
}

#[test]
fn health_turns_not_serving_when_the_drain_starts() {
    let mut server = Server::start(&[]);
    let url = server.url();
    runtime().block_on(async {
        let mut client = HealthClient::new(connect(url).await);
        let mut watches = Vec::new();
        for service in ["", "api.Api", "routeguide.RouteGuide"] {
            let request = HealthCheckRequest {
                service: service.into(),
            };
            let watch = tokio::time::timeout(LIMIT, client.watch(request))
                .await
                .expect("watch answered in time")
                .expect("watch started")
                .into_inner();
            watches.push((service, watch));
        }
        for (service, watch) in &mut watches {
            let first = tokio::time::timeout(LIMIT, watch.message())
                .await
                .expect("a status in time")
                .expect("a status")
                .expect("the watch goes on");
            assert_eq!(first.status(), ServingStatus::Serving, "{service:?}");
        }

        server.signal("TERM");
        for (service, watch) in &mut watches {
            let next = tokio::time::timeout(LIMIT, watch.message())
                .await
                .expect("the drain was reported in time")
                .expect("a status")
                .expect("the watch goes on");
            assert_eq!(next.status(), ServingStatus::NotServing, "{service:?}");
        }
    });
    // The watches are gone: nothing is left in flight, so the server ends.
    let status = server.wait_exit(LIMIT);
    assert!(status.success(), "{status:?}\n{}", server.log());
    assert!(
        server.wait_for_log("SIGTERM: draining", LIMIT),
        "{}",
        server.log()
    );
}

// --- 8. reflection -----------------------------------------------------------------------------

#[test]
fn reflection_lists_the_services_unless_turned_off_or_unauthenticated() {
    let files = Files::new();
    let token = unique("reflection-token");
    let token_file = files.write("token", &token);
    let open = Server::start(&[]);
    let off = Server::start(&["--no-reflection"]);
    let guarded = Server::start(&["--token-file", &token_file]);

    runtime().block_on(async {
        let channel = connect(open.url()).await;
        let v1 = list_services_v1(channel.clone(), None)
            .await
            .expect("v1 answers");
        for service in [
            "api.Api",
            "routeguide.RouteGuide",
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection",
        ] {
            assert!(v1.iter().any(|s| s == service), "{service} not in {v1:?}");
        }
        let v1alpha = list_services_v1alpha(channel, None)
            .await
            .expect("v1alpha answers");
        for service in [
            "api.Api",
            "routeguide.RouteGuide",
            "grpc.health.v1.Health",
            "grpc.reflection.v1alpha.ServerReflection",
        ] {
            assert!(
                v1alpha.iter().any(|s| s == service),
                "{service} not in {v1alpha:?}"
            );
        }

        let channel = connect(off.url()).await;
        assert_eq!(
            list_services_v1(channel.clone(), None).await,
            Err(tonic::Code::Unimplemented)
        );
        assert_eq!(
            list_services_v1alpha(channel, None).await,
            Err(tonic::Code::Unimplemented)
        );

        let channel = connect(guarded.url()).await;
        assert_eq!(
            list_services_v1(channel.clone(), None).await,
            Err(tonic::Code::Unauthenticated)
        );
        assert_eq!(
            list_services_v1alpha(channel.clone(), Some("wrong")).await,
            Err(tonic::Code::Unauthenticated)
        );
        let listed = list_services_v1(channel, Some(&token))
            .await
            .expect("the token opens reflection");
        assert!(listed.iter().any(|s| s == "api.Api"), "{listed:?}");
    });
    // The server without reflection still serves api.Api.
    assert_hello(&run(&["hello", "x", "--addr", &off.url()]), "x");
}

// --- 9. graceful shutdown ----------------------------------------------------------------------

#[test]
fn a_drain_refuses_new_calls_and_lets_calls_in_flight_finish() {
    let mut server = Server::start(&["--stream-interval", "300ms"]);
    let mut stream = Background::start(&[
        "stream",
        "--length",
        "5",
        "-o",
        "json",
        "--addr",
        &server.url(),
    ]);
    assert_eq!(stream.next_line(), r#"{"id":1,"name":"name 1"}"#);

    server.signal("TERM");
    assert!(
        server.wait_for_log("SIGTERM: draining", LIMIT),
        "{}",
        server.log()
    );
    let late = run(&[
        "hello",
        "late",
        "--addr",
        &server.url(),
        "--connect-timeout",
        "5s",
    ]);
    assert_fails_with(&late, &format!("cannot connect to {}", server.addr));

    let (status, rest, err) = stream.finish();
    assert_eq!(status.code(), Some(0), "stderr:\n{err}");
    assert_eq!(err, "");
    let mut all = vec![r#"{"id":1,"name":"name 1"}"#.to_owned()];
    all.extend(rest);
    assert_eq!(json_lines(&all.join("\n")), items_json(5));

    let exit = server.wait_exit(LIMIT);
    assert!(exit.success(), "{exit:?}\n{}", server.log());
    assert!(
        server.wait_for_log("method=/api.Api/getStream", LIMIT),
        "{}",
        server.log()
    );
    let log = server.log();
    let line = log.lines().find(|l| l.contains("getStream")).unwrap();
    assert!(line.contains("status=OK"), "{line}");
    assert!(
        !log.contains("sayHello"),
        "the late call was served:\n{log}"
    );
}

#[test]
fn calls_still_running_after_the_grace_are_cancelled() {
    let mut server = Server::start(&["--stream-interval", "200ms", "--grace", "500ms"]);
    let mut stream = Background::start(&[
        "stream",
        "--length",
        "100",
        "-o",
        "json",
        "--addr",
        &server.url(),
    ]);
    let first = stream.next_line();
    assert_eq!(first, r#"{"id":1,"name":"name 1"}"#);

    let signalled = Instant::now();
    server.signal("TERM");
    let exit = server.wait_exit(LIMIT);
    let took = signalled.elapsed();
    assert!(exit.success(), "{exit:?}\n{}", server.log());
    assert!(
        took < Duration::from_secs(10),
        "the server took {took:?} to stop after a 500ms grace"
    );
    assert!(
        server.wait_for_log(
            "cancelling 1 call(s) still running after the 500ms grace",
            LIMIT
        ),
        "{}",
        server.log()
    );
    assert!(
        server.wait_for_log("method=/api.Api/getStream", LIMIT),
        "{}",
        server.log()
    );
    let log = server.log();
    let line = log.lines().find(|l| l.contains("getStream")).unwrap();
    assert!(line.contains("status=CANCELLED"), "{line}");

    let (status, rest, err) = stream.finish();
    assert_ne!(status.code(), Some(0), "the cut stream must fail:\n{err}");
    let mut all = vec![first];
    all.extend(rest);
    let got = json_lines(&all.join("\n"));
    assert!(
        got.len() < 100,
        "{} items: the stream was not cut",
        got.len()
    );
    assert_eq!(
        got,
        items_json(got.len() as i32),
        "the items so far, in order"
    );
    assert_eq!(err.lines().count(), 1, "one line:\n{err}");
    assert!(err.starts_with("apicli: error: "), "{err}");
    assert!(
        err.contains(&format!("{} of 100 items arrived", got.len())),
        "{err}"
    );
}

// --- limits ------------------------------------------------------------------------------------

#[test]
fn a_stalled_client_does_not_hold_up_others() {
    let server = Server::start(&[]);
    // A client that asks for ten million items and never reads its stdout: its pipe fills,
    // it stops reading the socket, and HTTP/2 flow control stops the server's stream.
    let mut stalled = ChildGuard(
        apicli()
            .args([
                "stream",
                "--length",
                "10000000",
                "-o",
                "json",
                "--addr",
                &server.url(),
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start apicli"),
    );
    thread::sleep(Duration::from_millis(500));
    assert!(
        stalled.0.try_wait().unwrap().is_none(),
        "the stalled client is still waiting"
    );
    for name in ["one", "two", "three"] {
        assert_hello(&run(&["hello", name, "--addr", &server.url()]), name);
    }
    let items = run(&[
        "get-all",
        "--length",
        "1000",
        "--addr",
        &server.url(),
        "-o",
        "json",
    ]);
    assert_exit(&items, 0);
}

// --- 10. unix sockets --------------------------------------------------------------------------

#[test]
fn serves_on_a_unix_socket_and_removes_it_on_exit() {
    let files = Files::new();
    let socket = files.path().join("api.sock");
    let listen = format!("unix:{}", path_str(&socket));
    let mut server = LocalServer::start(&listen, &[]);
    assert_eq!(server.addr, listen, "{}", server.log());
    assert!(socket.exists(), "the socket file is there while serving");

    assert_hello(&run(&["hello", "x", "--addr", &listen]), "x");
    let stream = run(&["--addr", &listen, "stream", "--length", "3", "-o", "json"]);
    assert_exit(&stream, 0);
    assert_eq!(json_lines(&stdout(&stream)), items_json(3));
    assert_exit(&run(&["health", "--addr", &listen]), 0);
    assert!(
        server.wait_for_log("method=/api.Api/sayHello peer=unix"),
        "{}",
        server.log()
    );

    server.signal("TERM");
    let status = server.wait_exit();
    assert!(status.success(), "{status:?}\n{}", server.log());
    assert!(!socket.exists(), "the socket file was left behind");

    let gone = run(&["hello", "x", "--addr", &listen]);
    assert_fails_with(&gone, &format!("cannot connect to {listen}"));
}

// --- 11. compression ---------------------------------------------------------------------------

#[test]
fn gzip_and_zstd_compress_both_ways() {
    let server = Server::start(&[]);
    let args = [
        "get-all",
        "--length",
        "1000",
        "-o",
        "json",
        "--addr",
        &server.url(),
        "-v",
    ];
    let plain = run(&args);
    assert_exit(&plain, 0);
    let value: Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert_eq!(value, json!({"items": items_json(1000)}));
    let headers = verbose_block(&stderr(&plain), "response headers");
    assert!(
        !headers.iter().any(|h| h.starts_with("grpc-encoding:")),
        "uncompressed unless asked: {headers:?}"
    );

    for encoding in ["gzip", "zstd"] {
        let mut with = args.to_vec();
        with.extend(["--compress", encoding]);
        let compressed = run(&with);
        assert_exit(&compressed, 0);
        assert_eq!(compressed.stdout, plain.stdout, "{encoding}");
        let headers = verbose_block(&stderr(&compressed), "response headers");
        assert!(
            headers.contains(&format!("grpc-encoding: {encoding}")),
            "{encoding}: {headers:?}"
        );

        let stream = run(&[
            "stream",
            "--length",
            "20",
            "-o",
            "json",
            "--addr",
            &server.url(),
            "--compress",
            encoding,
        ]);
        assert_exit(&stream, 0);
        assert_eq!(json_lines(&stdout(&stream)), items_json(20), "{encoding}");
    }
}

// --- 12. request ids ---------------------------------------------------------------------------

/// The value of `name` in a `-v` block.
fn header_value(block: &[String], name: &str) -> Option<String> {
    let prefix = format!("{name}: ");
    block
        .iter()
        .find_map(|line| line.strip_prefix(&prefix).map(str::to_owned))
}

#[test]
fn request_ids_are_returned_and_logged() {
    let server = Server::start(&[]);
    let given = run(&[
        "hello",
        "x",
        "--addr",
        &server.url(),
        "-H",
        "x-request-id: abc-123",
        "-v",
    ]);
    assert_hello(&given, "x");
    let headers = verbose_block(&stderr(&given), "response headers");
    assert_eq!(
        header_value(&headers, "x-request-id").as_deref(),
        Some("abc-123"),
        "{headers:?}"
    );
    assert!(
        server.wait_for_log("request_id=abc-123", LIMIT),
        "{}",
        server.log()
    );
    let log = server.log();
    let line = log
        .lines()
        .find(|l| l.contains("request_id=abc-123"))
        .unwrap();
    assert!(line.contains("method=/api.Api/sayHello"), "{line}");
    assert!(line.contains("status=OK"), "{line}");

    let mut made = Vec::new();
    for _ in 0..2 {
        let output = run(&["hello", "x", "--addr", &server.url(), "-v"]);
        assert_hello(&output, "x");
        let headers = verbose_block(&stderr(&output), "response headers");
        let id = header_value(&headers, "x-request-id").expect("a request id is returned");
        assert_eq!(id.len(), 32, "{id:?}");
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()), "{id:?}");
        assert!(
            server.wait_for_log(&format!("request_id={id}"), LIMIT),
            "{}",
            server.log()
        );
        made.push(id);
    }
    assert_ne!(made[0], made[1], "each call gets its own id");
}

// --- 13. --log-format json ---------------------------------------------------------------------

#[test]
fn the_json_log_has_one_object_per_line() {
    let server = LocalServer::start("127.0.0.1:0", &["--log-format", "json", "--max-items", "5"]);
    let url = format!("http://{}", server.addr);
    assert_hello(
        &run(&["hello", "x", "--addr", &url, "-H", "x-request-id: json-1"]),
        "x",
    );
    assert_exit(&run(&["get-all", "--length", "6", "--addr", &url]), 67);
    assert!(server.wait_for_log("/api.Api/getAll"), "{}", server.log());

    let log = server.log();
    let events: Vec<Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect();
    let call = |method: &str| {
        events
            .iter()
            .map(|event| event.get("fields").unwrap_or(event))
            .find(|fields| fields["method"] == method)
            .unwrap_or_else(|| panic!("no {method} call in:\n{log}"))
            .clone()
    };
    let hello = call("/api.Api/sayHello");
    assert_eq!(hello["status"], "OK", "{hello}");
    assert_eq!(hello["request_id"], "json-1", "{hello}");
    let get_all = call("/api.Api/getAll");
    assert_eq!(get_all["status"], "INVALID_ARGUMENT", "{get_all}");
    assert!(
        events.iter().all(|event| event["level"].is_string()),
        "{log}"
    );
}

// --- 14. routeguide.RouteGuide -----------------------------------------------------------------

fn point(latitude: i32, longitude: i32) -> Point {
    Point {
        latitude,
        longitude,
    }
}

fn note(at: i32, message: &str) -> RouteNote {
    RouteNote {
        location: Some(point(at, at)),
        message: message.into(),
    }
}

const MENDHAM: &str = "Patriots Path, Mendham, NJ 07945, USA";
const WHIPPANY: &str = "101 New Jersey 10, Whippany, NJ 07981, USA";

/// Waits at most [`LIMIT`] for `call`, so a call that hangs fails the test instead.
async fn within_limit<T>(call: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(LIMIT, call)
        .await
        .expect("answered in time")
}

#[test]
fn route_guide_serves_every_rpc_kind() {
    let server = Server::start(&["--max-request-size", "1024"]);
    let url = server.url();
    runtime().block_on(async {
        let channel = connect(url).await;
        let mut guide = RouteGuideClient::new(channel.clone());

        // GetFeature: a hit, and a miss that names nothing at the point asked about.
        let hit = within_limit(guide.get_feature(point(407838351, -746143763)))
            .await
            .expect("GetFeature")
            .into_inner();
        assert_eq!(hit.name, MENDHAM);
        assert_eq!(hit.location, Some(point(407838351, -746143763)));
        let miss = within_limit(guide.get_feature(point(1, 2)))
            .await
            .expect("GetFeature")
            .into_inner();
        assert_eq!(miss.name, "");
        assert_eq!(miss.location, Some(point(1, 2)));
        let off = within_limit(guide.get_feature(point(900_000_001, 0)))
            .await
            .unwrap_err();
        assert_eq!(off.code(), tonic::Code::InvalidArgument, "{off:?}");
        assert!(off.message().contains("latitude 900000001"), "{off:?}");

        // ListFeatures: the features in the rectangle, whichever way round its corners are.
        let (lo, hi) = (point(400000000, -750000000), point(420000000, -730000000));
        let mut names = Vec::new();
        for (lo, hi) in [(lo, hi), (hi, lo)] {
            let rectangle = Rectangle {
                lo: Some(lo),
                hi: Some(hi),
            };
            let mut stream = within_limit(guide.list_features(rectangle))
                .await
                .expect("ListFeatures")
                .into_inner();
            let mut features = Vec::new();
            while let Some(feature) = within_limit(stream.message()).await.expect("a feature") {
                features.push(feature);
            }
            for feature in &features {
                let at = feature.location.as_ref().expect("a location");
                assert!(
                    (400000000..=420000000).contains(&at.latitude)
                        && (-750000000..=-730000000).contains(&at.longitude),
                    "{feature:?} is outside the rectangle"
                );
            }
            names.push(features.into_iter().map(|f| f.name).collect::<Vec<_>>());
        }
        assert!(names[0].iter().any(|n| n == MENDHAM), "{:?}", names[0]);
        assert!(names[0].iter().any(|n| n == WHIPPANY), "{:?}", names[0]);
        assert_eq!(names[0], names[1], "lo and hi swapped");
        let elsewhere = Rectangle {
            lo: Some(point(0, 0)),
            hi: Some(point(10, 10)),
        };
        let mut none = within_limit(guide.list_features(elsewhere))
            .await
            .expect("ListFeatures")
            .into_inner();
        assert_eq!(within_limit(none.message()).await.expect("the end"), None);

        // RecordRoute: two features 18 km apart (18327 m, as the examples' formula gives).
        let route =
            tokio_stream::iter([point(407838351, -746143763), point(408122808, -743999179)]);
        let summary = within_limit(guide.record_route(route))
            .await
            .expect("RecordRoute")
            .into_inner();
        assert_eq!(summary.point_count, 2, "{summary:?}");
        assert_eq!(summary.feature_count, 2, "{summary:?}");
        assert_eq!(summary.distance, 18327, "{summary:?}");
        let empty = within_limit(guide.record_route(tokio_stream::iter(Vec::<Point>::new())))
            .await
            .expect("RecordRoute")
            .into_inner();
        assert_eq!(empty, RouteSummary::default(), "no points, all zeros");

        // RouteChat: the reply to the third note comes while the request stream is still open.
        let (notes, rx) = tokio::sync::mpsc::channel(8);
        let mut replies = within_limit(guide.route_chat(ReceiverStream::new(rx)))
            .await
            .expect("RouteChat")
            .into_inner();
        for sent in [note(1, "first"), note(2, "second"), note(1, "third")] {
            notes.send(sent).await.unwrap();
        }
        let reply = within_limit(replies.message())
            .await
            .expect("a reply")
            .expect("before the notes end");
        assert_eq!(reply, note(1, "first"));
        drop(notes);
        assert_eq!(
            within_limit(replies.message()).await.expect("the end"),
            None
        );
        // A second chat starts with no notes: nothing is shared between calls.
        let again = tokio_stream::iter([note(1, "fourth"), note(1, "fifth")]);
        let mut replies = within_limit(guide.route_chat(again))
            .await
            .expect("RouteChat")
            .into_inner();
        let mut heard = Vec::new();
        while let Some(reply) = within_limit(replies.message()).await.expect("a reply") {
            heard.push(reply.message);
        }
        assert_eq!(heard, ["fourth"]);

        // --max-request-size holds for RouteGuide too.
        let long = RouteNote {
            location: None,
            message: "x".repeat(2000),
        };
        let mut replies = within_limit(guide.route_chat(tokio_stream::iter([long])))
            .await
            .expect("RouteChat")
            .into_inner();
        let too_big = within_limit(replies.message()).await.unwrap_err();
        assert_eq!(
            too_big.code(),
            tonic::Code::ResourceExhausted,
            "{too_big:?}"
        );

        // gzip and zstd, both ways.
        for encoding in [CompressionEncoding::Gzip, CompressionEncoding::Zstd] {
            let mut compressed = RouteGuideClient::new(channel.clone())
                .send_compressed(encoding)
                .accept_compressed(encoding);
            let response = within_limit(compressed.get_feature(point(408122808, -743999179)))
                .await
                .expect("a compressed GetFeature");
            let used = response.metadata().get("grpc-encoding").cloned();
            assert_eq!(response.into_inner().name, WHIPPANY);
            assert_eq!(
                used.as_ref().and_then(|v| v.to_str().ok()),
                Some(encoding.to_string().as_str()),
                "the response is compressed"
            );
        }

        // Health knows the service.
        let mut health = HealthClient::new(channel);
        let request = HealthCheckRequest {
            service: "routeguide.RouteGuide".into(),
        };
        let status = within_limit(health.check(request))
            .await
            .expect("health answers")
            .into_inner();
        assert_eq!(status.status(), ServingStatus::Serving);
    });
    for method in ["GetFeature", "ListFeatures", "RecordRoute", "RouteChat"] {
        let needle = format!("method=/routeguide.RouteGuide/{method} ");
        assert!(server.wait_for_log(&needle, LIMIT), "{}", server.log());
    }
}

#[test]
fn route_guide_needs_the_token() {
    let files = Files::new();
    let token = unique("route-token");
    let token_file = files.write("token", &token);
    let server = Server::start(&["--token-file", &token_file]);
    runtime().block_on(async {
        let mut guide = RouteGuideClient::new(connect(server.url()).await);
        let missing = within_limit(guide.get_feature(point(1, 1)))
            .await
            .unwrap_err();
        assert_eq!(missing.code(), tonic::Code::Unauthenticated, "{missing:?}");
        let chat =
            within_limit(guide.route_chat(with_token(tokio_stream::iter([note(1, "x")]), None)))
                .await
                .map(drop)
                .unwrap_err();
        assert_eq!(chat.code(), tonic::Code::Unauthenticated, "{chat:?}");
        let wrong = within_limit(guide.get_feature(with_token(point(1, 1), Some("wrong"))))
            .await
            .unwrap_err();
        assert_eq!(wrong.code(), tonic::Code::Unauthenticated, "{wrong:?}");
        let right = within_limit(guide.get_feature(with_token(point(1, 1), Some(&token))))
            .await
            .expect("the token opens RouteGuide");
        assert_eq!(right.into_inner().location, Some(point(1, 1)));
    });
}

#[test]
fn list_features_ends_at_the_deadline() {
    let server = Server::start(&["--stream-interval", "10s"]);
    runtime().block_on(async {
        let mut guide = RouteGuideClient::new(connect(server.url()).await);
        let mut request = tonic::Request::new(Rectangle {
            lo: Some(point(400000000, -750000000)),
            hi: Some(point(420000000, -730000000)),
        });
        request.set_timeout(Duration::from_millis(300));
        let started = Instant::now();
        // Five seconds, well short of the first feature at 10 s: only the deadline can end it.
        let call = async {
            let mut stream = guide.list_features(request).await?.into_inner();
            stream.message().await
        };
        let status = tokio::time::timeout(Duration::from_secs(5), call)
            .await
            .expect("the deadline ended the stream")
            .unwrap_err();
        assert_eq!(status.code(), tonic::Code::DeadlineExceeded, "{status:?}");
        assert!(
            status
                .message()
                .starts_with("deadline exceeded after 0 of "),
            "{status:?}"
        );
        assert!(started.elapsed() >= Duration::from_millis(300));
    });
    assert!(
        server.wait_for_log("status=DEADLINE_EXCEEDED", LIMIT),
        "{}",
        server.log()
    );
    let log = server.log();
    let line = log.lines().find(|l| l.contains("ListFeatures ")).unwrap();
    assert!(line.contains("status=DEADLINE_EXCEEDED"), "{line}");
}

/// Polls the server's log until a line satisfies `wanted`, for up to [`LIMIT`], without
/// blocking the runtime's other tasks.
async fn log_line(server: &Server, wanted: impl Fn(&str) -> bool) -> Option<String> {
    let start = Instant::now();
    loop {
        if let Some(line) = server.log().lines().find(|l| wanted(l)) {
            return Some(line.to_owned());
        }
        if start.elapsed() > LIMIT {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[test]
fn a_record_route_cancelled_mid_stream_is_logged_cancelled() {
    // -v logs each call as it starts, so the test knows when the server has it.
    let server = Server::start(&["-v"]);
    let started = |l: &str| l.contains("request method=/routeguide.RouteGuide/RecordRoute");
    let ended =
        |l: &str| l.contains("method=/routeguide.RouteGuide/RecordRoute ") && l.contains("status=");
    runtime().block_on(async {
        let channel = connect(server.url()).await;
        let (points, rx) = tokio::sync::mpsc::channel(1);
        points.send(point(407838351, -746143763)).await.unwrap();
        let mut guide = RouteGuideClient::new(channel.clone());
        let call = tokio::spawn(async move { guide.record_route(ReceiverStream::new(rx)).await });
        assert!(
            log_line(&server, started).await.is_some(),
            "{}",
            server.log()
        );
        assert!(!server.log().lines().any(ended), "{}", server.log());

        // The client gives up while its stream of points is still open.
        call.abort();
        assert!(call.await.unwrap_err().is_cancelled());
        let line = log_line(&server, ended).await;
        let line = line.unwrap_or_else(|| panic!("the call did not end:\n{}", server.log()));
        assert!(line.contains("status=CANCELLED"), "{line}");
        drop(points);

        // The server goes on serving.
        let mut guide = RouteGuideClient::new(channel);
        let after = within_limit(guide.get_feature(point(1, 1))).await;
        assert!(after.is_ok(), "{after:?}");
    });
}

// --- 15. getAll, encoded as it is made ---------------------------------------------------------

/// A codec for calling getAll that keeps the reply as the bytes that came (decompressed), to
/// compare them with what prost encodes.
#[derive(Default)]
struct RawReply;

/// The reply's bytes, as they came.
#[derive(Default)]
struct RawDecoder;

impl Decoder for RawDecoder {
    type Item = Vec<u8>;
    type Error = tonic::Status;

    fn decode(&mut self, buf: &mut DecodeBuf<'_>) -> Result<Option<Vec<u8>>, tonic::Status> {
        Ok(Some(buf.copy_to_bytes(buf.remaining()).to_vec()))
    }
}

impl Codec for RawReply {
    type Encode = ApiRequest;
    type Decode = Vec<u8>;
    type Encoder = ProstEncoder<ApiRequest>;
    type Decoder = RawDecoder;

    fn encoder(&mut self) -> Self::Encoder {
        ProstEncoder::default()
    }

    fn decoder(&mut self) -> RawDecoder {
        RawDecoder
    }
}

/// getAll's reply as bytes, and the `grpc-encoding` it came with.
async fn get_all_bytes(
    channel: Channel,
    length: i32,
    encoding: Option<CompressionEncoding>,
) -> (Vec<u8>, Option<String>) {
    let mut grpc = tonic::client::Grpc::new(channel);
    if let Some(encoding) = encoding {
        grpc = grpc.accept_compressed(encoding);
    }
    within_limit(grpc.ready()).await.unwrap();
    let path = http::uri::PathAndQuery::from_static("/api.Api/getAll");
    let request = tonic::Request::new(ApiRequest { length });
    let reply = within_limit(grpc.unary(request, path, RawReply))
        .await
        .unwrap();
    let encoding = reply
        .metadata()
        .get("grpc-encoding")
        .map(|value| value.to_str().unwrap().to_owned());
    (reply.into_inner(), encoding)
}

#[test]
fn get_all_replies_with_exactly_the_bytes_prost_encodes() {
    let server = Server::start(&[]);
    let length = 100_000;
    let items: Vec<Item> = (1..=length)
        .map(|id| Item {
            id,
            name: format!("name {id}"),
        })
        .collect();
    let expected = Items {
        items: items.clone(),
    }
    .encode_to_vec();
    runtime().block_on(async {
        let channel = connect(server.url()).await;
        for (encoding, name) in [
            (None, None),
            (Some(CompressionEncoding::Gzip), Some("gzip")),
            (Some(CompressionEncoding::Zstd), Some("zstd")),
        ] {
            let (bytes, came_with) = get_all_bytes(channel.clone(), length, encoding).await;
            assert_eq!(came_with.as_deref(), name);
            assert!(bytes == expected, "{name:?}: the bytes differ from prost's");
        }
        // The typed client decodes it to the same items.
        let mut client =
            ApiClient::new(channel.clone()).accept_compressed(CompressionEncoding::Gzip);
        let reply = within_limit(client.get_all(ApiRequest { length }))
            .await
            .unwrap();
        assert!(
            reply.into_inner().items == items,
            "the typed client's items"
        );
        // No items is an empty message.
        let (bytes, _) = get_all_bytes(channel, 0, None).await;
        assert_eq!(bytes, b"");
    });

    let json = run(&[
        "get-all",
        "--length",
        &length.to_string(),
        "-o",
        "json",
        "--addr",
        &server.url(),
        "--compress",
        "gzip",
    ]);
    assert_exit(&json, 0);
    let value: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(
        value == json!({"items": items_json(length)}),
        "apicli's JSON"
    );
}

#[test]
fn get_all_keeps_its_limit_the_token_check_and_the_call_log() {
    let files = Files::new();
    let token = unique("get-all-token");
    let token_file = files.write("token", &token);
    let server = Server::start(&["--max-items", "1000", "--token-file", &token_file]);
    let url = server.url();

    let missing = run(&["get-all", "--length", "10", "--addr", &url]);
    assert_exit(&missing, 80);
    assert_one_error_line(&missing, "UNAUTHENTICATED");
    let zipped = run(&[
        "get-all",
        "--length",
        "10",
        "--addr",
        &url,
        "--compress",
        "gzip",
    ]);
    assert_exit(&zipped, 80);
    assert_one_error_line(&zipped, "UNAUTHENTICATED");

    let over = run(&[
        "get-all",
        "--length",
        "1001",
        "--addr",
        &url,
        "--token-file",
        &token_file,
    ]);
    assert_exit(&over, 67);
    assert_one_error_line(
        &over,
        "length 1001 is out of range: getAll serves 0 to 1000 items (the server's --max-items); \
         use getStream for more",
    );
    let over_zipped = run(&[
        "get-all",
        "--length",
        "2147483647",
        "--addr",
        &url,
        "--token-file",
        &token_file,
        "--compress",
        "gzip",
    ]);
    assert_exit(&over_zipped, 67);
    assert_one_error_line(&over_zipped, "INVALID_ARGUMENT");

    let at_limit = run(&[
        "get-all",
        "--length",
        "1000",
        "-o",
        "json",
        "--addr",
        &url,
        "--token-file",
        &token_file,
        "--compress",
        "gzip",
    ]);
    assert_exit(&at_limit, 0);
    let value: Value = serde_json::from_slice(&at_limit.stdout).unwrap();
    assert_eq!(value, json!({"items": items_json(1000)}));

    // Each call has its line in the log, with its status.
    let statuses = ["UNAUTHENTICATED", "INVALID_ARGUMENT", "OK"];
    let logged = |status: &str| {
        let wanted = format!("status={status}");
        server
            .log()
            .lines()
            .any(|line| line.contains("method=/api.Api/getAll ") && line.contains(&wanted))
    };
    let start = Instant::now();
    while !statuses.iter().all(|status| logged(status)) && start.elapsed() < LIMIT {
        thread::sleep(Duration::from_millis(20));
    }
    for status in statuses {
        assert!(
            logged(status),
            "no getAll logged {status}:\n{}",
            server.log()
        );
    }
}
