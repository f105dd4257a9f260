//! grpcurl's single-dash flags, as a grpcurl user types them: each exits 2 with one line naming
//! apicli's way, instead of clap's "unexpected argument '-p'".

mod common;

use apicli::cli::GRPCURL_FLAGS;
use common::{assert_exit, assert_one_error_line, run, stderr};

/// grpcurl's flag (its name, without the dash), a command line using it, and what the line must
/// name.
#[rustfmt::skip]
const CASES: &[(&str, &[&str], &str)] = &[
    ("version", &["-version"], "--version"),
    ("plaintext", &["list", "-plaintext", "127.0.0.1:1"], "-plaintext is not needed"),
    ("insecure", &["list", "-insecure"], "--insecure"),
    ("cacert", &["list", "-cacert", "ca.pem"], "--ca-cert"),
    ("cert", &["list", "-cert", "c.pem", "-key", "k.pem"], "--cert"),
    ("key", &["list", "-key", "k.pem"], "--key"),
    ("alts", &["list", "-alts"], "no ALTS"),
    ("alts-handshaker-service", &["list", "-alts-handshaker-service", "h:1"], "no ALTS"),
    ("alts-target-service-account", &["list", "-alts-target-service-account", "a@b"], "no ALTS"),
    ("expand-headers", &["list", "-expand-headers"], "-H @FILE"),
    ("authority", &["list", "-authority", "example.com"], "--authority"),
    ("user-agent", &["list", "-user-agent", "me"], "-H 'user-agent: VALUE'"),
    ("d", &["list", "-d", "{}"], "@- for stdin"),
    ("format", &["call", "api.Api/sayHello", "-format", "text"], "-o text"),
    ("allow-unknown-fields", &["call", "api.Api/sayHello", "-allow-unknown-fields"], "--allow-unknown-fields"),
    ("connect-timeout", &["list", "-connect-timeout", "5"], "--connect-timeout 5s"),
    ("format-error", &["call", "api.Api/sayHello", "-format-error"], "--error-format json"),
    ("keepalive-time", &["list", "-keepalive-time", "30"], "--keepalive 30s"),
    ("max-time", &["call", "api.Api/sayHello", "-max-time", "3"], "--timeout"),
    ("max-msg-sz", &["call", "api.Api/sayHello", "-max-msg-sz", "100"], "--max-message-size"),
    ("emit-defaults", &["call", "api.Api/sayHello", "-emit-defaults"], "--emit-defaults"),
    ("protoset-out", &["describe", "api.Api", "-protoset-out", "x.pb"], "--protoset-out FILE"),
    ("proto-out-dir", &["describe", "api.Api", "-proto-out-dir", "out"], "--proto-out DIR"),
    ("msg-template", &["describe", "api.HelloRequest", "-msg-template"], "--template"),
    ("v", &["list", "-v=true"], "without '=true'"),
    ("vv", &["call", "api.Api/sayHello", "-vv"], "-vv is -v"),
    ("servername", &["list", "-servername", "example.com"], "--authority"),
    ("rpc-header", &["call", "api.Api/sayHello", "-rpc-header", "x: 1"], "--rpc-header"),
    ("reflect-header", &["list", "-reflect-header", "x: 1"], "--reflect-header"),
    ("protoset", &["list", "-protoset", "x.pb"], "--protoset"),
    ("proto", &["list", "-proto", "x.proto"], "--proto"),
    ("import-path", &["list", "-import-path", "dir"], "--import-path"),
    ("use-reflection", &["list", "-use-reflection"], "--proto or --protoset"),
    ("unix", &["list", "-unix", "/tmp/s.sock"], "unix:/path"),
];

/// Flags no apicli command line refuses, so that no line is needed: `-H` is apicli's, with
/// grpcurl's meaning, on every command; `-help` is read as `-h`, and the help is shown.
const TAKEN_AS_THEY_ARE: &[&str] = &["H", "help"];

#[test]
fn each_grpcurl_flag_exits_2_with_one_line_naming_apicli_s_way() {
    for (name, args, needle) in CASES {
        let output = run(args);
        assert_exit(&output, 2);
        assert_one_error_line(&output, needle);
        // The line is about grpcurl's flag, not clap's reading of it as a cluster.
        let err = stderr(&output);
        assert!(!err.contains("unexpected argument"), "-{name}: {err}");
        assert!(err.contains(&format!("-{name}")), "-{name}: {err}");
    }
}

#[test]
fn every_grpcurl_flag_is_tried() {
    for flag in GRPCURL_FLAGS {
        let tried = CASES.iter().any(|(name, _, _)| *name == flag.name);
        assert!(
            tried || TAKEN_AS_THEY_ARE.contains(&flag.name),
            "-{} is not tried",
            flag.name
        );
    }
}

#[test]
fn the_flags_apicli_shares_keep_working() {
    // `-help` is -h: the help, exit 0.
    let help = run(&["list", "-help"]);
    assert_exit(&help, 0);
    // `-H` parses as apicli's, so the error is about what comes next.
    let output = run(&["call", "api.Api/sayHello", "-H", "x: 1", "--bogus"]);
    assert_exit(&output, 2);
    assert_one_error_line(&output, "unexpected argument '--bogus'");
}

#[test]
fn two_dashes_count_where_apicli_has_no_such_flag() {
    let output = run(&["list", "--plaintext"]);
    assert_exit(&output, 2);
    assert_one_error_line(&output, "-plaintext is not needed");
    let output = run(&["list", "--max-time", "3"]);
    assert_exit(&output, 2);
    assert_one_error_line(&output, "--timeout");
}

#[test]
fn a_command_line_without_grpcurl_flags_keeps_clap_s_message() {
    let output = run(&["list", "--bogus"]);
    assert_exit(&output, 2);
    assert_one_error_line(&output, "unexpected argument '--bogus' found");
    // After `--`, words are values, not flags.
    let output = run(&["hello", "--bogus", "--", "-plaintext"]);
    assert_exit(&output, 2);
    assert_one_error_line(&output, "unexpected argument '--bogus' found");
}

#[test]
fn grpcurl_s_d_at_for_stdin_is_named() {
    // `-d @` parses (it is apicli's -d), and names no file: stdin is `-d @-`.
    for command in [
        &["call", "api.Api/sayHello"][..],
        &["bench", "api.Api/sayHello"],
    ] {
        let output = run(&[command, &["-d", "@"]].concat());
        assert_exit(&output, 2);
        assert_one_error_line(&output, "for stdin write -d @- (grpcurl's '-d @')");
    }
}

/// grpcurl's order, the address before the command, gets the same command line in apicli's.
#[test]
fn grpcurl_s_order_is_put_in_apicli_s() {
    for (args, line) in [
        (
            &["127.0.0.1:50051", "list"][..],
            "the command comes first in apicli: apicli list 127.0.0.1:50051",
        ),
        (
            &["127.0.0.1:50051", "describe", "api.Api"],
            "the command comes first in apicli: apicli describe 127.0.0.1:50051 api.Api",
        ),
        (
            &["127.0.0.1:50051", "api.Api/sayHello"],
            "the command comes first in apicli: apicli call 127.0.0.1:50051 api.Api/sayHello",
        ),
        (
            &["http://127.0.0.1:50051/api.Api/sayHello"],
            "the command comes first in apicli: apicli call http://127.0.0.1:50051/api.Api/sayHello",
        ),
    ] {
        let output = run(args);
        assert_exit(&output, 2);
        assert_one_error_line(&output, line);
    }
    // A word that is no address keeps clap's message.
    let output = run(&["lsit"]);
    assert_exit(&output, 2);
    assert_one_error_line(&output, "unrecognized subcommand 'lsit'");
}
