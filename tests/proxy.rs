//! HTTP proxies: `--proxy`, `--no-proxy`, `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY`, through a
//! real CONNECT proxy, proxy.py, started on 127.0.0.1 with an OS-chosen port for each test. Its
//! access log shows which tunnels it opened, so each test checks that the proxy really carried
//! the call (or really did not).
//!
//! proxy.py is installed on first use by `tests/interop/setup.sh` into `target/interop/`. When
//! that fails, the tests that need it print `skipping proxy tests: …` and return, except under
//! `CI=true`, where they fail with the setup output. The tests of failures that need no proxy
//! (one that is not there, one that never answers, bad URLs) always run.
//!
//! The environment's proxy never serves loopback addresses, and every server here is on
//! loopback. So the tests that need the environment's proxy to apply address the server as
//! `127.1`: the system resolver reads it as 127.0.0.1 (the short form inet_aton accepts), but it
//! is not an IP address as written, so apicli treats it as a host name, as grpc-go would. The
//! proxy resolves it the same way.

mod common;

use std::{
    net::TcpListener,
    os::unix::process::CommandExt as _,
    path::{Path, PathBuf},
    process::{Child, Command, Output, Stdio},
    thread,
    time::{Duration, Instant},
};

use common::{LIMIT, PROXY_VARIABLES, Server, assert_exit, output_of, stderr, stdout};

// ---------------------------------------------------------------------------------------------
// proxy.py
// ---------------------------------------------------------------------------------------------

/// proxy.py's program, or `None` (after saying why, once) when the interop peers cannot be
/// installed outside CI.
fn proxy_program() -> Option<&'static Path> {
    common::peers::peers("proxy tests").map(|peers| peers.proxy.as_path())
}

/// proxy.py listening on 127.0.0.1; stopped, with its worker, when dropped.
struct ProxyPy {
    port: u16,
    log: PathBuf,
    child: Child,
    _dir: tempfile::TempDir,
}

impl ProxyPy {
    /// Starts proxy.py, requiring `user:password` when `basic_auth` is given, and waits until it
    /// accepts connections.
    fn start(program: &Path, basic_auth: Option<&str>) -> ProxyPy {
        let dir = tempfile::tempdir().expect("temporary directory");
        let port_file = dir.path().join("port");
        let log = dir.path().join("access.log");
        let mut cmd = Command::new(program);
        cmd.args(["--hostname", "127.0.0.1", "--port", "0", "--port-file"])
            .arg(&port_file)
            .args(["--num-workers", "1", "--num-acceptors", "1", "--log-file"])
            .arg(&log)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group, so that stopping it reaches its acceptor process too.
            .process_group(0);
        for variable in PROXY_VARIABLES {
            cmd.env_remove(variable);
        }
        if let Some(credentials) = basic_auth {
            cmd.args(["--basic-auth", credentials]);
        }
        let child = cmd.spawn().expect("start proxy.py");
        let mut proxy = ProxyPy {
            port: 0,
            log,
            child,
            _dir: dir,
        };
        let deadline = Instant::now() + LIMIT;
        loop {
            let port = std::fs::read_to_string(&port_file)
                .ok()
                .and_then(|text| text.trim().parse::<u16>().ok());
            if let Some(port) = port
                && std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
            {
                proxy.port = port;
                return proxy;
            }
            if let Ok(Some(status)) = proxy.child.try_wait() {
                panic!(
                    "proxy.py exited with {status} before listening; its log:\n{}",
                    proxy.access_log()
                );
            }
            assert!(
                Instant::now() < deadline,
                "proxy.py did not listen within {LIMIT:?}"
            );
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// `http://127.0.0.1:PORT`, with `credentials@` when given.
    fn url(&self, credentials: Option<&str>) -> String {
        match credentials {
            Some(credentials) => format!("http://{credentials}@127.0.0.1:{}", self.port),
            None => format!("http://127.0.0.1:{}", self.port),
        }
    }

    fn access_log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits (up to [`LIMIT`]) for the access log to show a tunnel to `target` that carried
    /// bytes. proxy.py writes the line when the tunnel closes.
    fn assert_tunnel_to(&self, target: &str) {
        let deadline = Instant::now() + LIMIT;
        while Instant::now() < deadline {
            if self.tunnels().iter().any(|t| t == target) {
                return;
            }
            thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "proxy.py shows no tunnel to {target}; its log:\n{}",
            self.access_log()
        );
    }

    /// The targets of the tunnels that carried bytes, as the access log names them.
    fn tunnels(&self) -> Vec<String> {
        self.access_log()
            .lines()
            .filter_map(|line| {
                let rest = line.split(" - CONNECT ").nth(1)?;
                let (target, rest) = rest.split_once(" - ")?;
                let bytes: u64 = rest.split_whitespace().next()?.parse().ok()?;
                (bytes > 0).then(|| target.to_owned())
            })
            .collect()
    }
}

impl Drop for ProxyPy {
    fn drop(&mut self) {
        // SIGTERM lets proxy.py stop its acceptor; SIGKILL would leave it behind.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            thread::sleep(Duration::from_millis(20));
        }
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// Running apicli
// ---------------------------------------------------------------------------------------------

/// Runs `apicli ARGS` with exactly the proxy variables in `env`.
fn apicli(args: &[&str], env: &[(&str, &str)]) -> Output {
    output_of(common::apicli().envs(env.iter().copied()).args(args))
}

/// A loopback port on which nothing listens (a listener's, closed).
fn dead_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local address").port()
}

fn port_of(addr: &str) -> &str {
    addr.rsplit_once(':').map(|(_, port)| port).unwrap_or(addr)
}

fn assert_hello(output: &Output, name: &str) {
    assert_exit(output, 0);
    assert_eq!(stdout(output), format!("message\nHello {name}!\n"));
}

/// stderr's one line, which must be the whole of it.
fn only_line(output: &Output) -> String {
    let err = stderr(output);
    assert_eq!(err.lines().count(), 1, "one line expected:\n{err}");
    err.trim_end().to_owned()
}

// ---------------------------------------------------------------------------------------------
// Through the proxy
// ---------------------------------------------------------------------------------------------

#[test]
fn plaintext_calls_go_through_the_proxy_given_with_the_flag() {
    let Some(program) = proxy_program() else {
        return;
    };
    let proxy = ProxyPy::start(program, None);
    let server = Server::start(&[]);
    // The flag serves loopback too, unlike the environment.
    let hello = apicli(
        &[
            "hello",
            "x",
            "--addr",
            &server.addr,
            "--proxy",
            &proxy.url(None),
            "-v",
        ],
        &[],
    );
    assert_hello(&hello, "x");
    let line = format!("apicli: proxy {} (--proxy)", proxy.url(None));
    assert!(stderr(&hello).contains(&line), "{}", stderr(&hello));
    proxy.assert_tunnel_to(&server.addr);

    // A stream of many frames, with the scheme-less form of the URL.
    let stream = apicli(
        &[
            "stream",
            "--length",
            "200",
            "-o",
            "json",
            "--addr",
            &server.addr,
            "--proxy",
            &format!("127.0.0.1:{}", proxy.port),
        ],
        &[],
    );
    assert_exit(&stream, 0);
    assert_eq!(
        common::json_lines(&stdout(&stream)),
        common::items_json(200)
    );
}

#[test]
fn tls_goes_inside_the_tunnel() {
    let Some(program) = proxy_program() else {
        return;
    };
    let proxy = ProxyPy::start(program, None);
    let tls = tempfile::tempdir().unwrap();
    let dir = tls.path().to_str().unwrap();
    let server = Server::start(&["--tls-self-signed", dir]);
    let port = port_of(&server.addr);
    let ca = format!("{dir}/ca.pem");

    // The certificate names localhost, which is the TLS name and :authority; the proxy only
    // sees the tunnel's target.
    let https = format!("https://localhost:{port}");
    let flag = apicli(
        &[
            "hello",
            "tls",
            "--addr",
            &https,
            "--ca-cert",
            &ca,
            "--proxy",
            &proxy.url(None),
        ],
        &[],
    );
    assert_hello(&flag, "tls");
    proxy.assert_tunnel_to(&format!("localhost:{port}"));

    // From HTTPS_PROXY, which an https:// address uses, and not HTTP_PROXY (a dead port here).
    let dead = format!("http://127.0.0.1:{}", dead_port());
    let short = format!("https://127.1:{port}");
    let env = apicli(
        &[
            "hello",
            "env",
            "--addr",
            &short,
            "--authority",
            "localhost",
            "--ca-cert",
            &ca,
            "-v",
        ],
        &[("HTTPS_PROXY", &proxy.url(None)), ("HTTP_PROXY", &dead)],
    );
    assert_hello(&env, "env");
    let line = format!("apicli: proxy {} (from HTTPS_PROXY)", proxy.url(None));
    assert!(stderr(&env).contains(&line), "{}", stderr(&env));
    proxy.assert_tunnel_to(&format!("127.1:{port}"));
}

#[test]
fn credentials_are_sent_and_never_shown() {
    let Some(program) = proxy_program() else {
        return;
    };
    // A password with characters that must be percent-encoded in a URL.
    let proxy = ProxyPy::start(program, Some("user:p@ss:w"));
    let server = Server::start(&[]);
    let right = proxy.url(Some("user:p%40ss%3Aw"));
    let shown = format!("http://user:[redacted]@127.0.0.1:{}", proxy.port);

    let accepted = apicli(
        &[
            "hello",
            "x",
            "--addr",
            &server.addr,
            "--proxy",
            &right,
            "-v",
        ],
        &[],
    );
    assert_hello(&accepted, "x");
    let err = stderr(&accepted);
    assert!(
        err.contains(&format!("apicli: proxy {shown} (--proxy)")),
        "{err}"
    );
    proxy.assert_tunnel_to(&server.addr);

    let wrong = apicli(
        &[
            "hello",
            "x",
            "--addr",
            &server.addr,
            "--proxy",
            &proxy.url(Some("user:n0t-it")),
            "-v",
        ],
        &[],
    );
    assert_exit(&wrong, 1);
    assert_eq!(stdout(&wrong), "");
    let err = stderr(&wrong);
    assert_eq!(
        err.lines().last().unwrap_or_default(),
        format!(
            "apicli: error: the proxy http://user:[redacted]@127.0.0.1:{} refused the tunnel \
             to {}: 407 Proxy Authentication Required",
            proxy.port, server.addr
        ),
        "{err}"
    );

    let none = apicli(
        &[
            "hello",
            "x",
            "--addr",
            &server.addr,
            "--proxy",
            &proxy.url(None),
        ],
        &[],
    );
    assert_exit(&none, 1);
    assert_eq!(
        only_line(&none),
        format!(
            "apicli: error: the proxy {} refused the tunnel to {}: \
             407 Proxy Authentication Required",
            proxy.url(None),
            server.addr
        )
    );

    for output in [&accepted, &wrong, &none] {
        let all = format!("{}{}", stdout(output), stderr(output));
        for secret in ["p@ss", "p%40ss", "n0t-it"] {
            assert!(!all.contains(secret), "{secret} shown:\n{all}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The environment
// ---------------------------------------------------------------------------------------------

#[test]
fn the_environment_proxy_serves_other_hosts_unless_no_proxy_exempts_them() {
    let Some(program) = proxy_program() else {
        return;
    };
    let proxy = ProxyPy::start(program, None);
    let server = Server::start(&[]);
    let short = format!("127.1:{}", port_of(&server.addr));

    // http_proxy (lower case) serves a plaintext address that is not loopback as written.
    let proxied = apicli(
        &["hello", "env", "--addr", &short, "-v"],
        &[("http_proxy", &proxy.url(None))],
    );
    assert_hello(&proxied, "env");
    let line = format!("apicli: proxy {} (from http_proxy)", proxy.url(None));
    assert!(stderr(&proxied).contains(&line), "{}", stderr(&proxied));
    proxy.assert_tunnel_to(&short);

    // NO_PROXY exempts it: the call goes straight to the server, past a proxy that is not there.
    let dead = format!("http://127.0.0.1:{}", dead_port());
    let exempt = apicli(
        &["hello", "direct", "--addr", &short, "-v"],
        &[("HTTP_PROXY", &dead), ("NO_PROXY", "other.example, 127.1")],
    );
    assert_hello(&exempt, "direct");
    assert!(
        stderr(&exempt).contains(
            "apicli: no proxy: NO_PROXY exempts 127.1 ('127.1'), so HTTP_PROXY is not used"
        ),
        "{}",
        stderr(&exempt)
    );

    // So does --no-proxy, and HTTPS_PROXY is not for plaintext.
    let flag = apicli(
        &["hello", "flag", "--addr", &short, "--no-proxy"],
        &[("HTTP_PROXY", &dead)],
    );
    assert_hello(&flag, "flag");
    let https_only = apicli(
        &["hello", "plain", "--addr", &short],
        &[("HTTPS_PROXY", &dead)],
    );
    assert_hello(&https_only, "plain");

    // Without the exemption the dead proxy is used, and named.
    let refused = apicli(
        &["hello", "x", "--addr", &short],
        &[("HTTP_PROXY", &dead), ("NO_PROXY", "other.example")],
    );
    assert_exit(&refused, 1);
    assert_eq!(
        only_line(&refused),
        format!("apicli: error: cannot connect to the proxy {dead}: connection refused")
    );
    assert_eq!(
        proxy.tunnels().len(),
        1,
        "only the first call went through proxy.py:\n{}",
        proxy.access_log()
    );
}

/// `bench` with several addresses decides the route of each: `NO_PROXY` exempts the first
/// address, and the second still goes through the proxy. (`127.0.1` is 127.0.0.1 too, written
/// as a name, as `127.1` is.)
#[test]
fn bench_decides_the_route_of_each_address() {
    let Some(program) = proxy_program() else {
        return;
    };
    let proxy = ProxyPy::start(program, None);
    let (first, second) = (Server::start(&["-q"]), Server::start(&["-q"]));
    let exempt = format!("127.1:{}", port_of(&first.addr));
    let proxied = format!("127.0.1:{}", port_of(&second.addr));
    let output = apicli(
        &[
            "bench",
            "api.Api/sayHello",
            "--addr",
            &exempt,
            "--addr",
            &proxied,
            "-n",
            "20",
            "-o",
            "json",
            "-q",
        ],
        &[("HTTP_PROXY", &proxy.url(None)), ("NO_PROXY", "127.1")],
    );
    assert_exit(&output, 0);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("a report");
    assert_eq!(report["statuses"]["OK"], 20, "{report}");
    drop(second);
    proxy.assert_tunnel_to(&proxied);
    assert_eq!(
        proxy.tunnels(),
        [proxied],
        "only the second address went through proxy.py:\n{}",
        proxy.access_log()
    );
}

#[test]
fn the_environment_proxy_never_serves_loopback() {
    // No proxy listens at this port: a call that tried it would fail.
    let dead = format!("http://127.0.0.1:{}", dead_port());
    let server = Server::start(&[]);
    let env = [
        ("HTTP_PROXY", dead.as_str()),
        ("HTTPS_PROXY", dead.as_str()),
    ];
    for addr in [
        server.addr.clone(),
        format!("localhost:{}", port_of(&server.addr)),
    ] {
        let output = apicli(&["hello", "x", "--addr", &addr, "-v"], &env);
        assert_hello(&output, "x");
        let host = addr.rsplit_once(':').unwrap().0;
        let line = format!(
            "apicli: no proxy: {host} is a loopback address, which HTTP_PROXY does not serve \
             (--proxy would)"
        );
        assert!(stderr(&output).contains(&line), "{}", stderr(&output));
    }
}

// ---------------------------------------------------------------------------------------------
// Failures that need no proxy
// ---------------------------------------------------------------------------------------------

#[test]
fn a_proxy_that_is_not_there_is_named() {
    let dead = format!("http://127.0.0.1:{}", dead_port());
    let output = apicli(
        &["hello", "x", "--addr", "127.0.0.1:50051", "--proxy", &dead],
        &[],
    );
    assert_exit(&output, 1);
    assert_eq!(
        only_line(&output),
        format!("apicli: error: cannot connect to the proxy {dead}: connection refused")
    );
}

#[test]
fn the_connect_timeout_covers_a_proxy_that_never_answers() {
    // Accepts connections (the kernel does, into the backlog) and never answers.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy = format!("http://127.0.0.1:{}", silent.local_addr().unwrap().port());
    let started = Instant::now();
    let output = apicli(
        &[
            "hello",
            "x",
            "--addr",
            "api.example:443",
            "--proxy",
            &proxy,
            "--connect-timeout",
            "500ms",
        ],
        &[],
    );
    assert_exit(&output, 1);
    assert_eq!(
        only_line(&output),
        format!(
            "apicli: error: cannot connect to api.example:443 through the proxy {proxy} within \
             500ms (--connect-timeout); is the address right?"
        )
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn proxy_urls_that_cannot_be_used_are_usage_errors() {
    for (url, why) in [
        (
            "socks5://u:pw@127.0.0.1:1080",
            "bad --proxy 'socks5://u:[redacted]@127.0.0.1:1080': SOCKS proxies are not \
             supported; give an http:// proxy",
        ),
        (
            "https://127.0.0.1:3128",
            "bad --proxy 'https://127.0.0.1:3128': proxies reached over TLS (https://) are not \
             supported; give an http:// proxy",
        ),
        (
            "http://u:pw@127.0.0.1:99999",
            "bad --proxy 'http://u:[redacted]@127.0.0.1:99999': the port '99999' is not a \
             number from 1 to 65535",
        ),
    ] {
        let output = apicli(&["hello", "x", "--proxy", url], &[]);
        assert_exit(&output, 2);
        assert_eq!(only_line(&output), format!("apicli: error: {why}"));
    }

    // A bad variable is an error only where it would be used.
    let env = [("HTTPS_PROXY", "socks5://u:pw@127.0.0.1:1080")];
    let used = apicli(&["hello", "x", "--addr", "https://api.example:443"], &env);
    assert_exit(&used, 2);
    assert_eq!(
        only_line(&used),
        "apicli: error: bad HTTPS_PROXY 'socks5://u:[redacted]@127.0.0.1:1080': SOCKS proxies \
         are not supported; give an http:// proxy (--no-proxy ignores the variable)"
    );

    let unix = apicli(
        &[
            "hello",
            "x",
            "--addr",
            "unix:/nowhere.sock",
            "--proxy",
            "127.0.0.1:1",
        ],
        &[],
    );
    assert_exit(&unix, 2);
    assert!(only_line(&unix).contains("--proxy needs a TCP address"));

    let both = apicli(&["hello", "x", "--proxy", "127.0.0.1:1", "--no-proxy"], &[]);
    assert_exit(&both, 2);
    assert!(only_line(&both).contains("cannot be used with"));
}

#[test]
fn grpc_web_goes_through_the_tunnel_over_either_http_version() {
    let Some(program) = proxy_program() else {
        return;
    };
    let proxy = ProxyPy::start(program, None);
    let server = Server::start(&[]);
    let tls = tempfile::tempdir().unwrap();
    let dir = tls.path().to_str().unwrap();
    let tls_server = Server::start(&["--tls-self-signed", dir]);
    let https = format!("https://localhost:{}", port_of(&tls_server.addr));
    let ca = format!("{dir}/ca.pem");
    for protocol in ["grpc-web", "grpc-web-text"] {
        for http in ["1.1", "2", "auto"] {
            let plain = apicli(
                &[
                    "hello",
                    "web",
                    "--addr",
                    &server.addr,
                    "--proxy",
                    &proxy.url(None),
                    "--protocol",
                    protocol,
                    "--http",
                    http,
                ],
                &[],
            );
            assert_hello(&plain, "web");
            let tls = apicli(
                &[
                    "hello",
                    "web",
                    "--addr",
                    &https,
                    "--ca-cert",
                    &ca,
                    "--proxy",
                    &proxy.url(None),
                    "--protocol",
                    protocol,
                    "--http",
                    http,
                ],
                &[],
            );
            assert_hello(&tls, "web");
        }
    }
    proxy.assert_tunnel_to(&server.addr);
    proxy.assert_tunnel_to(&format!("localhost:{}", port_of(&tls_server.addr)));
}
