
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'apicli' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'apicli'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'apicli' {
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'Server address: host:port, http://host:port, https://host:port or unix:/path [default: 127.0.0.1:50051]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile of the config file ($APICLI_CONFIG or ~/.config/apicli/config.toml)')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line')
            [CompletionResult]::new('--rpc-header', '--rpc-header', [CompletionResultType]::ParameterName, 'Metadata for the call only, never sent on reflection requests; as -H (repeatable)')
            [CompletionResult]::new('--reflect-header', '--reflect-header', [CompletionResultType]::ParameterName, 'Metadata for reflection requests only, never sent on the call; as -H (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long connecting may take [default: 10s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--max-message-size', '--max-message-size', [CompletionResultType]::ParameterName, 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Connect through this HTTP proxy, http://[USER:PASSWORD@]HOST:PORT, whatever the address [default: HTTPS_PROXY for https://, else HTTP_PROXY; not for NO_PROXY hosts or loopback]')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Send ''authorization: Bearer TOKEN'' with the token read from FILE')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust this CA certificate (PEM) besides the system roots, for https:// addresses')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Present this client certificate (PEM) for mutual TLS; needs --key')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The private key (PEM) of --cert')
            [CompletionResult]::new('--authority', '--authority', [CompletionResultType]::ParameterName, 'The :authority and TLS server name to use instead of the address''s host')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Compress requests with this encoding and accept responses compressed with it')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'The wire protocol: gRPC, Connect, or gRPC-Web (binary, or base64 text) [default: grpc]')
            [CompletionResult]::new('--http', '--http', [CompletionResultType]::ParameterName, 'The HTTP version: 2, 1.1, or auto (ALPN for https://; h2c for gRPC, else h2c with a fall-back to HTTP/1.1) [default: auto]')
            [CompletionResult]::new('--codec', '--codec', [CompletionResultType]::ParameterName, 'How Connect encodes messages on the wire: binary protobuf, or the JSON as typed (--protocol connect) [default: proto]')
            [CompletionResult]::new('--keepalive', '--keepalive', [CompletionResultType]::ParameterName, 'Send HTTP/2 keepalive pings this often (e.g. 30s)')
            [CompletionResult]::new('--error-format', '--error-format', [CompletionResultType]::ParameterName, 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured)')
            [CompletionResult]::new('--no-proxy', '--no-proxy', [CompletionResultType]::ParameterName, 'Connect directly, whatever HTTPS_PROXY and HTTP_PROXY say')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate (a warning says so every time)')
            [CompletionResult]::new('--get', '--get', [CompletionResultType]::ParameterName, 'Send unary calls as Connect GET requests, the message in the URL (--protocol connect)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show on stderr the metadata sent, the response headers and trailers, the status and timing')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show on stderr the metadata sent, the response headers and trailers, the status and timing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('hello', 'hello', [CompletionResultType]::ParameterValue, 'Call sayHello: greet NAME')
            [CompletionResult]::new('get-all', 'get-all', [CompletionResultType]::ParameterValue, 'Call getAll: fetch LENGTH items in one response')
            [CompletionResult]::new('stream', 'stream', [CompletionResultType]::ParameterValue, 'Call getStream: receive LENGTH items, each printed as it arrives')
            [CompletionResult]::new('health', 'health', [CompletionResultType]::ParameterValue, 'Check the server''s health like a Kubernetes probe: exit 0 only when SERVING')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the services, or the methods of SERVICE with their kinds and types')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Describe a service, method, message, enum or field in .proto syntax')
            [CompletionResult]::new('call', 'call', [CompletionResultType]::ParameterValue, 'Call any method of any service: unary, server-, client- or bidi-streaming')
            [CompletionResult]::new('bench', 'bench', [CompletionResultType]::ParameterValue, 'Load-test any method: many calls at once, live progress, exact latency percentiles')
            [CompletionResult]::new('profiles', 'profiles', [CompletionResultType]::ParameterValue, 'List the profiles of the config file, or show one as resolved')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve api.Api and routeguide.RouteGuide, or stubs of any service (on 127.0.0.1:50051 unless --addr says otherwise)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'apicli;hello' {
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'Server address: host:port, http://host:port, https://host:port or unix:/path [default: 127.0.0.1:50051]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile of the config file ($APICLI_CONFIG or ~/.config/apicli/config.toml)')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line')
            [CompletionResult]::new('--rpc-header', '--rpc-header', [CompletionResultType]::ParameterName, 'Metadata for the call only, never sent on reflection requests; as -H (repeatable)')
            [CompletionResult]::new('--reflect-header', '--reflect-header', [CompletionResultType]::ParameterName, 'Metadata for reflection requests only, never sent on the call; as -H (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long connecting may take [default: 10s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--max-message-size', '--max-message-size', [CompletionResultType]::ParameterName, 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Connect through this HTTP proxy, http://[USER:PASSWORD@]HOST:PORT, whatever the address [default: HTTPS_PROXY for https://, else HTTP_PROXY; not for NO_PROXY hosts or loopback]')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Send ''authorization: Bearer TOKEN'' with the token read from FILE')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust this CA certificate (PEM) besides the system roots, for https:// addresses')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Present this client certificate (PEM) for mutual TLS; needs --key')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The private key (PEM) of --cert')
            [CompletionResult]::new('--authority', '--authority', [CompletionResultType]::ParameterName, 'The :authority and TLS server name to use instead of the address''s host')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Compress requests with this encoding and accept responses compressed with it')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'The wire protocol: gRPC, Connect, or gRPC-Web (binary, or base64 text) [default: grpc]')
            [CompletionResult]::new('--http', '--http', [CompletionResultType]::ParameterName, 'The HTTP version: 2, 1.1, or auto (ALPN for https://; h2c for gRPC, else h2c with a fall-back to HTTP/1.1) [default: auto]')
            [CompletionResult]::new('--codec', '--codec', [CompletionResultType]::ParameterName, 'How Connect encodes messages on the wire: binary protobuf, or the JSON as typed (--protocol connect) [default: proto]')
            [CompletionResult]::new('--keepalive', '--keepalive', [CompletionResultType]::ParameterName, 'Send HTTP/2 keepalive pings this often (e.g. 30s)')
            [CompletionResult]::new('--error-format', '--error-format', [CompletionResultType]::ParameterName, 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured)')
            [CompletionResult]::new('--no-proxy', '--no-proxy', [CompletionResultType]::ParameterName, 'Connect directly, whatever HTTPS_PROXY and HTTP_PROXY say')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate (a warning says so every time)')
            [CompletionResult]::new('--get', '--get', [CompletionResultType]::ParameterName, 'Send unary calls as Connect GET requests, the message in the URL (--protocol connect)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show on stderr the metadata sent, the response headers and trailers, the status and timing')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show on stderr the metadata sent, the response headers and trailers, the status and timing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'apicli;get-all' {
            [CompletionResult]::new('--length', '--length', [CompletionResultType]::ParameterName, 'How many items to ask for (0 to 2147483647)')
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'Server address: host:port, http://host:port, https://host:port or unix:/path [default: 127.0.0.1:50051]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile of the config file ($APICLI_CONFIG or ~/.config/apicli/config.toml)')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line')
            [CompletionResult]::new('--rpc-header', '--rpc-header', [CompletionResultType]::ParameterName, 'Metadata for the call only, never sent on reflection requests; as -H (repeatable)')
            [CompletionResult]::new('--reflect-header', '--reflect-header', [CompletionResultType]::ParameterName, 'Metadata for reflection requests only, never sent on the call; as -H (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long connecting may take [default: 10s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--max-message-size', '--max-message-size', [CompletionResultType]::ParameterName, 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Connect through this HTTP proxy, http://[USER:PASSWORD@]HOST:PORT, whatever the address [default: HTTPS_PROXY for https://, else HTTP_PROXY; not for NO_PROXY hosts or loopback]')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Send ''authorization: Bearer TOKEN'' with the token read from FILE')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust this CA certificate (PEM) besides the system roots, for https:// addresses')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Present this client certificate (PEM) for mutual TLS; needs --key')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The private key (PEM) of --cert')
            [CompletionResult]::new('--authority', '--authority', [CompletionResultType]::ParameterName, 'The :authority and TLS server name to use instead of the address''s host')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Compress requests with this encoding and accept responses compressed with it')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'The wire protocol: gRPC, Connect, or gRPC-Web (binary, or base64 text) [default: grpc]')
            [CompletionResult]::new('--http', '--http', [CompletionResultType]::ParameterName, 'The HTTP version: 2, 1.1, or auto (ALPN for https://; h2c for gRPC, else h2c with a fall-back to HTTP/1.1) [default: auto]')
            [CompletionResult]::new('--codec', '--codec', [CompletionResultType]::ParameterName, 'How Connect encodes messages on the wire: binary protobuf, or the JSON as typed (--protocol connect) [default: proto]')
            [CompletionResult]::new('--keepalive', '--keepalive', [CompletionResultType]::ParameterName, 'Send HTTP/2 keepalive pings this often (e.g. 30s)')
            [CompletionResult]::new('--error-format', '--error-format', [CompletionResultType]::ParameterName, 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured)')
            [CompletionResult]::new('--no-proxy', '--no-proxy', [CompletionResultType]::ParameterName, 'Connect directly, whatever HTTPS_PROXY and HTTP_PROXY say')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate (a warning says so every time)')
            [CompletionResult]::new('--get', '--get', [CompletionResultType]::ParameterName, 'Send unary calls as Connect GET requests, the message in the URL (--protocol connect)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show on stderr the metadata sent, the response headers and trailers, the status and timing')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show on stderr the metadata sent, the response headers and trailers, the status and timing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'apicli;stream' {
            [CompletionResult]::new('--length', '--length', [CompletionResultType]::ParameterName, 'How many items to ask for (0 to 2147483647)')
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'Server address: host:port, http://host:port, https://host:port or unix:/path [default: 127.0.0.1:50051]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile of the config file ($APICLI_CONFIG or ~/.config/apicli/config.toml)')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line')
            [CompletionResult]::new('--rpc-header', '--rpc-header', [CompletionResultType]::ParameterName, 'Metadata for the call only, never sent on reflection requests; as -H (repeatable)')
            [CompletionResult]::new('--reflect-header', '--reflect-header', [CompletionResultType]::ParameterName, 'Metadata for reflection requests only, never sent on the call; as -H (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long connecting may take [default: 10s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--max-message-size', '--max-message-size', [CompletionResultType]::ParameterName, 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Connect through this HTTP proxy, http://[USER:PASSWORD@]HOST:PORT, whatever the address [default: HTTPS_PROXY for https://, else HTTP_PROXY; not for NO_PROXY hosts or loopback]')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Send ''authorization: Bearer TOKEN'' with the token read from FILE')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust this CA certificate (PEM) besides the system roots, for https:// addresses')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Present this client certificate (PEM) for mutual TLS; needs --key')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The private key (PEM) of --cert')
            [CompletionResult]::new('--authority', '--authority', [CompletionResultType]::ParameterName, 'The :authority and TLS server name to use instead of the address''s host')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Compress requests with this encoding and accept responses compressed with it')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'The wire protocol: gRPC, Connect, or gRPC-Web (binary, or base64 text) [default: grpc]')
            [CompletionResult]::new('--http', '--http', [CompletionResultType]::ParameterName, 'The HTTP version: 2, 1.1, or auto (ALPN for https://; h2c for gRPC, else h2c with a fall-back to HTTP/1.1) [default: auto]')
            [CompletionResult]::new('--codec', '--codec', [CompletionResultType]::ParameterName, 'How Connect encodes messages on the wire: binary protobuf, or the JSON as typed (--protocol connect) [default: proto]')
            [CompletionResult]::new('--keepalive', '--keepalive', [CompletionResultType]::ParameterName, 'Send HTTP/2 keepalive pings this often (e.g. 30s)')
            [CompletionResult]::new('--error-format', '--error-format', [CompletionResultType]::ParameterName, 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured)')
            [CompletionResult]::new('--no-proxy', '--no-proxy', [CompletionResultType]::ParameterName, 'Connect directly, whatever HTTPS_PROXY and HTTP_PROXY say')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate (a warning says so every time)')
            [CompletionResult]::new('--get', '--get', [CompletionResultType]::ParameterName, 'Send unary calls as Connect GET requests, the message in the URL (--protocol connect)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show on stderr the metadata sent, the response headers and trailers, the status and timing')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show on stderr the metadata sent, the response headers and trailers, the status and timing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'apicli;health' {
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'Server address: host:port, http://host:port, https://host:port or unix:/path [default: 127.0.0.1:50051]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile of the config file ($APICLI_CONFIG or ~/.config/apicli/config.toml)')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line')
            [CompletionResult]::new('--rpc-header', '--rpc-header', [CompletionResultType]::ParameterName, 'Metadata for the call only, never sent on reflection requests; as -H (repeatable)')
            [CompletionResult]::new('--reflect-header', '--reflect-header', [CompletionResultType]::ParameterName, 'Metadata for reflection requests only, never sent on the call; as -H (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long connecting may take [default: 10s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--max-message-size', '--max-message-size', [CompletionResultType]::ParameterName, 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Connect through this HTTP proxy, http://[USER:PASSWORD@]HOST:PORT, whatever the address [default: HTTPS_PROXY for https://, else HTTP_PROXY; not for NO_PROXY hosts or loopback]')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Send ''authorization: Bearer TOKEN'' with the token read from FILE')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust this CA certificate (PEM) besides the system roots, for https:// addresses')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Present this client certificate (PEM) for mutual TLS; needs --key')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The private key (PEM) of --cert')
            [CompletionResult]::new('--authority', '--authority', [CompletionResultType]::ParameterName, 'The :authority and TLS server name to use instead of the address''s host')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Compress requests with this encoding and accept responses compressed with it')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'The wire protocol: gRPC, Connect, or gRPC-Web (binary, or base64 text) [default: grpc]')
            [CompletionResult]::new('--http', '--http', [CompletionResultType]::ParameterName, 'The HTTP version: 2, 1.1, or auto (ALPN for https://; h2c for gRPC, else h2c with a fall-back to HTTP/1.1) [default: auto]')
            [CompletionResult]::new('--codec', '--codec', [CompletionResultType]::ParameterName, 'How Connect encodes messages on the wire: binary protobuf, or the JSON as typed (--protocol connect) [default: proto]')
            [CompletionResult]::new('--keepalive', '--keepalive', [CompletionResultType]::ParameterName, 'Send HTTP/2 keepalive pings this often (e.g. 30s)')
            [CompletionResult]::new('--error-format', '--error-format', [CompletionResultType]::ParameterName, 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured)')
            [CompletionResult]::new('--no-proxy', '--no-proxy', [CompletionResultType]::ParameterName, 'Connect directly, whatever HTTPS_PROXY and HTTP_PROXY say')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate (a warning says so every time)')
            [CompletionResult]::new('--get', '--get', [CompletionResultType]::ParameterName, 'Send unary calls as Connect GET requests, the message in the URL (--protocol connect)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show on stderr the metadata sent, the response headers and trailers, the status and timing')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show on stderr the metadata sent, the response headers and trailers, the status and timing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'apicli;list' {
            [CompletionResult]::new('--proto', '--proto', [CompletionResultType]::ParameterName, 'Describe the services with this .proto file instead of reflection (repeatable)')
            [CompletionResult]::new('-I', '-I ', [CompletionResultType]::ParameterName, 'Where --proto files and their imports are found (repeatable) [default: each file''s folder]')
            [CompletionResult]::new('--import-path', '--import-path', [CompletionResultType]::ParameterName, 'Where --proto files and their imports are found (repeatable) [default: each file''s folder]')
            [CompletionResult]::new('--protoset', '--protoset', [CompletionResultType]::ParameterName, 'Describe the services with this FileDescriptorSet instead of reflection (repeatable)')
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'Server address: host:port, http://host:port, https://host:port or unix:/path [default: 127.0.0.1:50051]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile of the config file ($APICLI_CONFIG or ~/.config/apicli/config.toml)')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line')
            [CompletionResult]::new('--rpc-header', '--rpc-header', [CompletionResultType]::ParameterName, 'Metadata for the call only, never sent on reflection requests; as -H (repeatable)')
            [CompletionResult]::new('--reflect-header', '--reflect-header', [CompletionResultType]::ParameterName, 'Metadata for reflection requests only, never sent on the call; as -H (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long connecting may take [default: 10s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--max-message-size', '--max-message-size', [CompletionResultType]::ParameterName, 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Connect through this HTTP proxy, http://[USER:PASSWORD@]HOST:PORT, whatever the address [default: HTTPS_PROXY for https://, else HTTP_PROXY; not for NO_PROXY hosts or loopback]')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Send ''authorization: Bearer TOKEN'' with the token read from FILE')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust this CA certificate (PEM) besides the system roots, for https:// addresses')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Present this client certificate (PEM) for mutual TLS; needs --key')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The private key (PEM) of --cert')
            [CompletionResult]::new('--authority', '--authority', [CompletionResultType]::ParameterName, 'The :authority and TLS server name to use instead of the address''s host')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Compress requests with this encoding and accept responses compressed with it')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'The wire protocol: gRPC, Connect, or gRPC-Web (binary, or base64 text) [default: grpc]')
            [CompletionResult]::new('--http', '--http', [CompletionResultType]::ParameterName, 'The HTTP version: 2, 1.1, or auto (ALPN for https://; h2c for gRPC, else h2c with a fall-back to HTTP/1.1) [default: auto]')
            [CompletionResult]::new('--codec', '--codec', [CompletionResultType]::ParameterName, 'How Connect encodes messages on the wire: binary protobuf, or the JSON as typed (--protocol connect) [default: proto]')
            [CompletionResult]::new('--keepalive', '--keepalive', [CompletionResultType]::ParameterName, 'Send HTTP/2 keepalive pings this often (e.g. 30s)')
            [CompletionResult]::new('--error-format', '--error-format', [CompletionResultType]::ParameterName, 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured)')
            [CompletionResult]::new('--no-proxy', '--no-proxy', [CompletionResultType]::ParameterName, 'Connect directly, whatever HTTPS_PROXY and HTTP_PROXY say')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate (a warning says so every time)')
            [CompletionResult]::new('--get', '--get', [CompletionResultType]::ParameterName, 'Send unary calls as Connect GET requests, the message in the URL (--protocol connect)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show on stderr the metadata sent, the response headers and trailers, the status and timing')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show on stderr the metadata sent, the response headers and trailers, the status and timing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'apicli;describe' {
            [CompletionResult]::new('--protoset-out', '--protoset-out', [CompletionResultType]::ParameterName, 'Write the files that define SYMBOL (every service without one) and all they import to FILE, as a FileDescriptorSet (protoc''s --descriptor_set_out --include_imports), for --protoset; an existing FILE is replaced whole')
            [CompletionResult]::new('--proto-out', '--proto-out', [CompletionResultType]::ParameterName, 'Write those files as .proto source under DIR, laid out by their import paths (google/protobuf/… too), for --proto and -I DIR')
            [CompletionResult]::new('--proto', '--proto', [CompletionResultType]::ParameterName, 'Describe the services with this .proto file instead of reflection (repeatable)')
            [CompletionResult]::new('-I', '-I ', [CompletionResultType]::ParameterName, 'Where --proto files and their imports are found (repeatable) [default: each file''s folder]')
            [CompletionResult]::new('--import-path', '--import-path', [CompletionResultType]::ParameterName, 'Where --proto files and their imports are found (repeatable) [default: each file''s folder]')
            [CompletionResult]::new('--protoset', '--protoset', [CompletionResultType]::ParameterName, 'Describe the services with this FileDescriptorSet instead of reflection (repeatable)')
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'Server address: host:port, http://host:port, https://host:port or unix:/path [default: 127.0.0.1:50051]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile of the config file ($APICLI_CONFIG or ~/.config/apicli/config.toml)')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line')
            [CompletionResult]::new('--rpc-header', '--rpc-header', [CompletionResultType]::ParameterName, 'Metadata for the call only, never sent on reflection requests; as -H (repeatable)')
            [CompletionResult]::new('--reflect-header', '--reflect-header', [CompletionResultType]::ParameterName, 'Metadata for reflection requests only, never sent on the call; as -H (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long connecting may take [default: 10s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--max-message-size', '--max-message-size', [CompletionResultType]::ParameterName, 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Connect through this HTTP proxy, http://[USER:PASSWORD@]HOST:PORT, whatever the address [default: HTTPS_PROXY for https://, else HTTP_PROXY; not for NO_PROXY hosts or loopback]')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Send ''authorization: Bearer TOKEN'' with the token read from FILE')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust this CA certificate (PEM) besides the system roots, for https:// addresses')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Present this client certificate (PEM) for mutual TLS; needs --key')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The private key (PEM) of --cert')
            [CompletionResult]::new('--authority', '--authority', [CompletionResultType]::ParameterName, 'The :authority and TLS server name to use instead of the address''s host')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Compress requests with this encoding and accept responses compressed with it')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'The wire protocol: gRPC, Connect, or gRPC-Web (binary, or base64 text) [default: grpc]')
            [CompletionResult]::new('--http', '--http', [CompletionResultType]::ParameterName, 'The HTTP version: 2, 1.1, or auto (ALPN for https://; h2c for gRPC, else h2c with a fall-back to HTTP/1.1) [default: auto]')
            [CompletionResult]::new('--codec', '--codec', [CompletionResultType]::ParameterName, 'How Connect encodes messages on the wire: binary protobuf, or the JSON as typed (--protocol connect) [default: proto]')
            [CompletionResult]::new('--keepalive', '--keepalive', [CompletionResultType]::ParameterName, 'Send HTTP/2 keepalive pings this often (e.g. 30s)')
            [CompletionResult]::new('--error-format', '--error-format', [CompletionResultType]::ParameterName, 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured)')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'Print a JSON request skeleton of the message (or the method''s request) instead')
            [CompletionResult]::new('--no-proxy', '--no-proxy', [CompletionResultType]::ParameterName, 'Connect directly, whatever HTTPS_PROXY and HTTP_PROXY say')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate (a warning says so every time)')
            [CompletionResult]::new('--get', '--get', [CompletionResultType]::ParameterName, 'Send unary calls as Connect GET requests, the message in the URL (--protocol connect)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show on stderr the metadata sent, the response headers and trailers, the status and timing')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show on stderr the metadata sent, the response headers and trailers, the status and timing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'apicli;call' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Request messages as JSON, one after another (NDJSON); @FILE reads a file, @- stdin')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'Request messages as JSON, one after another (NDJSON); @FILE reads a file, @- stdin')
            [CompletionResult]::new('--proto', '--proto', [CompletionResultType]::ParameterName, 'Describe the services with this .proto file instead of reflection (repeatable)')
            [CompletionResult]::new('-I', '-I ', [CompletionResultType]::ParameterName, 'Where --proto files and their imports are found (repeatable) [default: each file''s folder]')
            [CompletionResult]::new('--import-path', '--import-path', [CompletionResultType]::ParameterName, 'Where --proto files and their imports are found (repeatable) [default: each file''s folder]')
            [CompletionResult]::new('--protoset', '--protoset', [CompletionResultType]::ParameterName, 'Describe the services with this FileDescriptorSet instead of reflection (repeatable)')
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'Server address: host:port, http://host:port, https://host:port or unix:/path [default: 127.0.0.1:50051]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile of the config file ($APICLI_CONFIG or ~/.config/apicli/config.toml)')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line')
            [CompletionResult]::new('--rpc-header', '--rpc-header', [CompletionResultType]::ParameterName, 'Metadata for the call only, never sent on reflection requests; as -H (repeatable)')
            [CompletionResult]::new('--reflect-header', '--reflect-header', [CompletionResultType]::ParameterName, 'Metadata for reflection requests only, never sent on the call; as -H (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long connecting may take [default: 10s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--max-message-size', '--max-message-size', [CompletionResultType]::ParameterName, 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Connect through this HTTP proxy, http://[USER:PASSWORD@]HOST:PORT, whatever the address [default: HTTPS_PROXY for https://, else HTTP_PROXY; not for NO_PROXY hosts or loopback]')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Send ''authorization: Bearer TOKEN'' with the token read from FILE')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust this CA certificate (PEM) besides the system roots, for https:// addresses')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Present this client certificate (PEM) for mutual TLS; needs --key')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The private key (PEM) of --cert')
            [CompletionResult]::new('--authority', '--authority', [CompletionResultType]::ParameterName, 'The :authority and TLS server name to use instead of the address''s host')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Compress requests with this encoding and accept responses compressed with it')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'The wire protocol: gRPC, Connect, or gRPC-Web (binary, or base64 text) [default: grpc]')
            [CompletionResult]::new('--http', '--http', [CompletionResultType]::ParameterName, 'The HTTP version: 2, 1.1, or auto (ALPN for https://; h2c for gRPC, else h2c with a fall-back to HTTP/1.1) [default: auto]')
            [CompletionResult]::new('--codec', '--codec', [CompletionResultType]::ParameterName, 'How Connect encodes messages on the wire: binary protobuf, or the JSON as typed (--protocol connect) [default: proto]')
            [CompletionResult]::new('--keepalive', '--keepalive', [CompletionResultType]::ParameterName, 'Send HTTP/2 keepalive pings this often (e.g. 30s)')
            [CompletionResult]::new('--error-format', '--error-format', [CompletionResultType]::ParameterName, 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured)')
            [CompletionResult]::new('--emit-defaults', '--emit-defaults', [CompletionResultType]::ParameterName, 'Include fields that hold default values in -o json')
            [CompletionResult]::new('--allow-unknown-fields', '--allow-unknown-fields', [CompletionResultType]::ParameterName, 'Skip the -d fields that the request message does not have, instead of refusing them')
            [CompletionResult]::new('--no-proxy', '--no-proxy', [CompletionResultType]::ParameterName, 'Connect directly, whatever HTTPS_PROXY and HTTP_PROXY say')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate (a warning says so every time)')
            [CompletionResult]::new('--get', '--get', [CompletionResultType]::ParameterName, 'Send unary calls as Connect GET requests, the message in the URL (--protocol connect)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show on stderr the metadata sent, the response headers and trailers, the status and timing')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show on stderr the metadata sent, the response headers and trailers, the status and timing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'apicli;bench' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'The request messages of every call, as for call; {{ n }} (the call''s number), {{uuid}} and {{rand A B}} (an integer from A to B) are filled in for each call. Several messages for a unary or server-streaming method: one per call, in turn (see --data-order); client-streaming and bidi calls send them all, each call')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'The request messages of every call, as for call; {{ n }} (the call''s number), {{uuid}} and {{rand A B}} (an integer from A to B) are filled in for each call. Several messages for a unary or server-streaming method: one per call, in turn (see --data-order); client-streaming and bidi calls send them all, each call')
            [CompletionResult]::new('--data-order', '--data-order', [CompletionResultType]::ParameterName, 'With several -d messages for a method that takes one: send them in turn, or pick one at random for each call')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Calls in flight at once; A:B with --ramp rises from A to B (closed loop)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Calls in flight at once; A:B with --ramp rises from A to B (closed loop)')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'HTTP/2 connections, the calls spread over them [default: one per --addr]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Stop after this many calls (warm-up calls not counted) [default: 200]')
            [CompletionResult]::new('--total', '--total', [CompletionResultType]::ParameterName, 'Stop after this many calls (warm-up calls not counted) [default: 200]')
            [CompletionResult]::new('-z', '-z', [CompletionResultType]::ParameterName, 'Stop after this long (e.g. 10s, 1m); calls still in flight then are not counted')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Stop after this long (e.g. 10s, 1m); calls still in flight then are not counted')
            [CompletionResult]::new('--rps', '--rps', [CompletionResultType]::ParameterName, 'Start this many calls per second whatever the answers (open loop); latency counts from each call''s scheduled start. A:B rises from A to B, with --ramp or --rps-step')
            [CompletionResult]::new('--ramp', '--ramp', [CompletionResultType]::ParameterName, 'Rise linearly from --rps A:B''s A to B (or -c A:B''s) over this long, then hold B; the ramp counts from the load''s start, warm-up included, and needs -z at least as long')
            [CompletionResult]::new('--rps-step', '--rps-step', [CompletionResultType]::ParameterName, 'Add S calls per second every E (e.g. 100/10s) up to --rps''s B: from A with --rps A:B, from S with --rps B; needs -z at least as long as the steps')
            [CompletionResult]::new('--warmup', '--warmup', [CompletionResultType]::ParameterName, 'Run this many calls (N) or this long (e.g. 2s) first, and do not count them')
            [CompletionResult]::new('--split', '--split', [CompletionResultType]::ParameterName, 'This generator''s part of a load shared by N: -n, -c and --rps are divided among the parts (the first ones take the remainders), so that N identical commands make the whole; I counts from 0 (0/4 to 3/4), as a Kubernetes Indexed Job''s JOB_COMPLETION_INDEX does; with -z each part runs the whole time')
            [CompletionResult]::new('--start-at', '--start-at', [CompletionResultType]::ParameterName, 'Connect first, then wait, and start the load at this time: RFC 3339 (2026-12-05T10:00:00Z) or +DURATION from now (+30s), so that several generators start together')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Runtime threads making the calls [default: one per core]')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Report req/s, p50, p99 and errors for each interval of this length (e.g. 1s) from the run''s start, in the table and in -o json''s intervals')
            [CompletionResult]::new('--hdr-log', '--hdr-log', [CompletionResultType]::ParameterName, 'Write each interval''s latency histogram (µs) to this HdrHistogram interval log, as HistogramLogAnalyzer reads it (every --interval, or every second)')
            [CompletionResult]::new('--html', '--html', [CompletionResultType]::ParameterName, 'Also write the report as one self-contained HTML page with charts: latency and req/s over time (in intervals of --interval, or of 1s), the latency histogram and the summary')
            [CompletionResult]::new('--expect', '--expect', [CompletionResultType]::ParameterName, 'A condition on the report (e.g. ''p99<5ms'', ''errors=0'', ''rps>=10000''); exit 3 when one is not met (repeatable)')
            [CompletionResult]::new('--compare', '--compare', [CompletionResultType]::ParameterName, 'Print each figure beside the same figure of an earlier -o json report, with the change')
            [CompletionResult]::new('--proto', '--proto', [CompletionResultType]::ParameterName, 'Describe the services with this .proto file instead of reflection (repeatable)')
            [CompletionResult]::new('-I', '-I ', [CompletionResultType]::ParameterName, 'Where --proto files and their imports are found (repeatable) [default: each file''s folder]')
            [CompletionResult]::new('--import-path', '--import-path', [CompletionResultType]::ParameterName, 'Where --proto files and their imports are found (repeatable) [default: each file''s folder]')
            [CompletionResult]::new('--protoset', '--protoset', [CompletionResultType]::ParameterName, 'Describe the services with this FileDescriptorSet instead of reflection (repeatable)')
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'Server address: host:port, http://host:port, https://host:port or unix:/path; repeat it to spread the connections over several [default: 127.0.0.1:50051]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Use this profile of the config file ($APICLI_CONFIG or ~/.config/apicli/config.toml)')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line; {{ n }}, {{uuid}} and {{rand A B}} in a value are filled in for each call')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line; {{ n }}, {{uuid}} and {{rand A B}} in a value are filled in for each call')
            [CompletionResult]::new('--rpc-header', '--rpc-header', [CompletionResultType]::ParameterName, 'Metadata for the call only, never sent on reflection requests; as -H (repeatable)')
            [CompletionResult]::new('--reflect-header', '--reflect-header', [CompletionResultType]::ParameterName, 'Metadata for reflection requests only, never sent on the call; as -H (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long connecting may take [default: 10s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--max-message-size', '--max-message-size', [CompletionResultType]::ParameterName, 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Connect through this HTTP proxy, http://[USER:PASSWORD@]HOST:PORT, whatever the address [default: HTTPS_PROXY for https://, else HTTP_PROXY; not for NO_PROXY hosts or loopback]')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Send ''authorization: Bearer TOKEN'' with the token read from FILE')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust this CA certificate (PEM) besides the system roots, for https:// addresses')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Present this client certificate (PEM) for mutual TLS; needs --key')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The private key (PEM) of --cert')
            [CompletionResult]::new('--authority', '--authority', [CompletionResultType]::ParameterName, 'The :authority and TLS server name to use instead of the address''s host')
            [CompletionResult]::new('--compress', '--compress', [CompletionResultType]::ParameterName, 'Compress requests with this encoding and accept responses compressed with it')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'The wire protocol: gRPC, Connect, or gRPC-Web (binary, or base64 text) [default: grpc]')
            [CompletionResult]::new('--http', '--http', [CompletionResultType]::ParameterName, 'The HTTP version: 2, 1.1, or auto (ALPN for https://; h2c for gRPC, else h2c with a fall-back to HTTP/1.1) [default: auto]')
            [CompletionResult]::new('--codec', '--codec', [CompletionResultType]::ParameterName, 'How Connect encodes messages on the wire: binary protobuf, or the JSON as typed (--protocol connect) [default: proto]')
            [CompletionResult]::new('--keepalive', '--keepalive', [CompletionResultType]::ParameterName, 'Send HTTP/2 keepalive pings this often (e.g. 30s)')
            [CompletionResult]::new('--error-format', '--error-format', [CompletionResultType]::ParameterName, 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured)')
            [CompletionResult]::new('--allow-unknown-fields', '--allow-unknown-fields', [CompletionResultType]::ParameterName, 'Skip the -d fields that the request message does not have, instead of refusing them')
            [CompletionResult]::new('--no-proxy', '--no-proxy', [CompletionResultType]::ParameterName, 'Connect directly, whatever HTTPS_PROXY and HTTP_PROXY say')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server''s TLS certificate (a warning says so every time)')
            [CompletionResult]::new('--get', '--get', [CompletionResultType]::ParameterName, 'Send unary calls as Connect GET requests, the message in the URL (--protocol connect)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Merge the -o json reports of runs (one load split over machines) into one report, with exact percentiles')
            break
        }
        'apicli;bench;merge' {
            [CompletionResult]::new('--expect', '--expect', [CompletionResultType]::ParameterName, 'A condition on the merged report (e.g. ''p99<5ms'', ''errors=0'', ''rps>=10000''); exit 3 when one is not met (repeatable)')
            [CompletionResult]::new('--compare', '--compare', [CompletionResultType]::ParameterName, 'Print each figure of the merged report beside the same figure of an earlier -o json report')
            [CompletionResult]::new('--html', '--html', [CompletionResultType]::ParameterName, 'Also write the merged report as one self-contained HTML page with charts: each part''s req/s and latency, the latency histogram and the summary')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--error-format', '--error-format', [CompletionResultType]::ParameterName, 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'apicli;profiles' {
            [CompletionResult]::new('--error-format', '--error-format', [CompletionResultType]::ParameterName, 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a profile as resolved, with tokens and authorization values redacted')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'apicli;profiles;show' {
            [CompletionResult]::new('--error-format', '--error-format', [CompletionResultType]::ParameterName, 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'apicli;profiles;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a profile as resolved, with tokens and authorization values redacted')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'apicli;profiles;help;show' {
            break
        }
        'apicli;profiles;help;help' {
            break
        }
        'apicli;serve' {
            [CompletionResult]::new('--stream-interval', '--stream-interval', [CompletionResultType]::ParameterName, 'Wait this long before each getStream item and ListFeatures feature (e.g. 1s, 200ms)')
            [CompletionResult]::new('--max-items', '--max-items', [CompletionResultType]::ParameterName, 'The largest getAll length served; longer requests get INVALID_ARGUMENT')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Serve TLS with this certificate chain (PEM); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'The private key (PEM: PKCS#8, RSA or SEC1) of --tls-cert')
            [CompletionResult]::new('--client-ca', '--client-ca', [CompletionResultType]::ParameterName, 'Require client certificates signed by this CA (PEM): mutual TLS')
            [CompletionResult]::new('--tls-self-signed', '--tls-self-signed', [CompletionResultType]::ParameterName, 'Make a CA and a localhost/127.0.0.1 certificate in DIR (or reuse them), and serve TLS')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'The log''s format on stderr')
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'After SIGINT/SIGTERM, how long calls in flight may finish before they are cancelled')
            [CompletionResult]::new('--max-concurrent-streams', '--max-concurrent-streams', [CompletionResultType]::ParameterName, 'The most concurrent calls (HTTP/2 streams) on one connection')
            [CompletionResult]::new('--max-request-size', '--max-request-size', [CompletionResultType]::ParameterName, 'The largest request message accepted (units optional: 64KiB)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Threads serving calls, each with the connections it was given [default: one per core]')
            [CompletionResult]::new('--cors-origin', '--cors-origin', [CompletionResultType]::ParameterName, 'Let pages from ORIGIN (https://app.example, or * for any) call from a browser: CORS preflights answered, the protocols'' headers exposed (repeatable)')
            [CompletionResult]::new('--proto', '--proto', [CompletionResultType]::ParameterName, 'Serve the services of this .proto file instead of the built-in ones (repeatable)')
            [CompletionResult]::new('-I', '-I ', [CompletionResultType]::ParameterName, 'Where --proto files and their imports are found (repeatable) [default: each file''s folder]')
            [CompletionResult]::new('--import-path', '--import-path', [CompletionResultType]::ParameterName, 'Where --proto files and their imports are found (repeatable) [default: each file''s folder]')
            [CompletionResult]::new('--protoset', '--protoset', [CompletionResultType]::ParameterName, 'Serve the services of this FileDescriptorSet instead of the built-in ones (repeatable)')
            [CompletionResult]::new('--reflect-from', '--reflect-from', [CompletionResultType]::ParameterName, 'Serve the services of the server at ADDR, described by its reflection (asked once, at start)')
            [CompletionResult]::new('--record-from', '--record-from', [CompletionResultType]::ParameterName, 'Forward every call to the live server at ADDR, and write each exchange as a stub file in the one --stubs DIR (made if missing); described by its reflection unless --proto or --protoset is given')
            [CompletionResult]::new('--redact-header', '--redact-header', [CompletionResultType]::ParameterName, 'With --record-from: never write this header in a stub file, as authorization, cookie and x-api-key never are (repeatable)')
            [CompletionResult]::new('--stubs', '--stubs', [CompletionResultType]::ParameterName, 'Answer calls from the stubs in this YAML or JSON file, or in the files of this folder; without a descriptor option, stubs of the built-in services (repeatable); the folder that --record-from writes to')
            [CompletionResult]::new('--journal-limit', '--journal-limit', [CompletionResultType]::ParameterName, 'The most calls the journal keeps; the oldest go first')
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'Where to listen: host:port (0.0.0.0 or [::] for every interface; port 0 picks a free port) or unix:/path [default: 127.0.0.1:50051]')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'With --record-from or --reflect-from: metadata for the live server, ''name: value'' (repeatable), or @FILE; it replaces a recorded caller''s header of the same name')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'With --record-from or --reflect-from: metadata for the live server, ''name: value'' (repeatable), or @FILE; it replaces a recorded caller''s header of the same name')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'With --record-from or --reflect-from: how long connecting to the live server may take [default: 10s]')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Require ''authorization: Bearer TOKEN'' on every call but health checks, with the token read from FILE')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'With --record-from or --reflect-from: trust this CA certificate (PEM) besides the system roots, for the live server''s https:// address')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'With --record-from or --reflect-from: present this client certificate (PEM) to the live server; needs --key')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The private key (PEM) of --cert')
            [CompletionResult]::new('--keepalive', '--keepalive', [CompletionResultType]::ParameterName, 'Send HTTP/2 keepalive pings this often (e.g. 30s); a peer silent for 20s more is dropped [default: 60s]')
            [CompletionResult]::new('--error-format', '--error-format', [CompletionResultType]::ParameterName, 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured)')
            [CompletionResult]::new('--no-reflection', '--no-reflection', [CompletionResultType]::ParameterName, 'Do not serve gRPC reflection')
            [CompletionResult]::new('--no-tcp-nodelay', '--no-tcp-nodelay', [CompletionResultType]::ParameterName, 'Do not set TCP_NODELAY on accepted connections')
            [CompletionResult]::new('--record-timing', '--record-timing', [CompletionResultType]::ParameterName, 'With --record-from: write the time before each reply and message (delay, after)')
            [CompletionResult]::new('--no-watch', '--no-watch', [CompletionResultType]::ParameterName, 'Do not reload the stub files when they change')
            [CompletionResult]::new('--report-unused', '--report-unused', [CompletionResultType]::ParameterName, 'At shutdown, list the stubs no call matched, and exit 3 if there are any')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'With --record-from or --reflect-from: do not verify the live server''s TLS certificate')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Also log each request''s metadata')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Also log each request''s metadata')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No log line per call')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No log line per call')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'apicli;completions' {
            [CompletionResult]::new('--error-format', '--error-format', [CompletionResultType]::ParameterName, 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'apicli;help' {
            [CompletionResult]::new('hello', 'hello', [CompletionResultType]::ParameterValue, 'Call sayHello: greet NAME')
            [CompletionResult]::new('get-all', 'get-all', [CompletionResultType]::ParameterValue, 'Call getAll: fetch LENGTH items in one response')
            [CompletionResult]::new('stream', 'stream', [CompletionResultType]::ParameterValue, 'Call getStream: receive LENGTH items, each printed as it arrives')
            [CompletionResult]::new('health', 'health', [CompletionResultType]::ParameterValue, 'Check the server''s health like a Kubernetes probe: exit 0 only when SERVING')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the services, or the methods of SERVICE with their kinds and types')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Describe a service, method, message, enum or field in .proto syntax')
            [CompletionResult]::new('call', 'call', [CompletionResultType]::ParameterValue, 'Call any method of any service: unary, server-, client- or bidi-streaming')
            [CompletionResult]::new('bench', 'bench', [CompletionResultType]::ParameterValue, 'Load-test any method: many calls at once, live progress, exact latency percentiles')
            [CompletionResult]::new('profiles', 'profiles', [CompletionResultType]::ParameterValue, 'List the profiles of the config file, or show one as resolved')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve api.Api and routeguide.RouteGuide, or stubs of any service (on 127.0.0.1:50051 unless --addr says otherwise)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'apicli;help;hello' {
            break
        }
        'apicli;help;get-all' {
            break
        }
        'apicli;help;stream' {
            break
        }
        'apicli;help;health' {
            break
        }
        'apicli;help;list' {
            break
        }
        'apicli;help;describe' {
            break
        }
        'apicli;help;call' {
            break
        }
        'apicli;help;bench' {
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Merge the -o json reports of runs (one load split over machines) into one report, with exact percentiles')
            break
        }
        'apicli;help;bench;merge' {
            break
        }
        'apicli;help;profiles' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a profile as resolved, with tokens and authorization values redacted')
            break
        }
        'apicli;help;profiles;show' {
            break
        }
        'apicli;help;serve' {
            break
        }
        'apicli;help;completions' {
            break
        }
        'apicli;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
