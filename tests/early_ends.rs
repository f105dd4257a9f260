//! Every RPC kind × every way a call can end early, with the real binary against `apicli serve`:
//! the deadline (exit 68), Ctrl-C (exit 130), the server's death (exit 1) and a reader that
//! leaves (`| head`: exit 0, quiet). Each says what was sent and what arrived, and a connection
//! on which the server had answered is never said to have failed.
//!
//! The kinds are routeguide.RouteGuide's: GetFeature, ListFeatures (paced by the server's
//! `--stream-interval`), RecordRoute and RouteChat, whose second note at a place hears the first.

mod common;

use std::{
    io::{BufRead, BufReader, Read, Write},
    process::{ChildStdin, ChildStdout, Stdio},
    sync::mpsc::Receiver,
    thread,
    time::Duration,
};

use common::{
    ChildGuard, LIMIT, Server, apicli, read_all_in_background, send_signal, wait_with_limit,
};

const POINT: &str = r#"{"latitude":407838351,"longitude":-746143763}"#;
const NOTE: &str = r#"{"location":{"latitude":1,"longitude":1},"message":"here"}"#;
/// A rectangle around all twenty features.
const EVERYWHERE: &str = r#"{"lo":{"latitude":400000000,"longitude":-750000000},"hi":{"latitude":420000000,"longitude":-730000000}}"#;
/// Long enough for a message sent to have left the client, however busy the machine.
const SETTLE: Duration = Duration::from_millis(400);

#[derive(Clone, Copy, PartialEq)]
enum End {
    Deadline,
    CtrlC,
    ServerDeath,
    Head,
}

/// One call in flight, its requests written from the test as it goes.
struct Call {
    child: ChildGuard,
    stdin: Option<ChildStdin>,
    stdout: Option<BufReader<ChildStdout>>,
    stderr: Receiver<Vec<u8>>,
}

impl Call {
    /// `apicli call routeguide.RouteGuide/METHOD -d @- -o json`, by reflection.
    fn start(server: &Server, method: &str, end: End) -> Call {
        let mut cmd = apicli();
        cmd.args(["call", &format!("routeguide.RouteGuide/{method}")])
            .args(["-d", "@-", "-o", "json", "--addr", &server.url()]);
        if end == End::Deadline {
            cmd.args(["--timeout", "1s"]);
        }
        let mut child = ChildGuard(
            cmd.stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("run apicli"),
        );
        let stderr = read_all_in_background(child.0.stderr.take().unwrap());
        Call {
            stdin: child.0.stdin.take(),
            stdout: Some(BufReader::new(child.0.stdout.take().unwrap())),
            child,
            stderr,
        }
    }

    fn send(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
    }

    fn close_stdin(&mut self) {
        self.stdin = None;
    }

    fn read_line(&mut self) -> String {
        let mut line = String::new();
        let stdout = self.stdout.as_mut().expect("stdout open");
        stdout.read_line(&mut line).unwrap();
        assert!(line.ends_with('\n'), "a whole line: {line:?}");
        line
    }

    /// The reader leaves, as `head` does.
    fn close_stdout(&mut self) {
        self.stdout = None;
    }

    fn interrupt(&self) {
        send_signal(self.child.0.id(), "INT");
    }

    /// Waits for the end: the exit code, the lines printed from now on, and stderr.
    fn finish(mut self) -> (i32, usize, String) {
        let rest = self.stdout.take().map(|mut stdout| {
            let mut rest = String::new();
            stdout.read_to_string(&mut rest).unwrap();
            rest.lines().count()
        });
        let status = wait_with_limit(&mut self.child.0, LIMIT);
        let stderr = String::from_utf8(self.stderr.recv().unwrap()).unwrap();
        (
            status.code().expect("an exit code"),
            rest.unwrap_or(0),
            stderr,
        )
    }
}

/// Ends the call as `end` says (the deadline ends it by itself), and checks how it ended:
/// `progress` (given the lines that arrived in all) is what the error line says in parentheses.
fn end_and_check(
    mut call: Call,
    server: &mut Server,
    end: End,
    arrived: usize,
    progress: impl Fn(usize) -> String,
) {
    match end {
        End::Deadline => {}
        End::CtrlC => call.interrupt(),
        End::ServerDeath => {
            server.signal("KILL");
            server.wait_exit(LIMIT);
        }
        End::Head => call.close_stdout(),
    }
    // Only the deadline ends a call whose requests are still coming.
    if end != End::Deadline {
        call.close_stdin();
    }
    let (code, after, stderr) = call.finish();
    let arrived = arrived + after;
    let progress = match progress(arrived) {
        p if p.is_empty() => String::new(),
        p => format!(" ({p})"),
    };
    let (expected_code, expected) = match end {
        End::Deadline => (
            68,
            format!(
                "apicli: error: DEADLINE_EXCEEDED: the 1s deadline (--timeout) passed{progress}\n"
            ),
        ),
        End::CtrlC => (130, format!("apicli: interrupted{progress}\n")),
        End::ServerDeath => (
            1,
            format!(
                "apicli: error: the server at {} closed the connection mid-call{progress}\n",
                server.addr
            ),
        ),
        End::Head => (0, String::new()),
    };
    assert_eq!(stderr, expected);
    assert_eq!(code, expected_code, "{stderr}");
}

fn messages(n: usize) -> String {
    format!("{n} message{} arrived", if n == 1 { "" } else { "s" })
}

// --- unary: GetFeature, with the server stopped (SIGSTOP) once reflection has answered -----------

fn unary(end: End) {
    let mut server = Server::start(&[]);
    let mut call = Call::start(&server, "GetFeature", end);
    if end == End::Head {
        call.close_stdout();
    } else {
        // The connection is made and the server has answered on it; now it answers no more.
        assert!(server.wait_for_log("ServerReflectionInfo", LIMIT));
        server.signal("STOP");
    }
    call.send(POINT);
    call.close_stdin();
    match end {
        // Nothing shows that the request has left: a server killed before it did is one the
        // client must connect to again. Ctrl-C says the same either way.
        End::ServerDeath => thread::sleep(3 * SETTLE),
        End::CtrlC => thread::sleep(SETTLE),
        End::Deadline | End::Head => {}
    }
    end_and_check(call, &mut server, end, 0, |_| String::new());
}

#[test]
fn unary_deadline() {
    unary(End::Deadline);
}

#[test]
fn unary_ctrl_c() {
    unary(End::CtrlC);
}

#[test]
fn unary_server_death() {
    unary(End::ServerDeath);
}

#[test]
fn unary_head() {
    unary(End::Head);
}

// --- server streaming: ListFeatures, a feature every 200 ms ------------------------------------

fn server_streaming(end: End) {
    let mut server = Server::start(&["--stream-interval", "200ms"]);
    let mut call = Call::start(&server, "ListFeatures", end);
    call.send(EVERYWHERE);
    call.close_stdin();
    call.read_line();
    end_and_check(call, &mut server, end, 1, messages);
}

#[test]
fn server_streaming_deadline() {
    server_streaming(End::Deadline);
}

#[test]
fn server_streaming_ctrl_c() {
    server_streaming(End::CtrlC);
}

#[test]
fn server_streaming_server_death() {
    server_streaming(End::ServerDeath);
}

#[test]
fn server_streaming_head() {
    server_streaming(End::Head);
}

// --- client streaming: RecordRoute, two points sent and the route left open --------------------

fn client_streaming(end: End) {
    let mut server = Server::start(&[]);
    let mut call = Call::start(&server, "RecordRoute", end);
    call.send(POINT);
    call.send(POINT);
    if end != End::Deadline {
        thread::sleep(SETTLE);
    }
    end_and_check(call, &mut server, end, 0, |arrived| {
        format!("2 messages sent, {arrived} arrived")
    });
}

#[test]
fn client_streaming_deadline() {
    client_streaming(End::Deadline);
}

#[test]
fn client_streaming_ctrl_c() {
    client_streaming(End::CtrlC);
}

#[test]
fn client_streaming_server_death() {
    client_streaming(End::ServerDeath);
}

#[test]
fn client_streaming_head() {
    // The summary comes when the route ends, to a reader already gone.
    let mut server = Server::start(&[]);
    let mut call = Call::start(&server, "RecordRoute", End::Head);
    call.close_stdout();
    call.send(POINT);
    call.send(POINT);
    end_and_check(call, &mut server, End::Head, 0, |_| String::new());
}

// --- bidi: RouteChat, two notes at one place, so the second hears the first ---------------------

fn bidi(end: End) {
    let mut server = Server::start(&[]);
    let mut call = Call::start(&server, "RouteChat", end);
    call.send(NOTE);
    call.send(NOTE);
    call.read_line();
    if end == End::Head {
        call.close_stdout();
        // Two more replies, to a reader already gone.
        call.send(NOTE);
    }
    end_and_check(call, &mut server, end, 1, |arrived| {
        format!("2 messages sent, {arrived} arrived")
    });
}

#[test]
fn bidi_deadline() {
    bidi(End::Deadline);
}

#[test]
fn bidi_ctrl_c() {
    bidi(End::CtrlC);
}

#[test]
fn bidi_server_death() {
    bidi(End::ServerDeath);
}

#[test]
fn bidi_head() {
    bidi(End::Head);
}
