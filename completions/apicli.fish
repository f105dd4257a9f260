# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_apicli_global_optspecs
    string join \n addr= profile= H/header= rpc-header= reflect-header= timeout= connect-timeout= o/output= max-message-size= proxy= no-proxy token-file= ca-cert= cert= key= authority= insecure compress= protocol= http= codec= get keepalive= v/verbose q/quiet error-format= color= h/help V/version
end

function __fish_apicli_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_apicli_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_apicli_using_subcommand
    set -l cmd (__fish_apicli_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c apicli -n "__fish_apicli_needs_command" -l addr -d 'Server address: host:port, http://host:port, https://host:port or unix:/path [default: 127.0.0.1:50051]' -r
complete -c apicli -n "__fish_apicli_needs_command" -l profile -d 'Use this profile of the config file ($APICLI_CONFIG or ~/.config/apicli/config.toml)' -r
complete -c apicli -n "__fish_apicli_needs_command" -s H -l header -d 'Request metadata, \'name: value\' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line' -r
complete -c apicli -n "__fish_apicli_needs_command" -l rpc-header -d 'Metadata for the call only, never sent on reflection requests; as -H (repeatable)' -r
complete -c apicli -n "__fish_apicli_needs_command" -l reflect-header -d 'Metadata for reflection requests only, never sent on the call; as -H (repeatable)' -r
complete -c apicli -n "__fish_apicli_needs_command" -l timeout -d 'The call\'s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout' -r
complete -c apicli -n "__fish_apicli_needs_command" -l connect-timeout -d 'How long connecting may take [default: 10s]' -r
complete -c apicli -n "__fish_apicli_needs_command" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'Aligned columns for people'
json\t'The proto3 JSON mapping, one compact value per line'
text\t'The protobuf text format, as protoc writes it; messages apart as grpcurl -format text sets them (an ASCII record separator, 0x1E, before each after the first)'"
complete -c apicli -n "__fish_apicli_needs_command" -l max-message-size -d 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]' -r
complete -c apicli -n "__fish_apicli_needs_command" -l proxy -d 'Connect through this HTTP proxy, http://[USER:PASSWORD@]HOST:PORT, whatever the address [default: HTTPS_PROXY for https://, else HTTP_PROXY; not for NO_PROXY hosts or loopback]' -r
complete -c apicli -n "__fish_apicli_needs_command" -l token-file -d 'Send \'authorization: Bearer TOKEN\' with the token read from FILE' -r -F
complete -c apicli -n "__fish_apicli_needs_command" -l ca-cert -d 'Trust this CA certificate (PEM) besides the system roots, for https:// addresses' -r -F
complete -c apicli -n "__fish_apicli_needs_command" -l cert -d 'Present this client certificate (PEM) for mutual TLS; needs --key' -r -F
complete -c apicli -n "__fish_apicli_needs_command" -l key -d 'The private key (PEM) of --cert' -r -F
complete -c apicli -n "__fish_apicli_needs_command" -l authority -d 'The :authority and TLS server name to use instead of the address\'s host' -r
complete -c apicli -n "__fish_apicli_needs_command" -l compress -d 'Compress requests with this encoding and accept responses compressed with it' -r -f -a "gzip\t''
zstd\t''"
complete -c apicli -n "__fish_apicli_needs_command" -l protocol -d 'The wire protocol: gRPC, Connect, or gRPC-Web (binary, or base64 text) [default: grpc]' -r -f -a "grpc\t'gRPC over HTTP/2'
connect\t'The Connect protocol, over HTTP/1.1 or HTTP/2'
grpc-web\t'gRPC-Web, binary (application/grpc-web+proto)'
grpc-web-text\t'gRPC-Web, base64 text (application/grpc-web-text)'"
complete -c apicli -n "__fish_apicli_needs_command" -l http -d 'The HTTP version: 2, 1.1, or auto (ALPN for https://; h2c for gRPC, else h2c with a fall-back to HTTP/1.1) [default: auto]' -r -f -a "1.1\t'HTTP/1.1'
2\t'HTTP/2 (h2c for http://)'
auto\t'Chosen by the protocol and the server'"
complete -c apicli -n "__fish_apicli_needs_command" -l codec -d 'How Connect encodes messages on the wire: binary protobuf, or the JSON as typed (--protocol connect) [default: proto]' -r -f -a "proto\t'Binary protobuf (application/proto)'
json\t'The proto3 JSON mapping (application/json)'"
complete -c apicli -n "__fish_apicli_needs_command" -l keepalive -d 'Send HTTP/2 keepalive pings this often (e.g. 30s)' -r
complete -c apicli -n "__fish_apicli_needs_command" -l error-format -d 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]' -r -f -a "text\t'`apicli: error: …`, and a status\'s details one per line after it'
json\t'One JSON object on one line'"
complete -c apicli -n "__fish_apicli_needs_command" -l color -d 'When to use colour (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c apicli -n "__fish_apicli_needs_command" -l no-proxy -d 'Connect directly, whatever HTTPS_PROXY and HTTP_PROXY say'
complete -c apicli -n "__fish_apicli_needs_command" -l insecure -d 'Do not verify the server\'s TLS certificate (a warning says so every time)'
complete -c apicli -n "__fish_apicli_needs_command" -l get -d 'Send unary calls as Connect GET requests, the message in the URL (--protocol connect)'
complete -c apicli -n "__fish_apicli_needs_command" -s v -l verbose -d 'Show on stderr the metadata sent, the response headers and trailers, the status and timing'
complete -c apicli -n "__fish_apicli_needs_command" -s q -l quiet -d 'No progress bar'
complete -c apicli -n "__fish_apicli_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apicli -n "__fish_apicli_needs_command" -s V -l version -d 'Print version'
complete -c apicli -n "__fish_apicli_needs_command" -f -a "hello" -d 'Call sayHello: greet NAME'
complete -c apicli -n "__fish_apicli_needs_command" -f -a "get-all" -d 'Call getAll: fetch LENGTH items in one response'
complete -c apicli -n "__fish_apicli_needs_command" -f -a "stream" -d 'Call getStream: receive LENGTH items, each printed as it arrives'
complete -c apicli -n "__fish_apicli_needs_command" -f -a "health" -d 'Check the server\'s health like a Kubernetes probe: exit 0 only when SERVING'
complete -c apicli -n "__fish_apicli_needs_command" -f -a "list" -d 'List the services, or the methods of SERVICE with their kinds and types'
complete -c apicli -n "__fish_apicli_needs_command" -f -a "describe" -d 'Describe a service, method, message, enum or field in .proto syntax'
complete -c apicli -n "__fish_apicli_needs_command" -f -a "call" -d 'Call any method of any service: unary, server-, client- or bidi-streaming'
complete -c apicli -n "__fish_apicli_needs_command" -f -a "bench" -d 'Load-test any method: many calls at once, live progress, exact latency percentiles'
complete -c apicli -n "__fish_apicli_needs_command" -f -a "profiles" -d 'List the profiles of the config file, or show one as resolved'
complete -c apicli -n "__fish_apicli_needs_command" -f -a "serve" -d 'Serve api.Api and routeguide.RouteGuide, or stubs of any service (on 127.0.0.1:50051 unless --addr says otherwise)'
complete -c apicli -n "__fish_apicli_needs_command" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c apicli -n "__fish_apicli_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l addr -d 'Server address: host:port, http://host:port, https://host:port or unix:/path [default: 127.0.0.1:50051]' -r
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l profile -d 'Use this profile of the config file ($APICLI_CONFIG or ~/.config/apicli/config.toml)' -r
complete -c apicli -n "__fish_apicli_using_subcommand hello" -s H -l header -d 'Request metadata, \'name: value\' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line' -r
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l rpc-header -d 'Metadata for the call only, never sent on reflection requests; as -H (repeatable)' -r
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l reflect-header -d 'Metadata for reflection requests only, never sent on the call; as -H (repeatable)' -r
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l timeout -d 'The call\'s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout' -r
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l connect-timeout -d 'How long connecting may take [default: 10s]' -r
complete -c apicli -n "__fish_apicli_using_subcommand hello" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'Aligned columns for people'
json\t'The proto3 JSON mapping, one compact value per line'
text\t'The protobuf text format, as protoc writes it; messages apart as grpcurl -format text sets them (an ASCII record separator, 0x1E, before each after the first)'"
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l max-message-size -d 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]' -r
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l proxy -d 'Connect through this HTTP proxy, http://[USER:PASSWORD@]HOST:PORT, whatever the address [default: HTTPS_PROXY for https://, else HTTP_PROXY; not for NO_PROXY hosts or loopback]' -r
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l token-file -d 'Send \'authorization: Bearer TOKEN\' with the token read from FILE' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l ca-cert -d 'Trust this CA certificate (PEM) besides the system roots, for https:// addresses' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l cert -d 'Present this client certificate (PEM) for mutual TLS; needs --key' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l key -d 'The private key (PEM) of --cert' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l authority -d 'The :authority and TLS server name to use instead of the address\'s host' -r
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l compress -d 'Compress requests with this encoding and accept responses compressed with it' -r -f -a "gzip\t''
zstd\t''"
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l protocol -d 'The wire protocol: gRPC, Connect, or gRPC-Web (binary, or base64 text) [default: grpc]' -r -f -a "grpc\t'gRPC over HTTP/2'
connect\t'The Connect protocol, over HTTP/1.1 or HTTP/2'
grpc-web\t'gRPC-Web, binary (application/grpc-web+proto)'
grpc-web-text\t'gRPC-Web, base64 text (application/grpc-web-text)'"
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l http -d 'The HTTP version: 2, 1.1, or auto (ALPN for https://; h2c for gRPC, else h2c with a fall-back to HTTP/1.1) [default: auto]' -r -f -a "1.1\t'HTTP/1.1'
2\t'HTTP/2 (h2c for http://)'
auto\t'Chosen by the protocol and the server'"
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l codec -d 'How Connect encodes messages on the wire: binary protobuf, or the JSON as typed (--protocol connect) [default: proto]' -r -f -a "proto\t'Binary protobuf (application/proto)'
json\t'The proto3 JSON mapping (application/json)'"
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l keepalive -d 'Send HTTP/2 keepalive pings this often (e.g. 30s)' -r
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l error-format -d 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]' -r -f -a "text\t'`apicli: error: …`, and a status\'s details one per line after it'
json\t'One JSON object on one line'"
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l color -d 'When to use colour (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l no-proxy -d 'Connect directly, whatever HTTPS_PROXY and HTTP_PROXY say'
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l insecure -d 'Do not verify the server\'s TLS certificate (a warning says so every time)'
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l get -d 'Send unary calls as Connect GET requests, the message in the URL (--protocol connect)'
complete -c apicli -n "__fish_apicli_using_subcommand hello" -s v -l verbose -d 'Show on stderr the metadata sent, the response headers and trailers, the status and timing'
complete -c apicli -n "__fish_apicli_using_subcommand hello" -s q -l quiet -d 'No progress bar'
complete -c apicli -n "__fish_apicli_using_subcommand hello" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l length -d 'How many items to ask for (0 to 2147483647)' -r
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l addr -d 'Server address: host:port, http://host:port, https://host:port or unix:/path [default: 127.0.0.1:50051]' -r
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l profile -d 'Use this profile of the config file ($APICLI_CONFIG or ~/.config/apicli/config.toml)' -r
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -s H -l header -d 'Request metadata, \'name: value\' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line' -r
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l rpc-header -d 'Metadata for the call only, never sent on reflection requests; as -H (repeatable)' -r
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l reflect-header -d 'Metadata for reflection requests only, never sent on the call; as -H (repeatable)' -r
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l timeout -d 'The call\'s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout' -r
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l connect-timeout -d 'How long connecting may take [default: 10s]' -r
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'Aligned columns for people'
json\t'The proto3 JSON mapping, one compact value per line'
text\t'The protobuf text format, as protoc writes it; messages apart as grpcurl -format text sets them (an ASCII record separator, 0x1E, before each after the first)'"
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l max-message-size -d 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]' -r
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l proxy -d 'Connect through this HTTP proxy, http://[USER:PASSWORD@]HOST:PORT, whatever the address [default: HTTPS_PROXY for https://, else HTTP_PROXY; not for NO_PROXY hosts or loopback]' -r
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l token-file -d 'Send \'authorization: Bearer TOKEN\' with the token read from FILE' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l ca-cert -d 'Trust this CA certificate (PEM) besides the system roots, for https:// addresses' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l cert -d 'Present this client certificate (PEM) for mutual TLS; needs --key' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l key -d 'The private key (PEM) of --cert' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l authority -d 'The :authority and TLS server name to use instead of the address\'s host' -r
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l compress -d 'Compress requests with this encoding and accept responses compressed with it' -r -f -a "gzip\t''
zstd\t''"
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l protocol -d 'The wire protocol: gRPC, Connect, or gRPC-Web (binary, or base64 text) [default: grpc]' -r -f -a "grpc\t'gRPC over HTTP/2'
connect\t'The Connect protocol, over HTTP/1.1 or HTTP/2'
grpc-web\t'gRPC-Web, binary (application/grpc-web+proto)'
grpc-web-text\t'gRPC-Web, base64 text (application/grpc-web-text)'"
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l http -d 'The HTTP version: 2, 1.1, or auto (ALPN for https://; h2c for gRPC, else h2c with a fall-back to HTTP/1.1) [default: auto]' -r -f -a "1.1\t'HTTP/1.1'
2\t'HTTP/2 (h2c for http://)'
auto\t'Chosen by the protocol and the server'"
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l codec -d 'How Connect encodes messages on the wire: binary protobuf, or the JSON as typed (--protocol connect) [default: proto]' -r -f -a "proto\t'Binary protobuf (application/proto)'
json\t'The proto3 JSON mapping (application/json)'"
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l keepalive -d 'Send HTTP/2 keepalive pings this often (e.g. 30s)' -r
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l error-format -d 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]' -r -f -a "text\t'`apicli: error: …`, and a status\'s details one per line after it'
json\t'One JSON object on one line'"
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l color -d 'When to use colour (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l no-proxy -d 'Connect directly, whatever HTTPS_PROXY and HTTP_PROXY say'
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l insecure -d 'Do not verify the server\'s TLS certificate (a warning says so every time)'
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l get -d 'Send unary calls as Connect GET requests, the message in the URL (--protocol connect)'
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -s v -l verbose -d 'Show on stderr the metadata sent, the response headers and trailers, the status and timing'
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -s q -l quiet -d 'No progress bar'
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l length -d 'How many items to ask for (0 to 2147483647)' -r
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l addr -d 'Server address: host:port, http://host:port, https://host:port or unix:/path [default: 127.0.0.1:50051]' -r
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l profile -d 'Use this profile of the config file ($APICLI_CONFIG or ~/.config/apicli/config.toml)' -r
complete -c apicli -n "__fish_apicli_using_subcommand stream" -s H -l header -d 'Request metadata, \'name: value\' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line' -r
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l rpc-header -d 'Metadata for the call only, never sent on reflection requests; as -H (repeatable)' -r
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l reflect-header -d 'Metadata for reflection requests only, never sent on the call; as -H (repeatable)' -r
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l timeout -d 'The call\'s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout' -r
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l connect-timeout -d 'How long connecting may take [default: 10s]' -r
complete -c apicli -n "__fish_apicli_using_subcommand stream" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'Aligned columns for people'
json\t'The proto3 JSON mapping, one compact value per line'
text\t'The protobuf text format, as protoc writes it; messages apart as grpcurl -format text sets them (an ASCII record separator, 0x1E, before each after the first)'"
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l max-message-size -d 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]' -r
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l proxy -d 'Connect through this HTTP proxy, http://[USER:PASSWORD@]HOST:PORT, whatever the address [default: HTTPS_PROXY for https://, else HTTP_PROXY; not for NO_PROXY hosts or loopback]' -r
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l token-file -d 'Send \'authorization: Bearer TOKEN\' with the token read from FILE' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l ca-cert -d 'Trust this CA certificate (PEM) besides the system roots, for https:// addresses' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l cert -d 'Present this client certificate (PEM) for mutual TLS; needs --key' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l key -d 'The private key (PEM) of --cert' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l authority -d 'The :authority and TLS server name to use instead of the address\'s host' -r
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l compress -d 'Compress requests with this encoding and accept responses compressed with it' -r -f -a "gzip\t''
zstd\t''"
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l protocol -d 'The wire protocol: gRPC, Connect, or gRPC-Web (binary, or base64 text) [default: grpc]' -r -f -a "grpc\t'gRPC over HTTP/2'
connect\t'The Connect protocol, over HTTP/1.1 or HTTP/2'
grpc-web\t'gRPC-Web, binary (application/grpc-web+proto)'
grpc-web-text\t'gRPC-Web, base64 text (application/grpc-web-text)'"
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l http -d 'The HTTP version: 2, 1.1, or auto (ALPN for https://; h2c for gRPC, else h2c with a fall-back to HTTP/1.1) [default: auto]' -r -f -a "1.1\t'HTTP/1.1'
2\t'HTTP/2 (h2c for http://)'
auto\t'Chosen by the protocol and the server'"
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l codec -d 'How Connect encodes messages on the wire: binary protobuf, or the JSON as typed (--protocol connect) [default: proto]' -r -f -a "proto\t'Binary protobuf (application/proto)'
json\t'The proto3 JSON mapping (application/json)'"
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l keepalive -d 'Send HTTP/2 keepalive pings this often (e.g. 30s)' -r
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l error-format -d 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]' -r -f -a "text\t'`apicli: error: …`, and a status\'s details one per line after it'
json\t'One JSON object on one line'"
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l color -d 'When to use colour (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l no-proxy -d 'Connect directly, whatever HTTPS_PROXY and HTTP_PROXY say'
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l insecure -d 'Do not verify the server\'s TLS certificate (a warning says so every time)'
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l get -d 'Send unary calls as Connect GET requests, the message in the URL (--protocol connect)'
complete -c apicli -n "__fish_apicli_using_subcommand stream" -s v -l verbose -d 'Show on stderr the metadata sent, the response headers and trailers, the status and timing'
complete -c apicli -n "__fish_apicli_using_subcommand stream" -s q -l quiet -d 'No progress bar'
complete -c apicli -n "__fish_apicli_using_subcommand stream" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apicli -n "__fish_apicli_using_subcommand health" -l addr -d 'Server address: host:port, http://host:port, https://host:port or unix:/path [default: 127.0.0.1:50051]' -r
complete -c apicli -n "__fish_apicli_using_subcommand health" -l profile -d 'Use this profile of the config file ($APICLI_CONFIG or ~/.config/apicli/config.toml)' -r
complete -c apicli -n "__fish_apicli_using_subcommand health" -s H -l header -d 'Request metadata, \'name: value\' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line' -r
complete -c apicli -n "__fish_apicli_using_subcommand health" -l rpc-header -d 'Metadata for the call only, never sent on reflection requests; as -H (repeatable)' -r
complete -c apicli -n "__fish_apicli_using_subcommand health" -l reflect-header -d 'Metadata for reflection requests only, never sent on the call; as -H (repeatable)' -r
complete -c apicli -n "__fish_apicli_using_subcommand health" -l timeout -d 'The call\'s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout' -r
complete -c apicli -n "__fish_apicli_using_subcommand health" -l connect-timeout -d 'How long connecting may take [default: 10s]' -r
complete -c apicli -n "__fish_apicli_using_subcommand health" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'Aligned columns for people'
json\t'The proto3 JSON mapping, one compact value per line'
text\t'The protobuf text format, as protoc writes it; messages apart as grpcurl -format text sets them (an ASCII record separator, 0x1E, before each after the first)'"
complete -c apicli -n "__fish_apicli_using_subcommand health" -l max-message-size -d 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]' -r
complete -c apicli -n "__fish_apicli_using_subcommand health" -l proxy -d 'Connect through this HTTP proxy, http://[USER:PASSWORD@]HOST:PORT, whatever the address [default: HTTPS_PROXY for https://, else HTTP_PROXY; not for NO_PROXY hosts or loopback]' -r
complete -c apicli -n "__fish_apicli_using_subcommand health" -l token-file -d 'Send \'authorization: Bearer TOKEN\' with the token read from FILE' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand health" -l ca-cert -d 'Trust this CA certificate (PEM) besides the system roots, for https:// addresses' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand health" -l cert -d 'Present this client certificate (PEM) for mutual TLS; needs --key' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand health" -l key -d 'The private key (PEM) of --cert' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand health" -l authority -d 'The :authority and TLS server name to use instead of the address\'s host' -r
complete -c apicli -n "__fish_apicli_using_subcommand health" -l compress -d 'Compress requests with this encoding and accept responses compressed with it' -r -f -a "gzip\t''
zstd\t''"
complete -c apicli -n "__fish_apicli_using_subcommand health" -l protocol -d 'The wire protocol: gRPC, Connect, or gRPC-Web (binary, or base64 text) [default: grpc]' -r -f -a "grpc\t'gRPC over HTTP/2'
connect\t'The Connect protocol, over HTTP/1.1 or HTTP/2'
grpc-web\t'gRPC-Web, binary (application/grpc-web+proto)'
grpc-web-text\t'gRPC-Web, base64 text (application/grpc-web-text)'"
complete -c apicli -n "__fish_apicli_using_subcommand health" -l http -d 'The HTTP version: 2, 1.1, or auto (ALPN for https://; h2c for gRPC, else h2c with a fall-back to HTTP/1.1) [default: auto]' -r -f -a "1.1\t'HTTP/1.1'
2\t'HTTP/2 (h2c for http://)'
auto\t'Chosen by the protocol and the server'"
complete -c apicli -n "__fish_apicli_using_subcommand health" -l codec -d 'How Connect encodes messages on the wire: binary protobuf, or the JSON as typed (--protocol connect) [default: proto]' -r -f -a "proto\t'Binary protobuf (application/proto)'
json\t'The proto3 JSON mapping (application/json)'"
complete -c apicli -n "__fish_apicli_using_subcommand health" -l keepalive -d 'Send HTTP/2 keepalive pings this often (e.g. 30s)' -r
complete -c apicli -n "__fish_apicli_using_subcommand health" -l error-format -d 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]' -r -f -a "text\t'`apicli: error: …`, and a status\'s details one per line after it'
json\t'One JSON object on one line'"
complete -c apicli -n "__fish_apicli_using_subcommand health" -l color -d 'When to use colour (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c apicli -n "__fish_apicli_using_subcommand health" -l no-proxy -d 'Connect directly, whatever HTTPS_PROXY and HTTP_PROXY say'
complete -c apicli -n "__fish_apicli_using_subcommand health" -l insecure -d 'Do not verify the server\'s TLS certificate (a warning says so every time)'
complete -c apicli -n "__fish_apicli_using_subcommand health" -l get -d 'Send unary calls as Connect GET requests, the message in the URL (--protocol connect)'
complete -c apicli -n "__fish_apicli_using_subcommand health" -s v -l verbose -d 'Show on stderr the metadata sent, the response headers and trailers, the status and timing'
complete -c apicli -n "__fish_apicli_using_subcommand health" -s q -l quiet -d 'No progress bar'
complete -c apicli -n "__fish_apicli_using_subcommand health" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apicli -n "__fish_apicli_using_subcommand list" -l proto -d 'Describe the services with this .proto file instead of reflection (repeatable)' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand list" -s I -l import-path -d 'Where --proto files and their imports are found (repeatable) [default: each file\'s folder]' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand list" -l protoset -d 'Describe the services with this FileDescriptorSet instead of reflection (repeatable)' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand list" -l addr -d 'Server address: host:port, http://host:port, https://host:port or unix:/path [default: 127.0.0.1:50051]' -r
complete -c apicli -n "__fish_apicli_using_subcommand list" -l profile -d 'Use this profile of the config file ($APICLI_CONFIG or ~/.config/apicli/config.toml)' -r
complete -c apicli -n "__fish_apicli_using_subcommand list" -s H -l header -d 'Request metadata, \'name: value\' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line' -r
complete -c apicli -n "__fish_apicli_using_subcommand list" -l rpc-header -d 'Metadata for the call only, never sent on reflection requests; as -H (repeatable)' -r
complete -c apicli -n "__fish_apicli_using_subcommand list" -l reflect-header -d 'Metadata for reflection requests only, never sent on the call; as -H (repeatable)' -r
complete -c apicli -n "__fish_apicli_using_subcommand list" -l timeout -d 'The call\'s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout' -r
complete -c apicli -n "__fish_apicli_using_subcommand list" -l connect-timeout -d 'How long connecting may take [default: 10s]' -r
complete -c apicli -n "__fish_apicli_using_subcommand list" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'Aligned columns for people'
json\t'The proto3 JSON mapping, one compact value per line'
text\t'The protobuf text format, as protoc writes it; messages apart as grpcurl -format text sets them (an ASCII record separator, 0x1E, before each after the first)'"
complete -c apicli -n "__fish_apicli_using_subcommand list" -l max-message-size -d 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]' -r
complete -c apicli -n "__fish_apicli_using_subcommand list" -l proxy -d 'Connect through this HTTP proxy, http://[USER:PASSWORD@]HOST:PORT, whatever the address [default: HTTPS_PROXY for https://, else HTTP_PROXY; not for NO_PROXY hosts or loopback]' -r
complete -c apicli -n "__fish_apicli_using_subcommand list" -l token-file -d 'Send \'authorization: Bearer TOKEN\' with the token read from FILE' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand list" -l ca-cert -d 'Trust this CA certificate (PEM) besides the system roots, for https:// addresses' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand list" -l cert -d 'Present this client certificate (PEM) for mutual TLS; needs --key' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand list" -l key -d 'The private key (PEM) of --cert' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand list" -l authority -d 'The :authority and TLS server name to use instead of the address\'s host' -r
complete -c apicli -n "__fish_apicli_using_subcommand list" -l compress -d 'Compress requests with this encoding and accept responses compressed with it' -r -f -a "gzip\t''
zstd\t''"
complete -c apicli -n "__fish_apicli_using_subcommand list" -l protocol -d 'The wire protocol: gRPC, Connect, or gRPC-Web (binary, or base64 text) [default: grpc]' -r -f -a "grpc\t'gRPC over HTTP/2'
connect\t'The Connect protocol, over HTTP/1.1 or HTTP/2'
grpc-web\t'gRPC-Web, binary (application/grpc-web+proto)'
grpc-web-text\t'gRPC-Web, base64 text (application/grpc-web-text)'"
complete -c apicli -n "__fish_apicli_using_subcommand list" -l http -d 'The HTTP version: 2, 1.1, or auto (ALPN for https://; h2c for gRPC, else h2c with a fall-back to HTTP/1.1) [default: auto]' -r -f -a "1.1\t'HTTP/1.1'
2\t'HTTP/2 (h2c for http://)'
auto\t'Chosen by the protocol and the server'"
complete -c apicli -n "__fish_apicli_using_subcommand list" -l codec -d 'How Connect encodes messages on the wire: binary protobuf, or the JSON as typed (--protocol connect) [default: proto]' -r -f -a "proto\t'Binary protobuf (application/proto)'
json\t'The proto3 JSON mapping (application/json)'"
complete -c apicli -n "__fish_apicli_using_subcommand list" -l keepalive -d 'Send HTTP/2 keepalive pings this often (e.g. 30s)' -r
complete -c apicli -n "__fish_apicli_using_subcommand list" -l error-format -d 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]' -r -f -a "text\t'`apicli: error: …`, and a status\'s details one per line after it'
json\t'One JSON object on one line'"
complete -c apicli -n "__fish_apicli_using_subcommand list" -l color -d 'When to use colour (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c apicli -n "__fish_apicli_using_subcommand list" -l no-proxy -d 'Connect directly, whatever HTTPS_PROXY and HTTP_PROXY say'
complete -c apicli -n "__fish_apicli_using_subcommand list" -l insecure -d 'Do not verify the server\'s TLS certificate (a warning says so every time)'
complete -c apicli -n "__fish_apicli_using_subcommand list" -l get -d 'Send unary calls as Connect GET requests, the message in the URL (--protocol connect)'
complete -c apicli -n "__fish_apicli_using_subcommand list" -s v -l verbose -d 'Show on stderr the metadata sent, the response headers and trailers, the status and timing'
complete -c apicli -n "__fish_apicli_using_subcommand list" -s q -l quiet -d 'No progress bar'
complete -c apicli -n "__fish_apicli_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l protoset-out -d 'Write the files that define SYMBOL (every service without one) and all they import to FILE, as a FileDescriptorSet (protoc\'s --descriptor_set_out --include_imports), for --protoset; an existing FILE is replaced whole' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l proto-out -d 'Write those files as .proto source under DIR, laid out by their import paths (google/protobuf/… too), for --proto and -I DIR' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l proto -d 'Describe the services with this .proto file instead of reflection (repeatable)' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand describe" -s I -l import-path -d 'Where --proto files and their imports are found (repeatable) [default: each file\'s folder]' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l protoset -d 'Describe the services with this FileDescriptorSet instead of reflection (repeatable)' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l addr -d 'Server address: host:port, http://host:port, https://host:port or unix:/path [default: 127.0.0.1:50051]' -r
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l profile -d 'Use this profile of the config file ($APICLI_CONFIG or ~/.config/apicli/config.toml)' -r
complete -c apicli -n "__fish_apicli_using_subcommand describe" -s H -l header -d 'Request metadata, \'name: value\' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line' -r
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l rpc-header -d 'Metadata for the call only, never sent on reflection requests; as -H (repeatable)' -r
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l reflect-header -d 'Metadata for reflection requests only, never sent on the call; as -H (repeatable)' -r
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l timeout -d 'The call\'s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout' -r
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l connect-timeout -d 'How long connecting may take [default: 10s]' -r
complete -c apicli -n "__fish_apicli_using_subcommand describe" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'Aligned columns for people'
json\t'The proto3 JSON mapping, one compact value per line'
text\t'The protobuf text format, as protoc writes it; messages apart as grpcurl -format text sets them (an ASCII record separator, 0x1E, before each after the first)'"
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l max-message-size -d 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]' -r
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l proxy -d 'Connect through this HTTP proxy, http://[USER:PASSWORD@]HOST:PORT, whatever the address [default: HTTPS_PROXY for https://, else HTTP_PROXY; not for NO_PROXY hosts or loopback]' -r
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l token-file -d 'Send \'authorization: Bearer TOKEN\' with the token read from FILE' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l ca-cert -d 'Trust this CA certificate (PEM) besides the system roots, for https:// addresses' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l cert -d 'Present this client certificate (PEM) for mutual TLS; needs --key' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l key -d 'The private key (PEM) of --cert' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l authority -d 'The :authority and TLS server name to use instead of the address\'s host' -r
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l compress -d 'Compress requests with this encoding and accept responses compressed with it' -r -f -a "gzip\t''
zstd\t''"
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l protocol -d 'The wire protocol: gRPC, Connect, or gRPC-Web (binary, or base64 text) [default: grpc]' -r -f -a "grpc\t'gRPC over HTTP/2'
connect\t'The Connect protocol, over HTTP/1.1 or HTTP/2'
grpc-web\t'gRPC-Web, binary (application/grpc-web+proto)'
grpc-web-text\t'gRPC-Web, base64 text (application/grpc-web-text)'"
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l http -d 'The HTTP version: 2, 1.1, or auto (ALPN for https://; h2c for gRPC, else h2c with a fall-back to HTTP/1.1) [default: auto]' -r -f -a "1.1\t'HTTP/1.1'
2\t'HTTP/2 (h2c for http://)'
auto\t'Chosen by the protocol and the server'"
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l codec -d 'How Connect encodes messages on the wire: binary protobuf, or the JSON as typed (--protocol connect) [default: proto]' -r -f -a "proto\t'Binary protobuf (application/proto)'
json\t'The proto3 JSON mapping (application/json)'"
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l keepalive -d 'Send HTTP/2 keepalive pings this often (e.g. 30s)' -r
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l error-format -d 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]' -r -f -a "text\t'`apicli: error: …`, and a status\'s details one per line after it'
json\t'One JSON object on one line'"
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l color -d 'When to use colour (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l template -d 'Print a JSON request skeleton of the message (or the method\'s request) instead'
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l no-proxy -d 'Connect directly, whatever HTTPS_PROXY and HTTP_PROXY say'
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l insecure -d 'Do not verify the server\'s TLS certificate (a warning says so every time)'
complete -c apicli -n "__fish_apicli_using_subcommand describe" -l get -d 'Send unary calls as Connect GET requests, the message in the URL (--protocol connect)'
complete -c apicli -n "__fish_apicli_using_subcommand describe" -s v -l verbose -d 'Show on stderr the metadata sent, the response headers and trailers, the status and timing'
complete -c apicli -n "__fish_apicli_using_subcommand describe" -s q -l quiet -d 'No progress bar'
complete -c apicli -n "__fish_apicli_using_subcommand describe" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apicli -n "__fish_apicli_using_subcommand call" -s d -l data -d 'Request messages as JSON, one after another (NDJSON); @FILE reads a file, @- stdin' -r
complete -c apicli -n "__fish_apicli_using_subcommand call" -l proto -d 'Describe the services with this .proto file instead of reflection (repeatable)' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand call" -s I -l import-path -d 'Where --proto files and their imports are found (repeatable) [default: each file\'s folder]' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand call" -l protoset -d 'Describe the services with this FileDescriptorSet instead of reflection (repeatable)' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand call" -l addr -d 'Server address: host:port, http://host:port, https://host:port or unix:/path [default: 127.0.0.1:50051]' -r
complete -c apicli -n "__fish_apicli_using_subcommand call" -l profile -d 'Use this profile of the config file ($APICLI_CONFIG or ~/.config/apicli/config.toml)' -r
complete -c apicli -n "__fish_apicli_using_subcommand call" -s H -l header -d 'Request metadata, \'name: value\' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line' -r
complete -c apicli -n "__fish_apicli_using_subcommand call" -l rpc-header -d 'Metadata for the call only, never sent on reflection requests; as -H (repeatable)' -r
complete -c apicli -n "__fish_apicli_using_subcommand call" -l reflect-header -d 'Metadata for reflection requests only, never sent on the call; as -H (repeatable)' -r
complete -c apicli -n "__fish_apicli_using_subcommand call" -l timeout -d 'The call\'s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout' -r
complete -c apicli -n "__fish_apicli_using_subcommand call" -l connect-timeout -d 'How long connecting may take [default: 10s]' -r
complete -c apicli -n "__fish_apicli_using_subcommand call" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'Aligned columns for people'
json\t'The proto3 JSON mapping, one compact value per line'
text\t'The protobuf text format, as protoc writes it; messages apart as grpcurl -format text sets them (an ASCII record separator, 0x1E, before each after the first)'"
complete -c apicli -n "__fish_apicli_using_subcommand call" -l max-message-size -d 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]' -r
complete -c apicli -n "__fish_apicli_using_subcommand call" -l proxy -d 'Connect through this HTTP proxy, http://[USER:PASSWORD@]HOST:PORT, whatever the address [default: HTTPS_PROXY for https://, else HTTP_PROXY; not for NO_PROXY hosts or loopback]' -r
complete -c apicli -n "__fish_apicli_using_subcommand call" -l token-file -d 'Send \'authorization: Bearer TOKEN\' with the token read from FILE' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand call" -l ca-cert -d 'Trust this CA certificate (PEM) besides the system roots, for https:// addresses' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand call" -l cert -d 'Present this client certificate (PEM) for mutual TLS; needs --key' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand call" -l key -d 'The private key (PEM) of --cert' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand call" -l authority -d 'The :authority and TLS server name to use instead of the address\'s host' -r
complete -c apicli -n "__fish_apicli_using_subcommand call" -l compress -d 'Compress requests with this encoding and accept responses compressed with it' -r -f -a "gzip\t''
zstd\t''"
complete -c apicli -n "__fish_apicli_using_subcommand call" -l protocol -d 'The wire protocol: gRPC, Connect, or gRPC-Web (binary, or base64 text) [default: grpc]' -r -f -a "grpc\t'gRPC over HTTP/2'
connect\t'The Connect protocol, over HTTP/1.1 or HTTP/2'
grpc-web\t'gRPC-Web, binary (application/grpc-web+proto)'
grpc-web-text\t'gRPC-Web, base64 text (application/grpc-web-text)'"
complete -c apicli -n "__fish_apicli_using_subcommand call" -l http -d 'The HTTP version: 2, 1.1, or auto (ALPN for https://; h2c for gRPC, else h2c with a fall-back to HTTP/1.1) [default: auto]' -r -f -a "1.1\t'HTTP/1.1'
2\t'HTTP/2 (h2c for http://)'
auto\t'Chosen by the protocol and the server'"
complete -c apicli -n "__fish_apicli_using_subcommand call" -l codec -d 'How Connect encodes messages on the wire: binary protobuf, or the JSON as typed (--protocol connect) [default: proto]' -r -f -a "proto\t'Binary protobuf (application/proto)'
json\t'The proto3 JSON mapping (application/json)'"
complete -c apicli -n "__fish_apicli_using_subcommand call" -l keepalive -d 'Send HTTP/2 keepalive pings this often (e.g. 30s)' -r
complete -c apicli -n "__fish_apicli_using_subcommand call" -l error-format -d 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]' -r -f -a "text\t'`apicli: error: …`, and a status\'s details one per line after it'
json\t'One JSON object on one line'"
complete -c apicli -n "__fish_apicli_using_subcommand call" -l color -d 'When to use colour (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c apicli -n "__fish_apicli_using_subcommand call" -l emit-defaults -d 'Include fields that hold default values in -o json'
complete -c apicli -n "__fish_apicli_using_subcommand call" -l allow-unknown-fields -d 'Skip the -d fields that the request message does not have, instead of refusing them'
complete -c apicli -n "__fish_apicli_using_subcommand call" -l no-proxy -d 'Connect directly, whatever HTTPS_PROXY and HTTP_PROXY say'
complete -c apicli -n "__fish_apicli_using_subcommand call" -l insecure -d 'Do not verify the server\'s TLS certificate (a warning says so every time)'
complete -c apicli -n "__fish_apicli_using_subcommand call" -l get -d 'Send unary calls as Connect GET requests, the message in the URL (--protocol connect)'
complete -c apicli -n "__fish_apicli_using_subcommand call" -s v -l verbose -d 'Show on stderr the metadata sent, the response headers and trailers, the status and timing'
complete -c apicli -n "__fish_apicli_using_subcommand call" -s q -l quiet -d 'No progress bar'
complete -c apicli -n "__fish_apicli_using_subcommand call" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -s d -l data -d 'The request messages of every call, as for call; {{ n }} (the call\'s number), {{uuid}} and {{rand A B}} (an integer from A to B) are filled in for each call. Several messages for a unary or server-streaming method: one per call, in turn (see --data-order); client-streaming and bidi calls send them all, each call' -r
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l data-order -d 'With several -d messages for a method that takes one: send them in turn, or pick one at random for each call' -r -f -a "sequential\t'The first message, then the next, and after the last the first again'
random\t'Any of them, picked for each call'"
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -s c -l concurrency -d 'Calls in flight at once; A:B with --ramp rises from A to B (closed loop)' -r
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l connections -d 'HTTP/2 connections, the calls spread over them [default: one per --addr]' -r
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -s n -l total -d 'Stop after this many calls (warm-up calls not counted) [default: 200]' -r
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -s z -l duration -d 'Stop after this long (e.g. 10s, 1m); calls still in flight then are not counted' -r
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l rps -d 'Start this many calls per second whatever the answers (open loop); latency counts from each call\'s scheduled start. A:B rises from A to B, with --ramp or --rps-step' -r
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l ramp -d 'Rise linearly from --rps A:B\'s A to B (or -c A:B\'s) over this long, then hold B; the ramp counts from the load\'s start, warm-up included, and needs -z at least as long' -r
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l rps-step -d 'Add S calls per second every E (e.g. 100/10s) up to --rps\'s B: from A with --rps A:B, from S with --rps B; needs -z at least as long as the steps' -r
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l warmup -d 'Run this many calls (N) or this long (e.g. 2s) first, and do not count them' -r
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l split -d 'This generator\'s part of a load shared by N: -n, -c and --rps are divided among the parts (the first ones take the remainders), so that N identical commands make the whole; I counts from 0 (0/4 to 3/4), as a Kubernetes Indexed Job\'s JOB_COMPLETION_INDEX does; with -z each part runs the whole time' -r
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l start-at -d 'Connect first, then wait, and start the load at this time: RFC 3339 (2026-12-05T10:00:00Z) or +DURATION from now (+30s), so that several generators start together' -r
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l threads -d 'Runtime threads making the calls [default: one per core]' -r
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l interval -d 'Report req/s, p50, p99 and errors for each interval of this length (e.g. 1s) from the run\'s start, in the table and in -o json\'s intervals' -r
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l hdr-log -d 'Write each interval\'s latency histogram (µs) to this HdrHistogram interval log, as HistogramLogAnalyzer reads it (every --interval, or every second)' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l html -d 'Also write the report as one self-contained HTML page with charts: latency and req/s over time (in intervals of --interval, or of 1s), the latency histogram and the summary' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l expect -d 'A condition on the report (e.g. \'p99<5ms\', \'errors=0\', \'rps>=10000\'); exit 3 when one is not met (repeatable)' -r
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l compare -d 'Print each figure beside the same figure of an earlier -o json report, with the change' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l proto -d 'Describe the services with this .proto file instead of reflection (repeatable)' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -s I -l import-path -d 'Where --proto files and their imports are found (repeatable) [default: each file\'s folder]' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l protoset -d 'Describe the services with this FileDescriptorSet instead of reflection (repeatable)' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l addr -d 'Server address: host:port, http://host:port, https://host:port or unix:/path; repeat it to spread the connections over several [default: 127.0.0.1:50051]' -r
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l profile -d 'Use this profile of the config file ($APICLI_CONFIG or ~/.config/apicli/config.toml)' -r
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -s H -l header -d 'Request metadata, \'name: value\' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line; {{ n }}, {{uuid}} and {{rand A B}} in a value are filled in for each call' -r
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l rpc-header -d 'Metadata for the call only, never sent on reflection requests; as -H (repeatable)' -r
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l reflect-header -d 'Metadata for reflection requests only, never sent on the call; as -H (repeatable)' -r
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l timeout -d 'The call\'s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout' -r
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l connect-timeout -d 'How long connecting may take [default: 10s]' -r
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'Aligned columns for people'
json\t'The proto3 JSON mapping, one compact value per line'
text\t'The protobuf text format, as protoc writes it; messages apart as grpcurl -format text sets them (an ASCII record separator, 0x1E, before each after the first)'"
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l max-message-size -d 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]' -r
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l proxy -d 'Connect through this HTTP proxy, http://[USER:PASSWORD@]HOST:PORT, whatever the address [default: HTTPS_PROXY for https://, else HTTP_PROXY; not for NO_PROXY hosts or loopback]' -r
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l token-file -d 'Send \'authorization: Bearer TOKEN\' with the token read from FILE' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l ca-cert -d 'Trust this CA certificate (PEM) besides the system roots, for https:// addresses' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l cert -d 'Present this client certificate (PEM) for mutual TLS; needs --key' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l key -d 'The private key (PEM) of --cert' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l authority -d 'The :authority and TLS server name to use instead of the address\'s host' -r
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l compress -d 'Compress requests with this encoding and accept responses compressed with it' -r -f -a "gzip\t''
zstd\t''"
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l protocol -d 'The wire protocol: gRPC, Connect, or gRPC-Web (binary, or base64 text) [default: grpc]' -r -f -a "grpc\t'gRPC over HTTP/2'
connect\t'The Connect protocol, over HTTP/1.1 or HTTP/2'
grpc-web\t'gRPC-Web, binary (application/grpc-web+proto)'
grpc-web-text\t'gRPC-Web, base64 text (application/grpc-web-text)'"
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l http -d 'The HTTP version: 2, 1.1, or auto (ALPN for https://; h2c for gRPC, else h2c with a fall-back to HTTP/1.1) [default: auto]' -r -f -a "1.1\t'HTTP/1.1'
2\t'HTTP/2 (h2c for http://)'
auto\t'Chosen by the protocol and the server'"
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l codec -d 'How Connect encodes messages on the wire: binary protobuf, or the JSON as typed (--protocol connect) [default: proto]' -r -f -a "proto\t'Binary protobuf (application/proto)'
json\t'The proto3 JSON mapping (application/json)'"
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l keepalive -d 'Send HTTP/2 keepalive pings this often (e.g. 30s)' -r
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l error-format -d 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]' -r -f -a "text\t'`apicli: error: …`, and a status\'s details one per line after it'
json\t'One JSON object on one line'"
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l color -d 'When to use colour (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l allow-unknown-fields -d 'Skip the -d fields that the request message does not have, instead of refusing them'
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l no-proxy -d 'Connect directly, whatever HTTPS_PROXY and HTTP_PROXY say'
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l insecure -d 'Do not verify the server\'s TLS certificate (a warning says so every time)'
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -l get -d 'Send unary calls as Connect GET requests, the message in the URL (--protocol connect)'
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -s q -l quiet -d 'No progress bar'
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apicli -n "__fish_apicli_using_subcommand bench; and not __fish_seen_subcommand_from merge" -a "merge" -d 'Merge the -o json reports of runs (one load split over machines) into one report, with exact percentiles'
complete -c apicli -n "__fish_apicli_using_subcommand bench; and __fish_seen_subcommand_from merge" -l expect -d 'A condition on the merged report (e.g. \'p99<5ms\', \'errors=0\', \'rps>=10000\'); exit 3 when one is not met (repeatable)' -r
complete -c apicli -n "__fish_apicli_using_subcommand bench; and __fish_seen_subcommand_from merge" -l compare -d 'Print each figure of the merged report beside the same figure of an earlier -o json report' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand bench; and __fish_seen_subcommand_from merge" -l html -d 'Also write the merged report as one self-contained HTML page with charts: each part\'s req/s and latency, the latency histogram and the summary' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand bench; and __fish_seen_subcommand_from merge" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'Aligned columns for people'
json\t'The proto3 JSON mapping, one compact value per line'
text\t'The protobuf text format, as protoc writes it; messages apart as grpcurl -format text sets them (an ASCII record separator, 0x1E, before each after the first)'"
complete -c apicli -n "__fish_apicli_using_subcommand bench; and __fish_seen_subcommand_from merge" -l error-format -d 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]' -r -f -a "text\t'`apicli: error: …`, and a status\'s details one per line after it'
json\t'One JSON object on one line'"
complete -c apicli -n "__fish_apicli_using_subcommand bench; and __fish_seen_subcommand_from merge" -l color -d 'When to use colour (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c apicli -n "__fish_apicli_using_subcommand bench; and __fish_seen_subcommand_from merge" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apicli -n "__fish_apicli_using_subcommand profiles; and not __fish_seen_subcommand_from show help" -l error-format -d 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]' -r -f -a "text\t'`apicli: error: …`, and a status\'s details one per line after it'
json\t'One JSON object on one line'"
complete -c apicli -n "__fish_apicli_using_subcommand profiles; and not __fish_seen_subcommand_from show help" -l color -d 'When to use colour (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c apicli -n "__fish_apicli_using_subcommand profiles; and not __fish_seen_subcommand_from show help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apicli -n "__fish_apicli_using_subcommand profiles; and not __fish_seen_subcommand_from show help" -f -a "show" -d 'Print a profile as resolved, with tokens and authorization values redacted'
complete -c apicli -n "__fish_apicli_using_subcommand profiles; and not __fish_seen_subcommand_from show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c apicli -n "__fish_apicli_using_subcommand profiles; and __fish_seen_subcommand_from show" -l error-format -d 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]' -r -f -a "text\t'`apicli: error: …`, and a status\'s details one per line after it'
json\t'One JSON object on one line'"
complete -c apicli -n "__fish_apicli_using_subcommand profiles; and __fish_seen_subcommand_from show" -l color -d 'When to use colour (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c apicli -n "__fish_apicli_using_subcommand profiles; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apicli -n "__fish_apicli_using_subcommand profiles; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print a profile as resolved, with tokens and authorization values redacted'
complete -c apicli -n "__fish_apicli_using_subcommand profiles; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l stream-interval -d 'Wait this long before each getStream item and ListFeatures feature (e.g. 1s, 200ms)' -r
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l max-items -d 'The largest getAll length served; longer requests get INVALID_ARGUMENT' -r
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l tls-cert -d 'Serve TLS with this certificate chain (PEM); needs --tls-key' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l tls-key -d 'The private key (PEM: PKCS#8, RSA or SEC1) of --tls-cert' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l client-ca -d 'Require client certificates signed by this CA (PEM): mutual TLS' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l tls-self-signed -d 'Make a CA and a localhost/127.0.0.1 certificate in DIR (or reuse them), and serve TLS' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l log-format -d 'The log\'s format on stderr' -r -f -a "text\t'One human-readable line per event'
json\t'One JSON object per event'"
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l grace -d 'After SIGINT/SIGTERM, how long calls in flight may finish before they are cancelled' -r
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l max-concurrent-streams -d 'The most concurrent calls (HTTP/2 streams) on one connection' -r
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l max-request-size -d 'The largest request message accepted (units optional: 64KiB)' -r
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l threads -d 'Threads serving calls, each with the connections it was given [default: one per core]' -r
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l cors-origin -d 'Let pages from ORIGIN (https://app.example, or * for any) call from a browser: CORS preflights answered, the protocols\' headers exposed (repeatable)' -r
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l proto -d 'Serve the services of this .proto file instead of the built-in ones (repeatable)' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand serve" -s I -l import-path -d 'Where --proto files and their imports are found (repeatable) [default: each file\'s folder]' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l protoset -d 'Serve the services of this FileDescriptorSet instead of the built-in ones (repeatable)' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l reflect-from -d 'Serve the services of the server at ADDR, described by its reflection (asked once, at start)' -r
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l record-from -d 'Forward every call to the live server at ADDR, and write each exchange as a stub file in the one --stubs DIR (made if missing); described by its reflection unless --proto or --protoset is given' -r
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l redact-header -d 'With --record-from: never write this header in a stub file, as authorization, cookie and x-api-key never are (repeatable)' -r
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l stubs -d 'Answer calls from the stubs in this YAML or JSON file, or in the files of this folder; without a descriptor option, stubs of the built-in services (repeatable); the folder that --record-from writes to' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l journal-limit -d 'The most calls the journal keeps; the oldest go first' -r
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l addr -d 'Where to listen: host:port (0.0.0.0 or [::] for every interface; port 0 picks a free port) or unix:/path [default: 127.0.0.1:50051]' -r
complete -c apicli -n "__fish_apicli_using_subcommand serve" -s H -l header -d 'With --record-from or --reflect-from: metadata for the live server, \'name: value\' (repeatable), or @FILE; it replaces a recorded caller\'s header of the same name' -r
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l connect-timeout -d 'With --record-from or --reflect-from: how long connecting to the live server may take [default: 10s]' -r
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l token-file -d 'Require \'authorization: Bearer TOKEN\' on every call but health checks, with the token read from FILE' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l ca-cert -d 'With --record-from or --reflect-from: trust this CA certificate (PEM) besides the system roots, for the live server\'s https:// address' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l cert -d 'With --record-from or --reflect-from: present this client certificate (PEM) to the live server; needs --key' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l key -d 'The private key (PEM) of --cert' -r -F
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l keepalive -d 'Send HTTP/2 keepalive pings this often (e.g. 30s); a peer silent for 20s more is dropped [default: 60s]' -r
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l error-format -d 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]' -r -f -a "text\t'`apicli: error: …`, and a status\'s details one per line after it'
json\t'One JSON object on one line'"
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l color -d 'When to use colour (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l no-reflection -d 'Do not serve gRPC reflection'
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l no-tcp-nodelay -d 'Do not set TCP_NODELAY on accepted connections'
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l record-timing -d 'With --record-from: write the time before each reply and message (delay, after)'
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l no-watch -d 'Do not reload the stub files when they change'
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l report-unused -d 'At shutdown, list the stubs no call matched, and exit 3 if there are any'
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l insecure -d 'With --record-from or --reflect-from: do not verify the live server\'s TLS certificate'
complete -c apicli -n "__fish_apicli_using_subcommand serve" -s v -l verbose -d 'Also log each request\'s metadata'
complete -c apicli -n "__fish_apicli_using_subcommand serve" -s q -l quiet -d 'No log line per call'
complete -c apicli -n "__fish_apicli_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apicli -n "__fish_apicli_using_subcommand completions" -l error-format -d 'How the error a command ends with is printed on stderr: text, or one line of JSON for scripts [default: text]' -r -f -a "text\t'`apicli: error: …`, and a status\'s details one per line after it'
json\t'One JSON object on one line'"
complete -c apicli -n "__fish_apicli_using_subcommand completions" -l color -d 'When to use colour (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c apicli -n "__fish_apicli_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apicli -n "__fish_apicli_using_subcommand help; and not __fish_seen_subcommand_from hello get-all stream health list describe call bench profiles serve completions help" -f -a "hello" -d 'Call sayHello: greet NAME'
complete -c apicli -n "__fish_apicli_using_subcommand help; and not __fish_seen_subcommand_from hello get-all stream health list describe call bench profiles serve completions help" -f -a "get-all" -d 'Call getAll: fetch LENGTH items in one response'
complete -c apicli -n "__fish_apicli_using_subcommand help; and not __fish_seen_subcommand_from hello get-all stream health list describe call bench profiles serve completions help" -f -a "stream" -d 'Call getStream: receive LENGTH items, each printed as it arrives'
complete -c apicli -n "__fish_apicli_using_subcommand help; and not __fish_seen_subcommand_from hello get-all stream health list describe call bench profiles serve completions help" -f -a "health" -d 'Check the server\'s health like a Kubernetes probe: exit 0 only when SERVING'
complete -c apicli -n "__fish_apicli_using_subcommand help; and not __fish_seen_subcommand_from hello get-all stream health list describe call bench profiles serve completions help" -f -a "list" -d 'List the services, or the methods of SERVICE with their kinds and types'
complete -c apicli -n "__fish_apicli_using_subcommand help; and not __fish_seen_subcommand_from hello get-all stream health list describe call bench profiles serve completions help" -f -a "describe" -d 'Describe a service, method, message, enum or field in .proto syntax'
complete -c apicli -n "__fish_apicli_using_subcommand help; and not __fish_seen_subcommand_from hello get-all stream health list describe call bench profiles serve completions help" -f -a "call" -d 'Call any method of any service: unary, server-, client- or bidi-streaming'
complete -c apicli -n "__fish_apicli_using_subcommand help; and not __fish_seen_subcommand_from hello get-all stream health list describe call bench profiles serve completions help" -f -a "bench" -d 'Load-test any method: many calls at once, live progress, exact latency percentiles'
complete -c apicli -n "__fish_apicli_using_subcommand help; and not __fish_seen_subcommand_from hello get-all stream health list describe call bench profiles serve completions help" -f -a "profiles" -d 'List the profiles of the config file, or show one as resolved'
complete -c apicli -n "__fish_apicli_using_subcommand help; and not __fish_seen_subcommand_from hello get-all stream health list describe call bench profiles serve completions help" -f -a "serve" -d 'Serve api.Api and routeguide.RouteGuide, or stubs of any service (on 127.0.0.1:50051 unless --addr says otherwise)'
complete -c apicli -n "__fish_apicli_using_subcommand help; and not __fish_seen_subcommand_from hello get-all stream health list describe call bench profiles serve completions help" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c apicli -n "__fish_apicli_using_subcommand help; and not __fish_seen_subcommand_from hello get-all stream health list describe call bench profiles serve completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c apicli -n "__fish_apicli_using_subcommand help; and __fish_seen_subcommand_from bench" -f -a "merge" -d 'Merge the -o json reports of runs (one load split over machines) into one report, with exact percentiles'
complete -c apicli -n "__fish_apicli_using_subcommand help; and __fish_seen_subcommand_from profiles" -f -a "show" -d 'Print a profile as resolved, with tokens and authorization values redacted'
