//! The third-party peers that `tests/interop/setup.sh` installs into `target/interop/` (a Python
//! venv with grpcio, proxy.py and grpcurl, buf, and the Connect peers under node), found once per test
//! binary; and what the tests that run them share: a finished command's output, and the grpcio
//! servers of `tests/interop/`.
//!
//! When the install fails, [`peers`] says `skipping …: WHY` once and the tests return, except
//! under `CI=true`, where they fail with the setup's output.

use std::{
    io::{self, BufRead, BufReader, Write},
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::{OnceLock, mpsc},
    thread,
    time::Instant,
};

use serde_json::Value;

use super::{ChildGuard, LIMIT};

pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The installed peers, as setup.sh names them.
pub struct Peers {
    pub python: PathBuf,
    /// proxy.py, an HTTP proxy with CONNECT.
    pub proxy: PathBuf,
    /// grpcurl's static binary.
    pub grpcurl: PathBuf,
    /// buf, for `buf curl`.
    pub buf: PathBuf,
    /// node_modules of the Connect peers, their generated code and scripts.
    pub node_dir: PathBuf,
}

/// Why a setup script failed: one line, and everything it printed.
pub struct SetupFailure {
    pub summary: String,
    pub output: String,
}

pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|ci| ci == "true")
}

/// The peers, installed once per test binary; `None` when they cannot be installed outside CI,
/// after saying `skipping WHAT: WHY` once. Under `CI=true` a failed setup panics.
pub fn peers(what: &str) -> Option<&'static Peers> {
    static PEERS: OnceLock<Result<Peers, SetupFailure>> = OnceLock::new();
    let peers = PEERS.get_or_init(|| {
        let peers = setup();
        if let Err(failure) = &peers
            && !in_ci()
        {
            // Straight to stderr, past the test harness's capture, once per test binary.
            let _ = writeln!(io::stderr(), "skipping {what}: {}", failure.summary);
        }
        peers
    });
    match peers {
        Ok(peers) => Some(peers),
        Err(failure) if in_ci() => panic!(
            "interop setup failed: {}\n{}",
            failure.summary, failure.output
        ),
        Err(_) => None,
    }
}

fn setup() -> Result<Peers, SetupFailure> {
    let stdout = run_setup("tests/interop/setup.sh").map_err(|(_, failure)| failure)?;
    let path = |name| named(&stdout, name).map(|path| repo_root().join(path));
    match (
        path("python"),
        path("proxy"),
        path("grpcurl"),
        path("buf"),
        path("node_dir"),
    ) {
        (Some(python), Some(proxy), Some(grpcurl), Some(buf), Some(node_dir)) => Ok(Peers {
            python,
            proxy,
            grpcurl,
            buf,
            node_dir,
        }),
        _ => Err(SetupFailure {
            summary: "setup.sh did not name every peer it installed".to_owned(),
            output: stdout,
        }),
    }
}

/// Debian's chromium, found (or installed with apt-get) once per test binary by
/// `tests/interop/node/chromium.sh`; `None` after saying `skipping WHAT: WHY` once when there is
/// no apt-get to install it with (the script's exit 3). Any other failure panics, in CI or not.
pub fn chromium(what: &str) -> Option<&'static Path> {
    static CHROMIUM: OnceLock<Result<Option<PathBuf>, SetupFailure>> = OnceLock::new();
    let found = CHROMIUM.get_or_init(|| match run_setup("tests/interop/node/chromium.sh") {
        Ok(stdout) => match named(&stdout, "chromium") {
            Some(path) => Ok(Some(PathBuf::from(path))),
            None => Err(SetupFailure {
                summary: "chromium.sh did not name chromium".to_owned(),
                output: stdout,
            }),
        },
        Err((Some(3), failure)) => {
            let _ = writeln!(io::stderr(), "skipping {what}: {}", failure.summary);
            Ok(None)
        }
        Err((_, failure)) => Err(failure),
    });
    match found {
        Ok(path) => path.as_deref(),
        Err(failure) => panic!(
            "chromium setup failed: {}\n{}",
            failure.summary, failure.output
        ),
    }
}

/// Runs a setup script from the repository's root: its stdout, or its exit code and why it
/// failed (the script's own `interop setup failed: …`, `deploy setup failed: …` or
/// `chromium unavailable: …` line).
pub fn run_setup(script: &str) -> Result<String, (Option<i32>, SetupFailure)> {
    let path = repo_root().join(script);
    let output = Command::new("bash")
        .arg(&path)
        .current_dir(repo_root())
        .stdin(Stdio::null())
        .output()
        .map_err(|err| {
            let summary = format!("cannot run bash {}: {err}", path.display());
            let output = String::new();
            (None, SetupFailure { summary, output })
        })?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if output.status.success() {
        return Ok(stdout);
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let summary = stderr
        .lines()
        .rev()
        .find_map(|line| {
            line.strip_prefix("interop setup failed: ")
                .or_else(|| line.strip_prefix("deploy setup failed: "))
                .or_else(|| line.strip_prefix("chromium unavailable: "))
        })
        .map(str::to_owned)
        .unwrap_or_else(|| format!("{script} failed"));
    let output_text = format!(
        "exit: {:?}\n--- stdout\n{stdout}--- stderr\n{stderr}",
        output.status.code()
    );
    let failure = SetupFailure {
        summary,
        output: output_text,
    };
    Err((output.status.code(), failure))
}

/// The value of the `NAME: VALUE` line of `stdout`.
pub fn named(stdout: &str, name: &str) -> Option<String> {
    stdout
        .lines()
        .find_map(|line| line.strip_prefix(&format!("{name}: ")))
        .map(|value| value.trim().to_owned())
}

/// Keeps peers talking to loopback directly, whatever proxy the environment names, and runs
/// them from the repository's root.
pub fn no_proxy(cmd: &mut Command) -> &mut Command {
    cmd.env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost")
        .current_dir(repo_root())
}

/// What a finished command did.
pub struct Ran {
    pub what: String,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Display for Ran {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}\nexit: {:?}\n--- stdout\n{}--- stderr\n{}",
            self.what, self.code, self.stdout, self.stderr
        )
    }
}

impl Ran {
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, Some(code), "unexpected exit code: {self}");
        self
    }

    /// stdout as one JSON value per line.
    pub fn json_lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| {
                serde_json::from_str(line)
                    .unwrap_or_else(|err| panic!("not JSON ({err}): {line:?}\n{self}"))
            })
            .collect()
    }

    /// stdout as a sequence of (possibly pretty-printed) JSON documents, as buf prints them.
    pub fn json_stream(&self) -> Vec<Value> {
        serde_json::Deserializer::from_str(&self.stdout)
            .into_iter::<Value>()
            .collect::<Result<_, _>>()
            .unwrap_or_else(|err| panic!("not a stream of JSON values ({err}):\n{self}"))
    }
}

/// Runs `cmd` to completion (at most [`super::LIMIT`]), with no input, capturing its output.
pub fn run(cmd: &mut Command) -> Ran {
    let what = format!("{cmd:?}");
    let output = super::output_within(cmd.stdin(Stdio::null()), super::LIMIT)
        .unwrap_or_else(|why| panic!("{what}: {why}"));
    Ran {
        what,
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

impl Peers {
    /// The venv python running `tests/interop/SCRIPT`.
    pub fn python(&self, script: &str) -> Command {
        let mut cmd = Command::new(&self.python);
        cmd.arg(repo_root().join("tests/interop").join(script))
            .env("PYTHONDONTWRITEBYTECODE", "1");
        no_proxy(&mut cmd);
        cmd
    }
}

/// A grpcio server (`tests/interop/server.py` or `route_guide_server.py`) on 127.0.0.1, port 0,
/// logging every call.
pub struct PyServer {
    pub addr: String,
    log: PathBuf,
    _process: ChildGuard,
    _dir: tempfile::TempDir,
}

impl PyServer {
    /// `server.py ARGS`.
    pub fn start(peers: &Peers, args: &[&str]) -> PyServer {
        PyServer::start_script(peers, "server.py", args)
    }

    /// `route_guide_server.py ARGS`.
    pub fn route_guide(peers: &Peers, args: &[&str]) -> PyServer {
        PyServer::start_script(peers, "route_guide_server.py", args)
    }

    fn start_script(peers: &Peers, script: &str, args: &[&str]) -> PyServer {
        let dir = tempfile::tempdir().expect("temporary directory");
        let log = dir.path().join("calls.jsonl");
        let mut cmd = peers.python(script);
        cmd.args(["--port", "0", "--log"])
            .arg(&log)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut process = ChildGuard(
            cmd.spawn()
                .unwrap_or_else(|err| panic!("start {script}: {err}")),
        );
        let stderr = process.0.stderr.take().expect("piped stderr");
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + LIMIT;
        let mut said = String::new();
        let addr = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => match line.split("listening on ").nth(1) {
                    Some(addr) => break addr.trim().to_owned(),
                    None => said.push_str(&format!("{line}\n")),
                },
                Err(_) => panic!("{script} did not report its address; stderr:\n{said}"),
            }
        };
        PyServer {
            addr,
            log,
            _process: process,
            _dir: dir,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The calls the server has observed, one JSON object each.
    pub fn calls(&self) -> Vec<Value> {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        text.lines()
            .map(|line| serde_json::from_str(line).expect("the server logs JSON lines"))
            .collect()
    }

    /// The full method names (`/package.Service/Method`) of the calls observed, in order.
    pub fn methods(&self) -> Vec<String> {
        self.calls()
            .iter()
            .filter_map(|call| call["method"].as_str().map(str::to_owned))
            .collect()
    }

    /// The one call the server observed.
    pub fn only_call(&self) -> Value {
        let calls = self.calls();
        assert_eq!(
            calls.len(),
            1,
            "expected one call, the server saw {calls:#?}"
        );
        calls.into_iter().next().unwrap()
    }
}
