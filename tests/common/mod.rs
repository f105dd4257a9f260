//! Test support: the real `apicli` binary and real servers on loopback port 0.
#![allow(dead_code)]

pub mod peers;
pub mod route_guide;
pub mod snapshot;
pub mod validators;

use std::{
    io::{BufRead, BufReader, Read, Write},
    process::{Child, ChildStderr, Command, Output, Stdio},
    sync::{
        Arc, Mutex,
        mpsc::{self, Receiver},
    },
    thread,
    time::{Duration, Instant},
};

use serde_json::{Value, json};

/// The variables that name proxies, in both spellings.
pub const PROXY_VARIABLES: [&str; 6] = [
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// A command for the `apicli` binary under test, with an environment that cannot leak into it.
pub fn apicli() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_apicli"));
    // No config file of the machine's (profiles) takes part, unless a test gives one.
    cmd.env_remove("APICLI_ADDR")
        .env_remove("APICLI_PROFILE")
        .env_remove("APICLI_CONFIG")
        .env("XDG_CONFIG_HOME", "/nonexistent/apicli-tests")
        .env_remove("NO_COLOR")
        .env_remove("RUST_LOG")
        .env("RUST_BACKTRACE", "1")
        .stdin(Stdio::null());
    for variable in PROXY_VARIABLES {
        cmd.env_remove(variable);
    }
    cmd
}

/// Waits for `child`, killing it and panicking if it runs longer than `limit`.
pub fn wait_with_limit(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait for child") {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("process did not finish within {limit:?}");
        }
        thread::sleep(Duration::from_millis(10));
    }
}

/// `apicli serve` running as a child process on 127.0.0.1 with an OS-chosen port.
/// Its stderr (the server log) is collected in the background; the process is killed on drop.
pub struct Server {
    /// `127.0.0.1:PORT`, as the server reported it.
    pub addr: String,
    child: Child,
    log: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `apicli serve --addr 127.0.0.1:0 ARGS…` and waits for its `listening on` line.
    pub fn start(args: &[&str]) -> Server {
        let mut child = apicli()
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start apicli serve");
        let stderr = child.stderr.take().expect("piped stderr");
        let log = Arc::new(Mutex::new(String::new()));
        let addr = read_listen_addr(stderr, Arc::clone(&log));
        match addr {
            Some(addr) => Server { addr, child, log },
            None => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "apicli serve did not report its address; log:\n{}",
                    log.lock().unwrap()
                );
            }
        }
    }

    /// `http://127.0.0.1:PORT`, for `--addr`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Everything the server has logged so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Polls the log until `needle` appears, for up to `limit`.
    pub fn wait_for_log(&self, needle: &str, limit: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < limit {
            if self.log().contains(needle) {
                return true;
            }
            thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// Sends `signal` (e.g. "INT", "TERM") to the server process.
    pub fn signal(&self, signal: &str) {
        send_signal(self.child.id(), signal);
    }

    /// Waits for the server to exit on its own, up to `limit`.
    pub fn wait_exit(&mut self, limit: Duration) -> std::process::ExitStatus {
        wait_with_limit(&mut self.child, limit)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends a signal by name to a process this test started.
pub fn send_signal(pid: u32, signal: &str) {
    let status = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -{signal} {pid} failed");
}

/// Reads the server's stderr on a thread: returns the address from the first `listening on ADDR`
/// line, and keeps appending every line to `log` until the server exits.
fn read_listen_addr(stderr: ChildStderr, log: Arc<Mutex<String>>) -> Option<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    thread::spawn(move || {
        let mut reader = BufReader::new(stderr);
        let mut tx = Some(tx);
        let mut line = String::new();
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
            log.lock().unwrap().push_str(&line);
            if let Some(rest) = line.split("listening on ").nth(1)
                && let Some(tx) = tx.take()
            {
                let addr = rest.split_whitespace().next().unwrap_or_default();
                let _ = tx.send(addr.trim_matches('"').to_string());
            }
        }
        let mut rest = String::new();
        let _ = reader.read_to_string(&mut rest);
    });
    rx.recv_timeout(LIMIT).ok()
}

// --- running the client and reading what it printed -----------------------------------------

/// How long any one command may run before a test gives up on it.
pub const LIMIT: Duration = Duration::from_secs(30);

/// A child process that is killed when the test ends, passed or failed.
pub struct ChildGuard(pub Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs `cmd` with its output collected, killing it (and failing) if it runs past [`LIMIT`].
pub fn output_of(cmd: &mut Command) -> Output {
    output_within(cmd, LIMIT).unwrap_or_else(|why| panic!("apicli {why}"))
}

/// Runs `cmd` with its output collected; `Err` if it has not ended within `limit` (then it is
/// killed), so that a case that hangs can fail with the others rather than stop the test.
pub fn output_within(cmd: &mut Command, limit: Duration) -> Result<Output, String> {
    let mut child = ChildGuard(
        cmd.stdout(Stdio::piped())
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

/// Runs `cmd` with `input` on its stdin, which is then closed, and its output collected, killing
/// it (and failing) if it runs past [`LIMIT`].
pub fn run_with_input(cmd: &mut Command, input: &str) -> Output {
    run_with_input_in_parts(cmd, &[input], Duration::ZERO)
}

/// Runs `cmd` with `parts` written to its stdin one after another, `pause` apart, like a slow
/// producer; stdin is closed after the last.
pub fn run_with_input_in_parts(cmd: &mut Command, parts: &[&str], pause: Duration) -> Output {
    let mut child = ChildGuard(
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run apicli"),
    );
    let out = read_all_in_background(child.0.stdout.take().expect("piped stdout"));
    let err = read_all_in_background(child.0.stderr.take().expect("piped stderr"));
    let mut stdin = child.0.stdin.take().expect("piped stdin");
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            thread::sleep(pause);
        }
        let _ = stdin.write_all(part.as_bytes());
        let _ = stdin.flush();
    }
    drop(stdin);
    let status = wait_with_limit(&mut child.0, LIMIT);
    Output {
        status,
        stdout: out.recv().expect("stdout read"),
        stderr: err.recv().expect("stderr read"),
    }
}

/// Reads a pipe to its end on a thread, so that a full pipe can never block the child.
pub fn read_all_in_background(mut pipe: impl Read + Send + 'static) -> Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        let _ = tx.send(bytes);
    });
    rx
}

/// Runs `apicli ARGS…` to the end (at most [`LIMIT`]) and returns what it printed.
pub fn run(args: &[&str]) -> Output {
    output_of(apicli().args(args))
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8 stdout")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("utf-8 stderr")
}

/// Asserts the exit code, showing the streams when it is wrong.
pub fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(output),
        stderr(output)
    );
}

/// Asserts a failure is one `apicli: error:` line, with no panic or backtrace.
pub fn assert_one_error_line(output: &Output, needle: &str) {
    let err = stderr(output);
    assert_eq!(err.lines().count(), 1, "one line expected:\n{err}");
    assert!(err.starts_with("apicli: error: "), "{err}");
    assert!(err.contains(needle), "expected {needle:?} in:\n{err}");
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "{err}"
    );
}

/// Parses JSON lines, failing the test on a line that is not one JSON value.
pub fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|line| serde_json::from_str(line).expect("each line is one JSON value"))
        .collect()
}

/// The api.Api items 1..=n, as proto3 JSON.
pub fn items_json(n: i32) -> Vec<Value> {
    (1..=n)
        .map(|id| json!({"id": id, "name": format!("name {id}")}))
        .collect()
}

/// Serves the routes that `routes` builds, on 127.0.0.1:0 from a background thread: a real tonic
/// server in the test process, for what `apicli serve` cannot play. Returns `127.0.0.1:PORT`.
pub fn serve_in_background<F, Fut>(routes: F) -> String
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = tonic::transport::server::Router>,
{
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    listener.set_nonblocking(true).unwrap();
    thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let router = routes().await;
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let incoming = tokio_stream::wrappers::TcpListenerStream::new(listener);
            router.serve_with_incoming(incoming).await.unwrap();
        });
    });
    addr
}

/// Asks the binary for the completions of the last word of `line` (which starts with the
/// program's name) as bash's registration script does, with `env` set as well. Completion
/// prints nothing on stderr, and exits 0.
pub fn completions(line: &[&str], env: &[(&str, &str)]) -> Vec<String> {
    let output = output_of(
        apicli()
            .envs(env.iter().copied())
            .env("COMPLETE", "bash")
            .env("_CLAP_COMPLETE_INDEX", (line.len() - 1).to_string())
            .env("_CLAP_COMPLETE_COMP_TYPE", "9")
            .env("_CLAP_COMPLETE_SPACE", "false")
            .env("_CLAP_IFS", "\n")
            .arg("--")
            .args(line),
    );
    assert_exit(&output, 0);
    assert_eq!(stderr(&output), "", "completion prints nothing on stderr");
    stdout(&output).lines().map(str::to_owned).collect()
}
