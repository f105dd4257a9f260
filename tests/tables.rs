//! Tables of streamed messages keep their columns: sized from the first rows, with a longer value
//! later cut with `…` on a terminal and printed whole off one. The real binary against
//! `apicli serve`; the terminal is a pseudo-terminal of `script` (util-linux), where present.

mod common;

use std::{
    io::{Read, Write},
    process::{Child, Command, Stdio},
    sync::mpsc::{self, Receiver},
    thread,
    time::Instant,
};

use common::{LIMIT, Server, apicli, assert_exit, json_lines, run, run_with_input, stdout};

const RECTANGLE: &str = r#"{"lo":{"latitude":400000000,"longitude":-750000000},"hi":{"latitude":420000000,"longitude":-730000000}}"#;

/// Notes at one short location, then (once their reply is shown) at a longer one.
const NEAR: [&str; 2] = [
    r#"{"location":{"latitude":1,"longitude":2},"message":"a"}"#,
    r#"{"location":{"latitude":1,"longitude":2},"message":"b"}"#,
];
const FAR: [&str; 2] = [
    r#"{"location":{"latitude":123456789,"longitude":-123456789},"message":"c"}"#,
    r#"{"location":{"latitude":123456789,"longitude":-123456789},"message":"d"}"#,
];

/// The features' names, as JSON gives them.
fn feature_names(server: &Server) -> Vec<String> {
    let output = run(&[
        "--addr",
        &server.addr,
        "-o",
        "json",
        "call",
        "routeguide.RouteGuide/ListFeatures",
        "-d",
        RECTANGLE,
    ]);
    assert_exit(&output, 0);
    let names: Vec<String> = json_lines(&stdout(&output))
        .iter()
        .map(|feature| feature["name"].as_str().unwrap().to_owned())
        .collect();
    // The test needs names of different lengths, the longer after the first.
    assert!(names.iter().any(|name| name.len() > names[0].len() + 2));
    names
}

/// Checks that every row of a table of features starts its location where the header does, after
/// the feature's whole name.
fn assert_aligned_and_whole(table: &str, names: &[String]) {
    let lines: Vec<&str> = table.lines().collect();
    let column = lines[0].find("location").expect("a location column");
    assert_eq!(lines.len(), names.len() + 1, "{table}");
    for (line, name) in lines[1..].iter().zip(names) {
        let (left, location) = line.split_at(column);
        assert!(
            location.starts_with(r#"{"latitude""#),
            "out of line: {line}\n{table}"
        );
        assert_eq!(left.trim_end(), name, "{table}");
    }
}

#[test]
fn a_streamed_table_off_a_terminal_is_aligned_and_whole() {
    let server = Server::start(&[]);
    let names = feature_names(&server);
    let output = run(&[
        "--addr",
        &server.addr,
        "call",
        "routeguide.RouteGuide/ListFeatures",
        "-d",
        RECTANGLE,
    ]);
    assert_exit(&output, 0);
    assert_aligned_and_whole(&stdout(&output), &names);
}

#[test]
fn a_value_longer_than_its_column_later_is_whole_off_a_terminal() {
    let server = Server::start(&[]);
    let args = [
        "--addr",
        &server.addr,
        "call",
        "routeguide.RouteGuide/RouteChat",
        "-d",
        "@-",
    ];
    let output = run_with_input(
        apicli().args(args),
        &(NEAR.join("\n") + "\n" + &FAR.join("\n")),
    );
    assert_exit(&output, 0);
    assert!(
        stdout(&output).contains(r#"{"latitude":123456789,"longitude":-123456789}  c"#),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_streamed_table_on_a_terminal_is_aligned() {
    let server = Server::start(&[]);
    let names = feature_names(&server);
    let Some(mut terminal) = Terminal::start(&format!(
        "exec {} call routeguide.RouteGuide/ListFeatures -d '{RECTANGLE}'",
        Terminal::apicli(&server)
    )) else {
        return;
    };
    assert_aligned_and_whole(&terminal.finish(), &names);
}

#[test]
fn a_value_longer_than_its_column_later_is_cut_on_a_terminal() {
    let server = Server::start(&[]);
    // Notes are typed on the terminal: no echo, so that only the table shows.
    let Some(mut terminal) = Terminal::start(&format!(
        "stty -echo; echo ready; exec {} call routeguide.RouteGuide/RouteChat -d @-",
        Terminal::apicli(&server)
    )) else {
        return;
    };
    terminal.wait_for("ready");
    terminal.type_lines(&NEAR);
    // The reply to the second note shows once the window that sizes the columns has ended.
    terminal.wait_for("  a\n");
    terminal.type_lines(&FAR);
    terminal.type_end();
    let table = terminal.finish();
    let table = &table[table.find("location").expect("a header")..];
    assert_eq!(
        table,
        "location                      message\n\
         {\"latitude\":1,\"longitude\":2}  a\n\
         {\"latitude\":123456789,\"long…  c\n"
    );
}

/// A shell command run on a pseudo-terminal by `script`: stdin is typed on it, and stdout and
/// stderr are what it shows.
struct Terminal {
    child: Child,
    shown: Receiver<Vec<u8>>,
    bytes: Vec<u8>,
    /// What `bytes` show, with line ends as `\n`.
    text: String,
}

impl Terminal {
    /// `apicli` as a shell command, for `server`, with no colour or progress bar to strip.
    fn apicli(server: &Server) -> String {
        format!(
            "'{}' -q --color never --addr {}",
            env!("CARGO_BIN_EXE_apicli"),
            server.addr
        )
    }

    /// None (and a note) where `script` is missing.
    fn start(command: &str) -> Option<Terminal> {
        // The environment the harness gives apicli.
        let mut cmd = Command::new("script");
        for (key, value) in apicli().get_envs() {
            match value {
                Some(value) => cmd.env(key, value),
                None => cmd.env_remove(key),
            };
        }
        let spawned = cmd
            .args(["-qec", command, "/dev/null"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(err) => {
                eprintln!("skipped: no script(1) to run apicli on a terminal: {err}");
                return None;
            }
        };
        let mut out = child.stdout.take().expect("piped stdout");
        let (tx, shown) = mpsc::channel();
        thread::spawn(move || {
            let mut chunk = [0; 4096];
            while let Ok(n @ 1..) = out.read(&mut chunk) {
                if tx.send(chunk[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Some(Terminal {
            child,
            shown,
            bytes: Vec::new(),
            text: String::new(),
        })
    }

    /// Reads what is shown until `needle` is (line ends as `\n`).
    fn wait_for(&mut self, needle: &str) {
        let start = Instant::now();
        while !self.text.contains(needle) {
            let left = LIMIT.saturating_sub(start.elapsed());
            match self.shown.recv_timeout(left) {
                Ok(bytes) => self.read(&bytes),
                Err(_) => panic!("{needle:?} not shown within {LIMIT:?}:\n{}", self.text),
            }
        }
    }

    fn type_lines(&mut self, lines: &[&str]) {
        let stdin = self.child.stdin.as_mut().expect("piped stdin");
        for line in lines {
            stdin.write_all(format!("{line}\n").as_bytes()).unwrap();
        }
        stdin.flush().unwrap();
    }

    /// Ctrl-D at the start of a line: the end of the input.
    fn type_end(&mut self) {
        let stdin = self.child.stdin.as_mut().expect("piped stdin");
        stdin.write_all(b"\x04").unwrap();
        stdin.flush().unwrap();
    }

    /// Waits for the command to end, and returns all it showed.
    fn finish(&mut self) -> String {
        let status = common::wait_with_limit(&mut self.child, LIMIT);
        assert!(status.success(), "{status}:\n{}", self.text);
        while let Ok(bytes) = self.shown.recv_timeout(LIMIT) {
            self.read(&bytes);
        }
        std::mem::take(&mut self.text)
    }

    fn read(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
        self.text = String::from_utf8_lossy(&self.bytes).replace("\r\n", "\n");
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
