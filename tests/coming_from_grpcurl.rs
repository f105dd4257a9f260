//! The README's "Coming from grpcurl" tables, run: every apicli command in them against real
//! `apicli serve` instances (plaintext, TLS, mutual TLS and a unix socket), in the order the
//! README gives them, and grpcurl's command of the same row against the same servers when the
//! interop peers are installed. The flags the tables cover are checked against grpcurl's own
//! `-help`, so a grpcurl flag cannot go missing from the tables.

mod common;

use std::{
    collections::BTreeSet,
    fs,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    thread,
    time::{Duration, Instant},
};

use common::{
    ChildGuard, LIMIT, PROXY_VARIABLES, Server, apicli,
    peers::{self, Ran, repo_root},
};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use tempfile::TempDir;

/// The flags of grpcurl 1.9 (`grpcurl -help`), for when grpcurl itself is not installed.
const GRPCURL_FLAGS: &[&str] = &[
    "-H",
    "-allow-unknown-fields",
    "-alts",
    "-alts-handshaker-service",
    "-alts-target-service-account",
    "-authority",
    "-cacert",
    "-cert",
    "-connect-timeout",
    "-d",
    "-emit-defaults",
    "-expand-headers",
    "-format",
    "-format-error",
    "-help",
    "-import-path",
    "-insecure",
    "-keepalive-time",
    "-key",
    "-max-msg-sz",
    "-max-time",
    "-msg-template",
    "-plaintext",
    "-proto",
    "-proto-out-dir",
    "-protoset",
    "-protoset-out",
    "-reflect-header",
    "-rpc-header",
    "-servername",
    "-unix",
    "-use-reflection",
    "-user-agent",
    "-v",
    "-version",
    "-vv",
];

/// The rows that have no apicli command, each with the reason the README gives.
const WITHOUT_EQUIVALENT: &[&str] = &["-use-reflection", "-alts"];

/// One row of a table: the flags it is about (none in the commands table), and both commands.
#[derive(Debug)]
struct Row {
    flags: Vec<String>,
    grpcurl: String,
    /// `None` for a row that says why apicli has no equivalent.
    apicli: Option<String>,
}

/// The rows of the README's "Coming from grpcurl" section, in order.
fn rows() -> Vec<Row> {
    let readme = fs::read_to_string(repo_root().join("README.md")).expect("read README.md");
    let section: Vec<&str> = readme
        .lines()
        .skip_while(|line| *line != "## Coming from grpcurl")
        .skip(1)
        .take_while(|line| !line.starts_with("## "))
        .collect();
    assert!(
        !section.is_empty(),
        "README.md has no '## Coming from grpcurl' section"
    );
    let rows: Vec<Row> = section
        .iter()
        .filter(|line| line.starts_with('|') && !line.starts_with("|---"))
        .filter_map(|line| row(line))
        .collect();
    assert!(rows.len() > 30, "too few rows: {rows:?}");
    rows
}

/// A table line as a row; `None` for a header line.
fn row(line: &str) -> Option<Row> {
    let cells = cells(line);
    let (flags, grpcurl, apicli) = match cells.as_slice() {
        [grpcurl, apicli] => ("", grpcurl, apicli),
        [flags, grpcurl, apicli] => (flags.as_str(), grpcurl, apicli),
        _ => panic!("a row has two or three cells: {line}"),
    };
    let grpcurl = code_spans(grpcurl).into_iter().next()?;
    if !grpcurl.starts_with("grpcurl ") {
        return None;
    }
    let apicli = code_spans(apicli)
        .into_iter()
        .next()
        .filter(|command| command.starts_with("apicli ") || command.contains("| apicli "));
    Some(Row {
        flags: code_spans(flags)
            .iter()
            .map(|flag| flag.split(' ').next().unwrap().to_owned())
            .collect(),
        grpcurl,
        apicli,
    })
}

/// The cells of a table line, `\|` read as `|`.
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    let mut cells = vec![String::new()];
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cells.last_mut().unwrap().push('|');
                chars.next();
            }
            '|' => cells.push(String::new()),
            c => cells.last_mut().unwrap().push(c),
        }
    }
    cells.iter().map(|cell| cell.trim().to_owned()).collect()
}

/// The tokens of a message in the text format, spelled one way: `{ }` for `< >`, and no `:`
/// between a field's name and a message.
fn normalized(message: &str) -> Vec<String> {
    let words: Vec<&str> = message.split_whitespace().collect();
    let mut tokens = Vec::with_capacity(words.len());
    for (index, word) in words.iter().enumerate() {
        let opens = |word: Option<&&str>| matches!(word, Some(&"{" | &"<"));
        tokens.push(match *word {
            "<" => "{".to_owned(),
            ">" => "}".to_owned(),
            name if opens(words.get(index + 1)) => name.trim_end_matches(':').to_owned(),
            other => other.to_owned(),
        });
    }
    tokens
}

#[test]
fn the_text_format_is_compared_in_one_spelling() {
    assert_eq!(
        normalized("items: <\n  id: 1\n>\nitems:  {  id: 2 }"),
        normalized("items {\n  id: 1\n}\nitems {\n  id: 2\n}\n")
    );
    assert_ne!(normalized("items { id: 1 }"), normalized("items { id: 2 }"));
}

/// The `code` spans of a cell, in order.
fn code_spans(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_tables_cover_every_grpcurl_flag() {
    let rows = rows();
    let covered: BTreeSet<&str> = rows
        .iter()
        .flat_map(|row| row.flags.iter().map(String::as_str))
        .collect();
    let mut expected: BTreeSet<String> = GRPCURL_FLAGS.iter().map(|f| f.to_string()).collect();
    if let Some(peers) = peers::peers("grpcurl's own flag list") {
        expected.extend(grpcurl_flags(&peers.grpcurl));
    }
    let missing: Vec<&String> = expected
        .iter()
        .filter(|flag| !covered.contains(flag.as_str()))
        .collect();
    assert!(missing.is_empty(), "no README row for {missing:?}");
    for row in &rows {
        if row.apicli.is_none() {
            assert!(
                row.flags
                    .iter()
                    .any(|flag| WITHOUT_EQUIVALENT.contains(&flag.as_str())),
                "a row without an apicli command, not known to have none: {row:?}"
            );
        }
    }
}

/// The flags that `grpcurl -help` lists.
fn grpcurl_flags(grpcurl: &Path) -> BTreeSet<String> {
    let help = peers::run(Command::new(grpcurl).arg("-help"));
    let listed: BTreeSet<String> = help
        .stderr
        .lines()
        .chain(help.stdout.lines())
        .filter_map(|line| line.strip_prefix("  -"))
        .filter_map(|rest| rest.split([' ', '\t']).next())
        .map(|name| format!("-{name}"))
        .collect();
    assert!(
        listed.len() > 30,
        "grpcurl -help lists too few flags:\n{help}"
    );
    listed
}

/// The servers the tables' addresses stand for, and the folder the commands run in.
struct Servers {
    plaintext: Server,
    tls: Server,
    mutual: Server,
    /// `apicli serve` on the unix socket `socket`.
    _unix: ChildGuard,
    socket: PathBuf,
    dir: TempDir,
}

impl Servers {
    fn start() -> Servers {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            fs::write(&path, text).expect("write a test file");
            path.to_str().expect("a UTF-8 path").to_owned()
        };
        let (ca, (server_cert, server_key), (client_cert, client_key)) = certificates();
        let ca = write("ca.pem", &ca);
        let server_cert = write("server.pem", &server_cert);
        let server_key = write("server-key.pem", &server_key);
        write("client.pem", &client_cert);
        write("client-key.pem", &client_key);
        write("token.txt", "secret-token\n");
        let socket = dir.path().join("api.sock");
        let tls = ["--tls-cert", &server_cert, "--tls-key", &server_key];
        Servers {
            plaintext: Server::start(&[]),
            tls: Server::start(&tls),
            mutual: Server::start(&[&tls[..], &["--client-ca", &ca]].concat()),
            _unix: serve_on(&socket),
            socket,
            dir,
        }
    }

    /// `command` with the README's addresses replaced by the servers'.
    fn localize(&self, command: &str) -> String {
        let socket = self.socket.to_str().expect("a UTF-8 path");
        let localized = command
            .replace("localhost:50051", &self.plaintext.addr)
            .replace("localhost:8443", &self.tls.addr)
            .replace("localhost:9443", &self.mutual.addr)
            .replace("/tmp/api.sock", socket);
        assert!(
            !localized.contains("localhost") && !localized.contains(".example:"),
            "a command that would leave loopback: {localized}"
        );
        localized
    }

    /// Runs `command` with `sh` in the servers' folder, with `program`'s folder first on PATH.
    fn run(&self, command: &str, program: &Path) -> Ran {
        let bin_dir = program.parent().expect("the program's folder");
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut dirs = vec![bin_dir.to_path_buf()];
        dirs.extend(std::env::split_paths(&path));
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(self.localize(command))
            .current_dir(self.dir.path())
            .env("PATH", std::env::join_paths(dirs).expect("a PATH"))
            .env("TOKEN", "secret-token")
            .env("XDG_CONFIG_HOME", "/nonexistent/apicli-tests");
        for variable in [
            "APICLI_ADDR",
            "APICLI_PROFILE",
            "APICLI_CONFIG",
            "APICLI_ERROR_FORMAT",
        ] {
            cmd.env_remove(variable);
        }
        for variable in PROXY_VARIABLES {
            cmd.env_remove(variable);
        }
        peers::run(&mut cmd)
    }
}

/// `apicli serve` on the unix socket `socket`, once the socket is there.
fn serve_on(socket: &Path) -> ChildGuard {
    let server = ChildGuard(
        apicli()
            .args(["serve", "--addr"])
            .arg(format!("unix:{}", socket.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start apicli serve"),
    );
    let start = Instant::now();
    while !socket.exists() {
        assert!(start.elapsed() < LIMIT, "no socket at {}", socket.display());
        thread::sleep(Duration::from_millis(10));
    }
    server
}

/// A CA, a server certificate for localhost, 127.0.0.1 and api.example, and a client
/// certificate, all as PEM.
#[allow(clippy::type_complexity)]
fn certificates() -> (String, (String, String), (String, String)) {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(DnType::CommonName, "test CA");
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let issuer = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
    let issue = |names: &[&str], purpose: ExtendedKeyUsagePurpose| {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut params = CertificateParams::new(names.clone()).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, names[0].clone());
        params.extended_key_usages = vec![purpose];
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &issuer).unwrap();
        (cert.pem(), key.serialize_pem())
    };
    let server = issue(
        &["localhost", "127.0.0.1", "api.example"],
        ExtendedKeyUsagePurpose::ServerAuth,
    );
    let client = issue(&["client"], ExtendedKeyUsagePurpose::ClientAuth);
    (issuer.pem(), server, client)
}

/// Every apicli command of the tables succeeds; so does grpcurl's beside it, when grpcurl is
/// installed. Both run in the README's order, in one folder, so that a row may use the files an
/// earlier row wrote (`--protoset-out`, then `--protoset`).
#[test]
fn every_apicli_command_of_the_tables_runs() {
    let rows = rows();
    let servers = Servers::start();
    let apicli = Path::new(env!("CARGO_BIN_EXE_apicli"));
    let grpcurl = peers::peers("grpcurl's side of the tables").map(|peers| peers.grpcurl.clone());
    // The installed grpcurl may be older than the tables (1.8 has no -proto-out-dir): its side
    // of a row runs when it knows the row's flags. grpcurl 1.8's grpc-go (1.44) also sends a
    // unix socket's path as the :authority, which is no authority, and which the HTTP/2 layer
    // under serve refuses (PROTOCOL_ERROR) before any service sees the call; later grpc-go
    // sends `localhost`.
    let mut known = grpcurl.as_deref().map(grpcurl_flags).unwrap_or_default();
    if let Some(grpcurl) = &grpcurl
        && let version = peers::run(Command::new(grpcurl).arg("-version"))
        && format!("{}{}", version.stdout, version.stderr).contains("v1.8.")
    {
        known.remove("-unix");
    }
    let mut ran = 0;
    for row in &rows {
        let Some(command) = &row.apicli else { continue };
        let result = servers.run(command, apicli);
        assert_eq!(result.code, Some(0), "README row {row:?}:\n{result}");
        assert!(
            !result.stdout.trim().is_empty() || command.contains("--proto"),
            "README row printed nothing: {row:?}:\n{result}"
        );
        if let Some(grpcurl) = &grpcurl
            && row.flags.iter().all(|flag| known.contains(flag))
        {
            let theirs = servers.run(&row.grpcurl, grpcurl);
            assert_eq!(theirs.code, Some(0), "grpcurl's side of {row:?}:\n{theirs}");
        }
        ran += 1;
    }
    assert!(ran > 30, "only {ran} commands ran");
    // The servers served what was asked of them for the whole run.
    for server in [&servers.plaintext, &servers.tls, &servers.mutual] {
        assert!(!server.log().contains("panicked"), "{}", server.log());
    }
}

/// `-o text` prints what grpcurl's `-format text` prints: the same messages, set apart by the
/// same record separators, with the same fields and values. Only the spelling of the text format
/// may differ: Go's printer adds a space here and there at random, on purpose, so that no one
/// depends on it, and grpcurl before 1.9 writes a message field as `name: < … >` where protoc
/// and apicli write `name { … }`, which the format takes as the same.
#[test]
fn text_output_is_grpcurls_but_for_spacing() {
    let Some(peers) = peers::peers("grpcurl's text format") else {
        return;
    };
    let servers = Servers::start();
    let apicli = Path::new(env!("CARGO_BIN_EXE_apicli"));
    let tokens =
        |text: &str| -> Vec<Vec<String>> { text.split('\u{1e}').map(normalized).collect() };
    for (grpcurl, ours, messages) in [
        (
            "grpcurl -plaintext -format text -d 'length: 3' localhost:50051 api.Api/getAll",
            "apicli call localhost:50051 api.Api/getAll -d '{\"length\":3}' -o text",
            1,
        ),
        (
            "grpcurl -plaintext -format text -d 'length: 3' localhost:50051 api.Api/getStream",
            "apicli call localhost:50051 api.Api/getStream -d '{\"length\":3}' -o text",
            3,
        ),
    ] {
        let theirs = servers.run(grpcurl, &peers.grpcurl);
        theirs.assert_code(0);
        let mine = servers.run(ours, apicli);
        mine.assert_code(0);
        assert_eq!(tokens(&mine.stdout).len(), messages, "{mine}");
        assert_eq!(
            tokens(&mine.stdout),
            tokens(&theirs.stdout),
            "{mine}\n{theirs}"
        );
    }
}
