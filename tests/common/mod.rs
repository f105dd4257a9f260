//! Test support: the real `apicli` binary and real servers on loopback port 0.
#![allow(dead_code)]

use std::{
    io::{BufRead, BufReader, Read},
    process::{Child, ChildStderr, Command, Stdio},
    sync::{Arc, Mutex},
    thread,
    time::{Duration, Instant},
};

/// A command for the `apicli` binary under test, with an environment that cannot leak into it.
pub fn apicli() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_apicli"));
    cmd.env_remove("APICLI_ADDR")
        .env_remove("NO_COLOR")
        .env_remove("RUST_LOG")
        .env("RUST_BACKTRACE", "1")
        .stdin(Stdio::null());
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
    rx.recv_timeout(Duration::from_secs(30)).ok()
}
