//! gRPC-Web, binary and text, over HTTP/2 and HTTP/1.1, both ways: apicli against `apicli serve`
//! prints byte for byte what it prints over gRPC, ends with the same statuses, refuses what
//! gRPC-Web cannot carry before anything is sent, and says which HTTP version it used. The
//! server answers CORS preflights only when asked to, and logs each call's protocol and HTTP
//! version. Hand-made peers play an HTTP/1.1-only server and broken ones.

mod common;

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::{TcpListener, TcpStream},
    process::Output,
    thread,
    time::Duration,
};

use base64::{Engine as _, engine::general_purpose::STANDARD};
use common::{Server, apicli, assert_exit, assert_one_error_line, output_of, stderr, stdout};

const WEB: [&str; 2] = ["grpc-web", "grpc-web-text"];
/// Every protocol that translates to and from gRPC at the transport seam; more flags may
/// follow a protocol's name.
const TRANSLATED: [&str; 4] = [
    "grpc-web",
    "grpc-web-text",
    "connect",
    "connect --codec json",
];
const HTTP: [&str; 3] = ["2", "1.1", "auto"];

fn call(server: &Server, args: &[&str]) -> Output {
    output_of(apicli().arg("--addr").arg(server.url()).args(args))
}

fn with(args: &[&str], protocol: &str, http: &str) -> Vec<String> {
    let mut all: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let mut words = protocol.split_whitespace();
    all.extend(["--protocol", words.next().unwrap_or(protocol)].map(str::to_owned));
    all.extend(words.map(str::to_owned));
    all.extend(["--http", http].map(str::to_owned));
    all
}

/// The commands whose output must not depend on the protocol.
fn commands() -> Vec<Vec<&'static str>> {
    let proto = "proto/route_guide.proto";
    vec![
        vec!["hello", "world"],
        vec!["hello", "world", "-o", "json"],
        vec!["get-all", "--length", "7"],
        vec!["stream", "--length", "25", "-o", "json"],
        vec!["health"],
        vec![
            "call",
            "routeguide.RouteGuide/GetFeature",
            "--proto",
            proto,
            "-d",
            r#"{"latitude":409146138,"longitude":-746188906}"#,
        ],
        vec![
            "call",
            "routeguide.RouteGuide/ListFeatures",
            "--proto",
            proto,
            "-o",
            "json",
            "-d",
            r#"{"lo":{"latitude":400000000,"longitude":-750000000},"hi":{"latitude":420000000,"longitude":-730000000}}"#,
        ],
    ]
}

#[test]
fn every_protocol_and_http_version_prints_what_grpc_prints() {
    let server = Server::start(&[]);
    for args in commands() {
        let grpc = call(&server, &args);
        assert_exit(&grpc, 0);
        assert!(!grpc.stdout.is_empty(), "{args:?} printed nothing");
        for protocol in TRANSLATED {
            for http in HTTP {
                let args = with(&args, protocol, http);
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let web = call(&server, &args);
                assert_exit(&web, 0);
                assert_eq!(
                    stdout(&web),
                    stdout(&grpc),
                    "{args:?} printed otherwise than over gRPC"
                );
            }
        }
    }
}

#[test]
fn reflection_goes_over_connect_on_http2() {
    let server = Server::start(&[]);
    for args in [
        &["list"][..],
        &["describe", "routeguide.RouteGuide"],
        &["call", "api.Api/sayHello", "-d", r#"{"name":"x"}"#],
        &[
            "call",
            "routeguide.RouteGuide/RouteChat",
            "-d",
            r#"{"location":{"latitude":1},"message":"a"} {"location":{"latitude":1},"message":"b"}"#,
            "-o",
            "json",
        ],
    ] {
        let grpc = call(&server, args);
        assert_exit(&grpc, 0);
        for protocol in ["connect", "connect --codec json"] {
            for http in ["2", "auto"] {
                let args = with(args, protocol, http);
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let connect = call(&server, &args);
                assert_exit(&connect, 0);
                assert_eq!(stdout(&connect), stdout(&grpc), "{args:?}");
            }
        }
    }
}

#[test]
fn statuses_end_the_same_whatever_the_protocol() {
    let server = Server::start(&["--max-items", "10"]);
    let grpc = call(&server, &["get-all", "--length", "11"]);
    assert_exit(&grpc, 67);
    assert_one_error_line(&grpc, "INVALID_ARGUMENT");
    for protocol in TRANSLATED {
        for http in HTTP {
            let args = with(&["get-all", "--length", "11"], protocol, http);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let web = call(&server, &args);
            assert_exit(&web, 67);
            assert_eq!(stderr(&web), stderr(&grpc), "{args:?}");
        }
    }
    // A stream that fails after its messages: what arrived, then the status.
    let args = ["stream", "--length", "11", "-o", "json"];
    let grpc = call(&server, &args);
    for protocol in TRANSLATED {
        let web = call(
            &server,
            &with(&args, protocol, "1.1")
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
        );
        assert_eq!(web.status.code(), grpc.status.code());
        assert_eq!(stdout(&web), stdout(&grpc));
    }
}

#[test]
fn what_grpc_web_cannot_carry_is_refused_before_anything_is_sent() {
    let server = Server::start(&[]);
    let proto = "proto/route_guide.proto";
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "call",
                "routeguide.RouteGuide/RouteChat",
                "--proto",
                proto,
                "-d",
                "{}",
            ],
            "apicli: error: routeguide.RouteGuide/RouteChat is bidi-streaming, which gRPC-Web \
             cannot carry (it streams only from the server); use --protocol grpc\n",
        ),
        (
            &[
                "call",
                "routeguide.RouteGuide/RecordRoute",
                "--proto",
                proto,
                "-d",
                "{}",
            ],
            "apicli: error: routeguide.RouteGuide/RecordRoute is client-streaming, which \
             gRPC-Web cannot carry (it streams only from the server); use --protocol grpc\n",
        ),
        (
            &["list"],
            "apicli: error: reflection is a bidi stream, which gRPC-Web cannot carry; give the \
             service's descriptors with --proto or --protoset (or use --protocol grpc)\n",
        ),
        (
            &["describe", "routeguide.Point"],
            "apicli: error: reflection is a bidi stream, which gRPC-Web cannot carry; give the \
             service's descriptors with --proto or --protoset (or use --protocol grpc)\n",
        ),
        (
            &["call", "routeguide.RouteGuide/GetFeature", "-d", "{}"],
            "apicli: error: reflection is a bidi stream, which gRPC-Web cannot carry; give the \
             service's descriptors with --proto or --protoset (or use --protocol grpc)\n",
        ),
    ];
    for (args, expected) in cases {
        for protocol in WEB {
            for http in HTTP {
                let args = with(args, protocol, http);
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let output = call(&server, &args);
                assert_exit(&output, 2);
                assert_eq!(stderr(&output), *expected, "{args:?}");
            }
        }
    }
    let output = call(&server, &["hello", "x", "--http", "1.1"]);
    assert_exit(&output, 2);
    assert_eq!(
        stderr(&output),
        "apicli: error: gRPC needs HTTP/2, not --http 1.1; use --protocol grpc-web (or connect) \
         over HTTP/1.1\n"
    );
    // What Connect cannot carry, and Connect's own flags without it.
    let route_guide = concat!(env!("CARGO_MANIFEST_DIR"), "/proto/route_guide.proto");
    let connect_cases: &[(&[&str], &str)] = &[
        (
            &["list", "--protocol", "connect", "--http", "1.1"],
            "apicli: error: reflection is a bidi stream, which HTTP/1.1 (--http 1.1) cannot \
             carry; give the service's descriptors with --proto or --protoset (or use --http 2)\n",
        ),
        (
            &[
                "call",
                "routeguide.RouteGuide/RouteChat",
                "-d",
                "{}",
                "--protocol",
                "connect",
                "--http",
                "1.1",
                "--proto",
                route_guide,
            ],
            "apicli: error: routeguide.RouteGuide/RouteChat is bidi-streaming, which HTTP/1.1 \
             cannot carry; use --http 2\n",
        ),
        (
            &[
                "call",
                "routeguide.RouteGuide/ListFeatures",
                "-d",
                "{}",
                "--protocol",
                "connect",
                "--get",
                "--proto",
                route_guide,
            ],
            "apicli: error: routeguide.RouteGuide/ListFeatures is server-streaming, and --get \
             sends unary calls only; send it without --get\n",
        ),
        (
            &["stream", "--length", "2", "--protocol", "connect", "--get"],
            "apicli: error: api.Api/getStream is server-streaming, and --get sends unary calls \
             only; send it without --get\n",
        ),
        (
            &["hello", "x", "--get"],
            "apicli: error: --get is Connect's; add --protocol connect (the protocol now is \
             grpc)\n",
        ),
        (
            &["hello", "x", "--codec", "json", "--protocol", "grpc-web"],
            "apicli: error: --codec json is Connect's; add --protocol connect (the protocol now \
             is grpc-web)\n",
        ),
    ];
    let long = format!(r#"{{"name":"{}"}}"#, "x".repeat(10_000));
    let output = call(
        &server,
        &[
            "call",
            "api.Api/sayHello",
            "-d",
            &long,
            "--protocol",
            "connect",
            "--get",
            "--proto",
            concat!(env!("CARGO_MANIFEST_DIR"), "/proto/api.proto"),
        ],
    );
    assert_exit(&output, 2);
    assert_eq!(
        stderr(&output),
        "apicli: error: --get: the request is 13381 bytes in the URL, over the 8 KiB that \
         servers take; send it without --get\n"
    );
    for (args, expected) in connect_cases {
        let output = call(&server, args);
        assert_exit(&output, 2);
        assert_eq!(stderr(&output), *expected, "{args:?}");
    }
    assert!(
        !server.log().contains("method="),
        "a call was made:\n{}",
        server.log()
    );
}

#[test]
fn unknown_protocols_and_http_versions_are_usage_errors() {
    for args in [
        &["hello", "x", "--protocol", "soap"][..],
        &["hello", "x", "--http", "3"],
        &["hello", "x", "--http", "1.0"],
    ] {
        let output = output_of(apicli().args(args));
        assert_exit(&output, 2);
    }
    let output = output_of(apicli().args(["hello", "x"]).env("APICLI_PROTOCOL", "soap"));
    assert_exit(&output, 2);
}

#[test]
fn the_protocol_comes_from_the_environment_or_a_profile_too() {
    let server = Server::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[profiles.web]\naddr = \"{}\"\nprotocol = \"grpcweb\"\nhttp = \"1.1\"\n",
            server.url()
        ),
    )
    .unwrap();
    let output = output_of(
        apicli()
            .args(["--profile", "web", "hello", "p", "-v"])
            .env("APICLI_CONFIG", &config),
    );
    assert_exit(&output, 0);
    assert!(
        stderr(&output).contains("apicli: grpc-web over HTTP/1.1: --http 1.1"),
        "{}",
        stderr(&output)
    );
    let output = output_of(
        apicli()
            .args(["--addr", &server.url(), "hello", "e"])
            .env("APICLI_PROTOCOL", "grpc-web-text"),
    );
    assert_exit(&output, 0);
    assert!(server.wait_for_log("protocol=grpc-web-text", Duration::from_secs(10)));
}

#[test]
fn verbose_names_the_http_version_and_why() {
    let server = Server::start(&[]);
    for (http, expected) in [
        ("2", "apicli: grpc-web over HTTP/2: --http 2\n"),
        ("1.1", "apicli: grpc-web over HTTP/1.1: --http 1.1\n"),
        (
            "auto",
            "apicli: grpc-web over HTTP/2: the server answered HTTP/2's preface (h2c)\n",
        ),
    ] {
        let output = call(
            &server,
            &["hello", "v", "-v", "--protocol", "grpc-web", "--http", http],
        );
        assert_exit(&output, 0);
        assert!(stderr(&output).contains(expected), "{}", stderr(&output));
    }
    let output = call(&server, &["hello", "v", "-v"]);
    let expected = "apicli: grpc over HTTP/2: gRPC needs HTTP/2 (h2c)\n";
    assert!(stderr(&output).contains(expected), "{}", stderr(&output));
}

#[test]
fn verbose_adds_the_http_status_of_a_translated_reply() {
    let server = Server::start(&["--max-items", "10"]);
    let line = |output: &Output| {
        let stderr = stderr(output);
        let lines: Vec<String> = stderr
            .lines()
            .filter(|l| l.starts_with("apicli: HTTP status"))
            .map(str::to_owned)
            .collect();
        lines
    };
    for (protocol, http, args, code, expected) in [
        (
            "connect",
            "2",
            &["hello", "x"][..],
            0,
            "apicli: HTTP status 200 OK",
        ),
        (
            "connect",
            "1.1",
            &["stream", "--length", "1"],
            0,
            "apicli: HTTP status 200 OK",
        ),
        (
            "connect",
            "2",
            &["get-all", "--length", "11"],
            67,
            "apicli: HTTP status 400 Bad Request",
        ),
        (
            "grpc-web",
            "1.1",
            &["hello", "x"],
            0,
            "apicli: HTTP status 200 OK",
        ),
        (
            "grpc-web",
            "2",
            &["get-all", "--length", "11"],
            67,
            "apicli: HTTP status 200 OK",
        ),
    ] {
        let mut all = args.to_vec();
        all.extend(["-v", "--protocol", protocol, "--http", http]);
        let output = call(&server, &all);
        assert_exit(&output, code);
        assert_eq!(line(&output), [expected], "{all:?}: {}", stderr(&output));
        // The mark that carried it is apicli's own: it is never shown as a header.
        assert!(
            !stderr(&output).contains("apicli-http-status"),
            "{}",
            stderr(&output)
        );
    }
    // Native gRPC is always 200: no line for it.
    let output = call(&server, &["get-all", "--length", "11", "-v"]);
    assert_exit(&output, 67);
    assert!(line(&output).is_empty(), "{}", stderr(&output));
}

#[test]
fn the_log_line_names_the_protocol_and_the_http_version() {
    let server = Server::start(&[]);
    for (protocol, http) in [("grpc", "2"), ("grpc-web", "1.1"), ("grpc-web-text", "2")] {
        let output = call(
            &server,
            &["hello", protocol, "--protocol", protocol, "--http", http],
        );
        assert_exit(&output, 0);
        let line = format!("protocol={protocol} http={http} status=OK");
        assert!(
            server.wait_for_log(&line, Duration::from_secs(10)),
            "no {line:?} in:\n{}",
            server.log()
        );
    }
}

/// Sends `request` over a new HTTP/1.1 connection and returns the whole response.
fn exchange(addr: &str, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.write_all(request).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    String::from_utf8_lossy(&response).to_lowercase()
}

const PREFLIGHT: &[u8] = b"OPTIONS /api.Api/sayHello HTTP/1.1\r\nhost: x\r\n\
    origin: https://app.example\r\naccess-control-request-method: POST\r\n\
    access-control-request-headers: content-type,x-grpc-web\r\nconnection: close\r\n\r\n";

/// A gRPC-Web sayHello("cors") over HTTP/1.1 from a page of `https://app.example`.
fn web_hello() -> Vec<u8> {
    let body = b"\x00\x00\x00\x00\x06\x0a\x04cors";
    let mut request = format!(
        "POST /api.Api/sayHello HTTP/1.1\r\nhost: x\r\norigin: https://app.example\r\n\
         content-type: application/grpc-web+proto\r\nx-grpc-web: 1\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    request
}

#[test]
fn cors_preflights_are_answered_only_with_cors_origin() {
    let server = Server::start(&["--cors-origin", "https://app.example"]);
    let response = exchange(&server.addr, PREFLIGHT);
    assert!(response.starts_with("http/1.1 200"), "{response}");
    assert!(
        response.contains("access-control-allow-origin: https://app.example"),
        "{response}"
    );
    assert!(
        response.contains("access-control-allow-methods:"),
        "{response}"
    );
    let response = exchange(&server.addr, &web_hello());
    assert!(
        response.contains("access-control-allow-origin: https://app.example"),
        "{response}"
    );
    let exposed = response
        .lines()
        .find_map(|l| l.strip_prefix("access-control-expose-headers: "))
        .unwrap_or_else(|| panic!("no exposed headers:\n{response}"));
    for name in [
        "grpc-status",
        "grpc-message",
        "grpc-status-details-bin",
        "connect-protocol-version",
    ] {
        assert!(exposed.contains(name), "{name} is not exposed: {exposed}");
    }
    assert!(response.contains("hello cors!"), "{response}");

    let plain = Server::start(&[]);
    for request in [PREFLIGHT, &web_hello()] {
        let response = exchange(&plain.addr, request);
        assert!(!response.contains("access-control-"), "{response}");
    }
    let output = output_of(apicli().args(["serve", "--cors-origin", "app.example/"]));
    assert_exit(&output, 2);
    assert_one_error_line(&output, "bad --cors-origin 'app.example/'");
}

/// A server that speaks only HTTP/1.1, as many gRPC-Web backends do: it refuses HTTP/2's
/// preface with a 400, and answers each request with `reply` (a gRPC-Web body), base64'd when
/// the request was grpc-web-text. Returns its address.
fn http1_only(reply: &'static [u8]) -> String {
    http1_only_with(reply, String::new())
}

/// [`http1_only`], answering `reply` as it is even to grpc-web-text requests.
fn http1_only_raw(reply: &'static [u8]) -> String {
    serve_http1(reply, String::new(), false)
}

/// [`http1_only`], with `headers` (lines ending in CRLF) added to every response.
fn http1_only_with(reply: &'static [u8], headers: String) -> String {
    serve_http1(reply, headers, true)
}

fn serve_http1(reply: &'static [u8], headers: String, encode: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let headers = headers.clone();
            thread::spawn(move || answer_http1(stream, reply, &headers, encode));
        }
    });
    addr
}

fn answer_http1(mut stream: TcpStream, reply: &[u8], headers: &str, encode: bool) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut head = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        if line == "\r\n" {
            break;
        }
        head.push(line.to_lowercase());
    }
    if head[0].starts_with("pri ") {
        let _ = stream.write_all(
            b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n",
        );
        // Read on until the client leaves, as servers do before they close, so that the
        // answer is not lost to a reset.
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let mut rest = [0; 1024];
        while matches!(reader.read(&mut rest), Ok(n) if n > 0) {}
        return;
    }
    // The request's body is chunked: read to its last chunk.
    loop {
        let mut size = String::new();
        if reader.read_line(&mut size).unwrap_or(0) == 0 {
            return;
        }
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        let mut chunk = vec![0; size + 2];
        if reader.read_exact(&mut chunk).is_err() || size == 0 {
            break;
        }
    }
    let text = head
        .iter()
        .any(|h| h.starts_with("content-type: application/grpc-web-text"));
    let (content_type, body) = if text {
        let body = match encode {
            true => STANDARD.encode(reply).into_bytes(),
            false => reply.to_vec(),
        };
        ("application/grpc-web-text+proto", body)
    } else {
        ("application/grpc-web+proto", reply.to_vec())
    };
    let _ = stream.write_all(
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\
             {headers}connection: close\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    );
    let _ = stream.write_all(&body);
}

/// A Hello message "Hello web!" and a trailers frame with status 0.
const HELLO: &[u8] = b"\x00\x00\x00\x00\x0c\x0a\x0aHello web!\
    \x80\x00\x00\x00\x0fgrpc-status: 0\r\n";

#[test]
fn auto_falls_back_to_http1_when_the_server_answers_in_http1() {
    let addr = http1_only(HELLO);
    for protocol in WEB {
        let output = output_of(apicli().args([
            "--addr",
            &addr,
            "hello",
            "x",
            "-o",
            "json",
            "-v",
            "--protocol",
            protocol,
        ]));
        assert_exit(&output, 0);
        assert_eq!(stdout(&output), "{\"message\":\"Hello web!\"}\n");
        assert!(
            stderr(&output).contains(&format!(
                "apicli: {protocol} over HTTP/1.1: the server answered HTTP/2's preface in \
                 HTTP/1.x, so HTTP/1.1 it is\n"
            )),
            "{}",
            stderr(&output)
        );
    }
}

#[test]
fn a_status_in_the_trailers_frame_ends_the_call_as_over_grpc() {
    let addr = http1_only(b"\x80\x00\x00\x00\x2agrpc-status: 5\r\ngrpc-message: nobody here\r\n");
    for protocol in WEB {
        let output =
            output_of(apicli().args(["--addr", &addr, "hello", "x", "--protocol", protocol]));
        assert_exit(&output, 64 + 5);
        assert_eq!(stderr(&output), "apicli: error: NOT_FOUND: nobody here\n");
    }
}

#[test]
fn broken_responses_are_clear_errors() {
    // A length prefix that promises more than comes, and a frame with flags of no meaning.
    for (reply, expected) in [
        (
            &b"\x00\x00\x00\x01\x00abc"[..],
            "ended in the middle of a frame",
        ),
        (b"\x42\x00\x00\x00\x00", "flags 0x42"),
    ] {
        let reply: &'static [u8] = reply;
        let addr = http1_only(reply);
        for protocol in WEB {
            let output =
                output_of(apicli().args(["--addr", &addr, "hello", "x", "--protocol", protocol]));
            assert_eq!(output.status.code(), Some(64 + 13), "{}", stderr(&output));
            assert_one_error_line(&output, expected);
        }
    }
    let addr = http1_only_raw(b"AAAA!!!!");
    let output =
        output_of(apicli().args(["--addr", &addr, "hello", "x", "--protocol", "grpc-web-text"]));
    assert_eq!(output.status.code(), Some(64 + 13), "{}", stderr(&output));
    assert_one_error_line(&output, "its base64 does not decode");
}

#[test]
fn over_tls_too_with_alpn_choosing_under_auto() {
    let dir = tempfile::tempdir().unwrap();
    let certs = dir.path().join("certs");
    let server = Server::start(&["--tls-self-signed", certs.to_str().unwrap()]);
    let ca = certs.join("ca.pem");
    let addr = format!("https://{}", server.addr);
    let tls = |args: &[&str]| {
        output_of(
            apicli()
                .args(["--addr", &addr, "--ca-cert", ca.to_str().unwrap()])
                .args(args),
        )
    };
    let args = ["stream", "--length", "4", "-o", "json"];
    let grpc = tls(&args);
    assert_exit(&grpc, 0);
    for protocol in WEB {
        for http in HTTP {
            let web = tls(&with(&args, protocol, http)
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>());
            assert_exit(&web, 0);
            assert_eq!(stdout(&web), stdout(&grpc), "{protocol} over {http}");
        }
    }
    let output = tls(&["hello", "a", "-v", "--protocol", "grpc-web"]);
    assert!(
        stderr(&output).contains(
            "apicli: grpc-web over HTTP/2: the server chose h2 in the TLS handshake (ALPN)\n"
        ),
        "{}",
        stderr(&output)
    );
    assert!(server.wait_for_log(
        "protocol=grpc-web-text http=1.1 status=OK",
        Duration::from_secs(10)
    ));
}

#[test]
fn http2_asked_of_an_http1_server_says_what_to_use() {
    let addr = http1_only(HELLO);
    let output = output_of(apicli().args([
        "--addr",
        &addr,
        "hello",
        "x",
        "--protocol",
        "grpc-web",
        "--http",
        "2",
    ]));
    assert_exit(&output, 1);
    assert_eq!(
        stderr(&output),
        format!(
            "apicli: error: the server at {addr} answered in HTTP/1.1, not in HTTP/2; for \
             grpc-web over HTTP/1.1 use --http 1.1 (or auto)\n"
        )
    );
}

/// `google.rpc.Status` and ErrorInfo, encoded here as a server in another language would.
mod rpc {
    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Status {
        #[prost(int32, tag = "1")]
        pub code: i32,
        #[prost(string, tag = "2")]
        pub message: String,
        #[prost(message, repeated, tag = "3")]
        pub details: Vec<prost_types::Any>,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct ErrorInfo {
        #[prost(string, tag = "1")]
        pub reason: String,
        #[prost(string, tag = "2")]
        pub domain: String,
    }
}

/// FAILED_PRECONDITION with an ErrorInfo, as `grpc-status-details-bin` carries it.
fn details_bin() -> String {
    use prost::Message as _;
    let info = rpc::ErrorInfo {
        reason: "EMPTY_CART".into(),
        domain: "shop.example".into(),
    };
    let status = rpc::Status {
        code: 9,
        message: "the cart is empty".into(),
        details: vec![prost_types::Any {
            type_url: "type.googleapis.com/google.rpc.ErrorInfo".into(),
            value: info.encode_to_vec(),
        }],
    };
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(status.encode_to_vec())
}

const DETAILS_ERROR: &str = "apicli: error: FAILED_PRECONDITION: the cart is empty\n\
    {\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"EMPTY_CART\",\
    \"domain\":\"shop.example\"}\n";

#[test]
fn details_in_the_trailers_frame_are_decoded() {
    let block = format!(
        "grpc-status: 9\r\ngrpc-message: the cart is empty\r\ngrpc-status-details-bin: {}\r\n",
        details_bin()
    );
    let mut frame = vec![0x80];
    frame.extend_from_slice(&u32::try_from(block.len()).unwrap().to_be_bytes());
    frame.extend_from_slice(block.as_bytes());
    let addr = http1_only(frame.leak());
    for protocol in WEB {
        let output =
            output_of(apicli().args(["--addr", &addr, "hello", "x", "--protocol", protocol]));
        assert_exit(&output, 64 + 9);
        assert_eq!(stderr(&output), DETAILS_ERROR);
    }
}

#[test]
fn a_trailers_only_response_ends_the_call_with_its_status() {
    // The status in the response headers, and no body at all.
    let headers = format!(
        "grpc-status: 9\r\ngrpc-message: the cart is empty\r\ngrpc-status-details-bin: {}\r\n",
        details_bin()
    );
    let addr = http1_only_with(b"", headers);
    for protocol in WEB {
        let output =
            output_of(apicli().args(["--addr", &addr, "hello", "x", "--protocol", protocol]));
        assert_exit(&output, 64 + 9);
        assert_eq!(stderr(&output), DETAILS_ERROR);
    }
}

/// A gRPC-Web POST of `body` as `content_type`, over HTTP/1.1.
fn web_post(content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut request = format!(
        "POST /api.Api/sayHello HTTP/1.1\r\nhost: x\r\ncontent-type: {content_type}\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    request
}

#[test]
fn the_server_answers_broken_requests_with_a_status() {
    let server = Server::start(&[]);
    for (content_type, body, message) in [
        // base64 that is not, and a length prefix that promises more than comes.
        (
            "application/grpc-web-text",
            &b"!!!!"[..],
            "invalid%20symbol",
        ),
        (
            "application/grpc-web+proto",
            b"\x00\x00\x00\x01\x00abc",
            "unexpected%20eof",
        ),
        (
            "application/grpc-web-text+proto",
            b"AAAAAQBhYmM=",
            "unexpected%20eof",
        ),
    ] {
        let response = exchange(&server.addr, &web_post(content_type, body));
        assert!(response.starts_with("http/1.1 200"), "{response}");
        assert!(response.contains("grpc-status: 13"), "{response}");
        assert!(response.contains(message), "{response}");
    }
    let line = "protocol=grpc-web-text http=1.1 status=INTERNAL";
    assert!(
        server.wait_for_log(line, Duration::from_secs(10)),
        "{}",
        server.log()
    );
}

/// A TLS server whose ALPN offers http/1.1 alone, with the certificate that `serve
/// --tls-self-signed` made in `certs`, answering each request with [`HELLO`]. Returns its port,
/// and the count of the connections it accepted.
fn tls_http1_only(
    certs: &std::path::Path,
) -> (u16, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject};
    let chain = CertificateDer::pem_file_iter(certs.join("server.pem"))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(certs.join("server-key.pem")).unwrap();
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let config = std::sync::Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = accepted.clone();
    thread::spawn(move || {
        for tcp in listener.incoming() {
            let Ok(tcp) = tcp else { return };
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let config = config.clone();
            thread::spawn(move || {
                let connection = rustls::ServerConnection::new(config).unwrap();
                let mut tls = rustls::StreamOwned::new(connection, tcp);
                // The request: its head, then its chunked body to the last chunk.
                let mut seen = Vec::new();
                let mut byte = [0];
                while !seen.ends_with(b"\r\n0\r\n\r\n") {
                    if tls.read(&mut byte).unwrap_or(0) == 0 {
                        return;
                    }
                    seen.push(byte[0]);
                }
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/grpc-web+proto\r\n\
                     content-length: {}\r\nconnection: close\r\n\r\n",
                    HELLO.len()
                );
                let _ = tls.write_all(head.as_bytes());
                let _ = tls.write_all(HELLO);
                let _ = tls.flush();
                tls.conn.send_close_notify();
                let _ = tls.flush();
            });
        }
    });
    (port, accepted)
}

#[test]
fn alpn_choosing_http1_under_auto_is_followed() {
    let dir = tempfile::tempdir().unwrap();
    let certs = dir.path().join("certs");
    // serve makes the CA and the certificate; the TLS server here uses them.
    drop(Server::start(&[
        "--tls-self-signed",
        certs.to_str().unwrap(),
    ]));
    let (port, accepted) = tls_http1_only(&certs);
    let output = output_of(apicli().args([
        "--addr",
        &format!("https://localhost:{port}"),
        "--ca-cert",
        certs.join("ca.pem").to_str().unwrap(),
        "--protocol",
        "grpc-web",
        "hello",
        "x",
        "-o",
        "json",
        "-v",
    ]));
    assert_exit(&output, 0);
    assert_eq!(stdout(&output), "{\"message\":\"Hello web!\"}\n");
    assert!(
        stderr(&output).contains(
            "apicli: grpc-web over HTTP/1.1: the server chose HTTP/1.1 in the TLS handshake \
             (ALPN)\n"
        ),
        "{}",
        stderr(&output)
    );
    // The handshake that asked ALPN carried the call: one connection.
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[test]
fn connection_failures_read_the_same_whatever_the_protocol() {
    // Nothing listening, and a certificate the client does not trust.
    let refused = format!("127.0.0.1:{}", {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    });
    let dir = tempfile::tempdir().unwrap();
    let certs = dir.path().join("certs");
    let server = Server::start(&["--tls-self-signed", certs.to_str().unwrap()]);
    let untrusted = format!("https://{}", server.addr);
    for addr in [refused.as_str(), &format!("https://{refused}"), &untrusted] {
        let grpc = output_of(apicli().args(["--addr", addr, "hello", "x"]));
        assert_exit(&grpc, 1);
        for protocol in WEB {
            for http in HTTP {
                let args = with(&["--addr", addr, "hello", "x"], protocol, http);
                let web = output_of(apicli().args(&args));
                assert_exit(&web, 1);
                assert_eq!(stderr(&web), stderr(&grpc), "{args:?}");
            }
        }
    }
}

/// An HTTP/1.1 server that answers every request with `response`, whole, as it is.
fn raw_http1(response: &'static [u8]) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut seen = Vec::new();
                // The head, and the chunked body to its last chunk (or the preface's end).
                while !(seen.ends_with(b"\r\n0\r\n\r\n") || seen.ends_with(b"SM\r\n\r\n")) {
                    let mut byte = [0];
                    if reader.read(&mut byte).unwrap_or(0) == 0 {
                        return;
                    }
                    seen.push(byte[0]);
                }
                let _ = stream.write_all(response);
                let mut rest = [0; 1024];
                while matches!(reader.read(&mut rest), Ok(n) if n > 0) {}
            });
        }
    });
    addr
}

#[test]
fn a_server_that_answers_otherwise_gets_a_status_from_its_http_status() {
    let cases: [(&'static [u8], i32, &str); 3] = [
        (
            b"HTTP/1.1 404 Not Found\r\ncontent-type: text/html\r\ncontent-length: 4\r\n\r\nnope",
            64 + 12,
            "UNIMPLEMENTED: the server answered HTTP 404 Not Found with text/html, not gRPC-Web",
        ),
        (
            b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n",
            64 + 14,
            "UNAVAILABLE: the server answered HTTP 503 Service Unavailable with no content type, \
             not gRPC-Web",
        ),
        (
            b"HTTP/1.1 200 OK\r\ncontent-type: application/proto\r\ncontent-length: 0\r\n\r\n",
            64 + 2,
            "UNKNOWN: the server answered HTTP 200 OK with application/proto, not gRPC-Web; a \
             Connect server? try --protocol connect",
        ),
    ];
    for (response, code, expected) in cases {
        let addr = raw_http1(response);
        for protocol in WEB {
            let args = ["--addr", &addr, "hello", "x", "--protocol", protocol];
            let output = output_of(apicli().args(args).args(["--http", "1.1"]));
            assert_exit(&output, code);
            assert_eq!(stderr(&output), format!("apicli: error: {expected}\n"));
        }
    }
}

#[test]
fn the_token_and_the_request_limit_hold_for_grpc_web_too() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "s3cret\n").unwrap();
    let token = token.to_str().unwrap();
    let server = Server::start(&["--token-file", token, "--max-request-size", "1KiB"]);
    let long = "x".repeat(2000);
    let grpc_missing = call(&server, &["hello", "x"]);
    assert_exit(&grpc_missing, 64 + 16);
    let grpc_big = call(&server, &["hello", &long, "--token-file", token]);
    assert_exit(&grpc_big, 64 + 8);
    for protocol in WEB {
        for http in HTTP {
            let args = with(&["hello", "x", "--token-file", token], protocol, http);
            let output = call(
                &server,
                &args.iter().map(String::as_str).collect::<Vec<_>>(),
            );
            assert_exit(&output, 0);
            let args = with(&["hello", "x"], protocol, http);
            let output = call(
                &server,
                &args.iter().map(String::as_str).collect::<Vec<_>>(),
            );
            assert_exit(&output, 64 + 16);
            assert_eq!(stderr(&output), stderr(&grpc_missing));
            let args = with(&["hello", &long, "--token-file", token], protocol, http);
            let output = call(
                &server,
                &args.iter().map(String::as_str).collect::<Vec<_>>(),
            );
            assert_exit(&output, 64 + 8);
            assert_eq!(stderr(&output), stderr(&grpc_big));
        }
    }
}
