//! Every usage error a user can reach from the command line, in one table: the command line
//! (and environment) → the exact line on stderr, and exit 2. Each message says what is wrong
//! once, quoting the input once, and where the user can act, how.
//!
//! Messages of the flags that read files (`--proto`, `--protoset`, `-d @FILE`, `-H @FILE`,
//! `--token-file`, `--compare`, certificates, the profiles' file) are tested with those flags.

mod common;

use common::{Server, apicli, output_of, stderr};

/// A command line, with `{addr}` for the test server's address; the proxy variables to set;
/// and the line expected on stderr, after `apicli: error: `.
type Case = (
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
    &'static str,
);

const METRICS: &str = "count, rps, errors, error_rate, duration, min, mean, p50, p90, p95, p99, \
                       p999, p99.9, p9999, p99.99, max, messages_per_s, first_message_p50, \
                       first_message_p99";

#[rustfmt::skip]
const CASES: &[Case] = &[
    // Durations.
    (&["hello", "x", "--timeout", "0s"], &[], "bad --timeout '0s': must be more than zero"),
    (&["hello", "x", "--timeout", "5parsecs"], &[],
     "bad --timeout '5parsecs': unknown unit 'parsecs'; expected a duration such as 2s, 500ms or 1m30s"),
    (&["hello", "x", "--timeout", "abc"], &[],
     "bad --timeout 'abc': expected a duration such as 2s, 500ms or 1m30s"),
    (&["hello", "x", "--connect-timeout", "99999999999999999999s"], &[],
     "bad --connect-timeout '99999999999999999999s': too long; expected a duration such as 2s, 500ms or 1m30s"),
    (&["serve", "--grace", "x"], &[],
     "bad --grace 'x': expected a duration such as 2s, 500ms or 1m30s"),
    (&["serve", "--stream-interval", "x"], &[],
     "bad --stream-interval 'x': expected a duration such as 2s, 500ms or 1m30s"),
    // Sizes.
    (&["hello", "x", "--max-message-size", "0"], &[],
     "bad --max-message-size '0': must be at least 1 byte"),
    (&["hello", "x", "--max-message-size", "lots"], &[],
     "bad --max-message-size 'lots': expected bytes, e.g. 4194304 or 64MiB"),
    (&["serve", "--max-request-size", "0"], &[],
     "bad --max-request-size '0': must be at least 1 byte"),
    // Addresses.
    (&["hello", "x", "--addr", "unix:"], &[], "bad address 'unix:': the socket path is missing"),
    (&["hello", "x", "--addr", "ftp://h:1"], &[],
     "bad address 'ftp://h:1': the scheme must be http://, https:// or unix:"),
    (&["hello", "x", "--addr", "http://"], &[],
     "bad address 'http://': expected host:port, http(s)://host:port or unix:/path"),
    (&["hello", "x", "--addr", "u@h:1"], &[],
     "bad address 'u@h:1': user information ('user@') is not allowed"),
    (&["hello", "x", "--addr", "h:99999"], &[],
     "bad address 'h:99999': expected host:port with a port from 1 to 65535"),
    (&["hello", "x", "--addr", "h:1/path"], &[],
     "bad address 'h:1/path': an address has no path; give only host:port"),
    (&["hello", "x", "--addr", "h:0"], &[], "bad address 'h:0': port 0 cannot be connected to"),
    (&["hello", "x", "--addr", "a:1", "--addr", "b:2"], &[],
     "--addr is given 2 times; only 'apicli bench' takes several addresses"),
    (&["serve", "--addr", "unix:"], &[], "bad listen address 'unix:': the socket path is missing"),
    (&["serve", "--addr", "ftp://h:1"], &[],
     "bad listen address 'ftp://h:1': 'ftp://' is not a way to serve; give host:port or unix:/path"),
    (&["hello", "x", "--authority", "a b"], &[], "bad --authority 'a b': expected host[:port]"),
    // Headers.
    (&["hello", "x", "-H", ":path:/x"], &[],
     "bad header ':path:/x': pseudo-headers (':…') are set by HTTP/2, not by -H"),
    (&["hello", "x", "-H", "novalue"], &[], "bad header 'novalue': expected 'name: value'"),
    (&["hello", "x", "-H", "a b: v"], &[],
     "bad header 'a b: v': ' ' is not allowed in a metadata name (a-z, 0-9, '-', '_', '.')"),
    (&["hello", "x", "-H", "grpc-timeout: 1"], &[],
     "bad header 'grpc-timeout: 1': 'grpc-timeout' is reserved by gRPC and cannot be set"),
    (&["hello", "x", "-H", "te: x"], &[],
     "bad header 'te: x': 'te' is reserved by gRPC and cannot be set"),
    (&["hello", "x", "-H", "x-bin: !!!"], &[],
     "bad header 'x-bin: !!!': a '-bin' header takes a base64 value"),
    (&["hello", "x", "-H", "x: é"], &[],
     "bad header 'x: é': 'é' is not allowed in a value; use a name ending in -bin for binary data"),
    (&["call", "api.Api/sayHello", "--token-file", "/dev/null", "-H", "authorization: x"], &[],
     "give the token once: --token-file or -H 'authorization: …', not both"),
    // TLS flags, and flags of the other side.
    (&["hello", "x", "--insecure"], &[],
     "--insecure needs an https:// address (the address is 127.0.0.1:50051)"),
    (&["hello", "x", "--addr", "https://h:1", "--insecure", "--ca-cert", "/dev/null"], &[],
     "--insecure and --ca-cert contradict each other"),
    (&["serve", "--timeout", "1s"], &[], "--timeout applies to client calls, not to 'serve'"),
    (&["serve", "--proxy", "http://p:1"], &[], "--proxy applies to client calls, not to 'serve'"),
    (&["list", "-I", "/tmp"], &[],
     "-I/--import-path says where --proto files are found; give --proto too"),
    // Proxies.
    (&["hello", "x", "--proxy", "http://p:1", "--addr", "unix:/tmp/x.sock"], &[],
     "--proxy needs a TCP address (the address is unix:/tmp/x.sock); unix sockets are never proxied"),
    (&["hello", "x", "--proxy", "socks5://p:1"], &[],
     "bad --proxy 'socks5://p:1': SOCKS proxies are not supported; give an http:// proxy"),
    (&["hello", "x", "--proxy", "https://p:1"], &[],
     "bad --proxy 'https://p:1': proxies reached over TLS (https://) are not supported; give an http:// proxy"),
    (&["hello", "x", "--proxy", ""], &[], "bad --proxy '': the host is missing"),
    (&["hello", "x", "--addr", "api.example:1"], &[("HTTP_PROXY", "ftp://u:pw@p:1")],
     "bad HTTP_PROXY 'ftp://u:[redacted]@p:1': the scheme must be http:// (--no-proxy ignores the variable)"),
    // Profiles.
    (&["--profile", "nope", "hello", "x"], &[],
     "no profile 'nope': there is no config file (APICLI_CONFIG, or $XDG_CONFIG_HOME/apicli/config.toml)"),
    // bench's load.
    (&["bench", "api.Api/sayHello", "-v"], &[],
     "--verbose shows one call, and bench makes many; leave it out"),
    (&["bench", "api.Api/sayHello", "--addr", "a:1", "--addr", "https://b:2"], &[],
     "--addr https://b:2 uses TLS and --addr a:1 does not: give every address the same scheme"),
    (&["bench", "api.Api/sayHello", "--addr", "a:1", "--addr", "b:2", "--connections", "1"], &[],
     "--connections 1 cannot reach 2 addresses: give at least one connection per --addr"),
    (&["bench", "api.Api/sayHello", "--connections", "10", "-c", "5"], &[],
     "10 connections need at least as many calls in flight; raise -c 5 to 10 or more"),
    (&["bench", "api.Api/sayHello", "--rps", "0"], &[],
     "bad --rps '0': expected calls per second, a number above 0 and at most 10000000"),
    (&["bench", "api.Api/sayHello", "--rps", "fast"], &[],
     "bad --rps 'fast': expected calls per second, a number above 0 and at most 10000000"),
    (&["bench", "api.Api/sayHello", "--warmup", "x"], &[],
     "bad --warmup 'x': expected a number of calls (e.g. 500) or a time (e.g. 2s)"),
    (&["bench", "api.Api/sayHello", "-z", "0s"], &[],
     "bad -z/--duration '0s': must be more than zero"),
    (&["bench", "api.Api/sayHello", "-z", "forever"], &[],
     "bad -z/--duration 'forever': expected a duration such as 2s, 500ms or 1m30s"),
    (&["bench", "api.Api/sayHello", "-n", "0"], &[],
     "invalid value '0' for '--total <N>': 0 is not in 1..18446744073709551615; see 'apicli bench --help'"),
    (&["bench", "api.Api/sayHello", "-n", "5", "-z", "1s"], &[],
     "the argument '--total <N>' cannot be used with '--duration <DURATION>'; see 'apicli bench --help'"),
    // --expect: the expression is quoted once.
    (&["bench", "api.Api/sayHello", "--expect", ""], &[],
     "bad --expect '': an empty expectation; write METRIC OP VALUE, e.g. p99<5ms"),
    (&["bench", "api.Api/sayHello", "--expect", "p99 <"], &[],
     "bad --expect 'p99 <': no value after '<'"),
    (&["bench", "api.Api/sayHello", "--expect", "<5ms"], &[],
     "bad --expect '<5ms': no metric before the operator; write METRIC OP VALUE, e.g. p99<5ms"),
    (&["bench", "api.Api/sayHello", "--expect", "p98<5ms"], &[],
     "bad --expect 'p98<5ms': unknown metric 'p98'; did you mean p90, p95 or p99? (metrics: {metrics})"),
    (&["bench", "api.Api/sayHello", "--expect", "p99 5ms"], &[],
     "bad --expect 'p99 5ms': no operator after 'p99'; use one of < <= > >= = == !="),
    (&["bench", "api.Api/sayHello", "--expect", "p99<fast"], &[],
     "bad --expect 'p99<fast': 'fast' is not a number (write digits, e.g. p99<5ms)"),
    (&["bench", "api.Api/sayHello", "--expect", "p99<5"], &[],
     "bad --expect 'p99<5': p99 is a time and needs a unit (us, µs, ms or s), e.g. p99<5ms"),
    (&["bench", "api.Api/sayHello", "--expect", "p99<5sec"], &[],
     "bad --expect 'p99<5sec': unknown unit 'sec'; p99 takes us, µs, ms or s"),
    (&["bench", "api.Api/sayHello", "--expect", "count>1ms"], &[],
     "bad --expect 'count>1ms': count is a number of calls and takes no unit ('ms')"),
    (&["bench", "api.Api/sayHello", "--expect", "errors<1%"], &[],
     "bad --expect 'errors<1%': errors is a number of calls; for a share of them use error_rate, e.g. error_rate<1%"),
    (&["bench", "api.Api/sayHello", "--expect", "errors<0.5"], &[],
     "bad --expect 'errors<0.5': errors is a number of calls: a whole number"),
    (&["bench", "api.Api/sayHello", "--expect", "rps>10k"], &[],
     "bad --expect 'rps>10k': rps is a number per second and takes no unit ('k'), e.g. rps>10000"),
    (&["bench", "api.Api/sayHello", "--expect", "error_rate<5"], &[],
     "bad --expect 'error_rate<5': error_rate is a fraction from 0 to 1 or a percentage: write error_rate<5% for 5 percent"),
    (&["bench", "api.Api/sayHello", "--expect", "error_rate<101%"], &[],
     "bad --expect 'error_rate<101%': a percentage is at most 100%"),
    (&["bench", "api.Api/sayHello", "--expect", "error_rate<1ms"], &[],
     "bad --expect 'error_rate<1ms': error_rate takes a fraction (0.01) or a percentage (1%), not 'ms'"),
    // bench's placeholders (read once the method is known).
    (&["bench", "api.Api/sayHello", "--addr", "{addr}", "-d", r#"{"name": "{{n"}"#], &[],
     r#"bad placeholder in -d: '{{n"}' has no closing '}}'; the placeholders are {{n}}, {{uuid}} and {{rand A B}}"#),
    (&["bench", "api.Api/sayHello", "--addr", "{addr}", "-d", r#"{"name": "{{rand 1 x}}"}"#], &[],
     "bad placeholder '{{rand 1 x}}' in -d: 'x' is not a whole number"),
    (&["bench", "api.Api/sayHello", "--addr", "{addr}", "-d", r#"{"name": "{{rand 5 1}}"}"#], &[],
     "bad placeholder '{{rand 5 1}}' in -d: A must not be more than B in {{rand A B}}"),
    (&["bench", "api.Api/sayHello", "--addr", "{addr}", "-d", r#"{"name": "{{rand 1}}"}"#], &[],
     "bad placeholder '{{rand 1}}' in -d: write {{rand A B}}, two whole numbers A ≤ B"),
    (&["bench", "api.Api/sayHello", "--addr", "{addr}", "-d", r#"{"name": "{{what}}"}"#], &[],
     "bad placeholder '{{what}}' in -d: the placeholders are {{n}}, {{uuid}} and {{rand A B}}"),
    (&["bench", "api.Api/sayHello", "--addr", "{addr}", "-d", r#"{"nam": "{{n}}"}"#], &[],
     "request message 1 (line 1, column 7): unrecognized field name 'nam' (with the placeholders filled in)"),
    // JSON requests.
    (&["call", "api.Api/sayHello", "--addr", "{addr}", "-d", "[1]"], &[],
     "request message 1 (line 1, column 1): a JSON array; give the messages one after another (NDJSON), not in an array"),
    (&["call", "api.Api/sayHello", "--addr", "{addr}", "-d", "1"], &[],
     "request message 1 (line 1, column 1): expected a JSON object"),
    (&["call", "api.Api/sayHello", "--addr", "{addr}", "-d", r#"{"nam": 1}"#], &[],
     "request message 1 (line 1, column 7): unrecognized field name 'nam'"),
    (&["call", "api.Api/sayHello", "--addr", "{addr}", "-d", r#"{"name": 1}"#], &[],
     "request message 1 (line 1, column 11): field name: invalid type: integer `1`, expected a string"),
    (&["call", "api.Api/sayHello", "--addr", "{addr}", "-d", "{} {}"], &[],
     "api.Api/sayHello takes one request message, and the input has more (message 2 at line 1, column 4)"),
    // Methods and symbols not found.
    (&["call", "api.Api/sayHell", "--addr", "{addr}"], &[],
     "api.Api has no method 'sayHell'; did you mean sayHello?"),
    (&["call", "api.Apx/sayHello", "--addr", "{addr}"], &[],
     "unknown service 'api.Apx'; did you mean api.Api?"),
    (&["call", "nope", "--addr", "{addr}"], &[],
     "'nope' is not a method name; write SERVICE/METHOD, e.g. api.Api/sayHello"),
    // Checked before anything connects: nothing listens on port 1.
    (&["call", "nope", "--addr", "127.0.0.1:1"], &[],
     "'nope' is not a method name; write SERVICE/METHOD, e.g. api.Api/sayHello"),
    (&["bench", "api.Api/", "--addr", "127.0.0.1:1"], &[],
     "'api.Api/' is not a method name; write SERVICE/METHOD, e.g. api.Api/sayHello"),
    (&["call", "api.Api", "--addr", "{addr}"], &[],
     "'api.Api' is a service, not a method; name one of its methods: api.Api/sayHello, api.Api/getAll, api.Api/getStream"),
    (&["bench", "nope.Svc/m", "--addr", "{addr}"], &[],
     "unknown service 'nope.Svc'; 'apicli list' shows the services"),
    (&["list", "api.Api.sayHello", "--addr", "{addr}"], &[],
     "'api.Api.sayHello' is a method, not a service"),
    (&["list", "api.HelloRequest", "--addr", "{addr}"], &[],
     "'api.HelloRequest' is a message, not a service"),
    (&["describe", "nope.Thing", "--addr", "{addr}"], &[],
     "unknown symbol 'nope.Thing'; 'apicli list' shows the services"),
    (&["describe", "api.Api", "--template", "--addr", "{addr}"], &[],
     "--template takes a message or a method; 'api.Api' is a service"),
    // Protocols and HTTP versions.
    (&["hello", "x", "--protocol", "soap"], &[],
     "invalid value 'soap' for '--protocol <PROTOCOL>' [possible values: grpc, connect, grpc-web, grpc-web-text]; see 'apicli hello --help'"),
    (&["hello", "x", "--http", "3"], &[],
     "invalid value '3' for '--http <VERSION>' [possible values: 1.1, 2, auto]; see 'apicli hello --help'"),
    (&["hello", "x", "--http", "1.1"], &[],
     "gRPC needs HTTP/2, not --http 1.1; use --protocol grpc-web (or connect) over HTTP/1.1"),
    (&["list", "--protocol", "grpc-web", "--addr", "{addr}"], &[],
     "reflection is a bidi stream, which gRPC-Web cannot carry; give the service's descriptors with --proto or --protoset (or use --protocol grpc)"),
    (&["serve", "--http", "2"], &[],
     "--http (serve answers HTTP/1.1 and HTTP/2 on its one port) applies to client calls, not to 'serve'"),
    (&["serve", "--cors-origin", "app.example"], &[],
     "bad --cors-origin 'app.example': expected a page's origin, scheme://host[:port] (e.g. https://app.example), or * for any"),
    // The command line itself.
    (&["hello", "x", "--bogus"], &[], "unexpected argument '--bogus' found; see 'apicli hello --help'"),
    (&["completions", "nosh"], &[],
     "invalid value 'nosh' for '<SHELL>' [possible values: bash, elvish, fish, powershell, zsh]; see 'apicli completions --help'"),
];

#[test]
fn every_usage_error_is_one_exact_line_and_exit_2() {
    let server = Server::start(&["-q"]);
    let mut wrong = Vec::new();
    for (args, env, expected) in CASES {
        let args: Vec<String> = args
            .iter()
            .map(|a| a.replace("{addr}", &server.addr))
            .collect();
        let output = output_of(apicli().args(&args).envs(env.iter().copied()));
        let expected = format!(
            "apicli: error: {}\n",
            expected.replace("{metrics}", METRICS)
        );
        let got = stderr(&output);
        if got != expected || output.status.code() != Some(2) {
            wrong.push(format!(
                "apicli {args:?}\n  expected: exit 2, {expected:?}\n  got:      {:?}, {got:?}",
                output.status.code()
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} cases:\n{}",
        wrong.len(),
        CASES.len(),
        wrong.join("\n")
    );
}
