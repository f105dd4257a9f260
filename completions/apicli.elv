
use builtin;
use str;

set edit:completion:arg-completer[apicli] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'apicli'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'apicli'= {
            cand --addr 'Server address: host:port, http://host:port, https://host:port or unix:/path (for serve: where to listen) [default: 127.0.0.1:50051]'
            cand -H 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line'
            cand --header 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line'
            cand --timeout 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout'
            cand --connect-timeout 'How long connecting may take [default: 10s]'
            cand -o 'Output format [default: table]'
            cand --output 'Output format [default: table]'
            cand --max-message-size 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]'
            cand --token-file 'Send ''authorization: Bearer TOKEN'' with the token read from FILE; for serve: require it'
            cand --ca-cert 'Trust this CA certificate (PEM) besides the system roots, for https:// addresses'
            cand --cert 'Present this client certificate (PEM) for mutual TLS; needs --key'
            cand --key 'The private key (PEM) of --cert'
            cand --authority 'The :authority and TLS server name to use instead of the address''s host'
            cand --compress 'Compress requests with this encoding and accept responses compressed with it'
            cand --keepalive 'Send HTTP/2 keepalive pings this often (e.g. 30s); for serve [default: 60s]'
            cand --color 'When to use colour (NO_COLOR is honoured)'
            cand --insecure 'Do not verify the server''s TLS certificate (a warning says so every time)'
            cand -v 'Show on stderr the metadata sent, the response headers and trailers, the status and timing (serve: also log each request''s metadata)'
            cand --verbose 'Show on stderr the metadata sent, the response headers and trailers, the status and timing (serve: also log each request''s metadata)'
            cand -q 'No progress bar (serve: no line per call)'
            cand --quiet 'No progress bar (serve: no line per call)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand hello 'Call sayHello: greet NAME'
            cand get-all 'Call getAll: fetch LENGTH items in one response'
            cand stream 'Call getStream: receive LENGTH items, each printed as it arrives'
            cand health 'Check the server''s health like a Kubernetes probe: exit 0 only when SERVING'
            cand serve 'Serve api.Api (listens on 127.0.0.1:50051 unless --addr says otherwise)'
            cand completions 'Print a shell completion script to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'apicli;hello'= {
            cand --addr 'Server address: host:port, http://host:port, https://host:port or unix:/path (for serve: where to listen) [default: 127.0.0.1:50051]'
            cand -H 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line'
            cand --header 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line'
            cand --timeout 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout'
            cand --connect-timeout 'How long connecting may take [default: 10s]'
            cand -o 'Output format [default: table]'
            cand --output 'Output format [default: table]'
            cand --max-message-size 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]'
            cand --token-file 'Send ''authorization: Bearer TOKEN'' with the token read from FILE; for serve: require it'
            cand --ca-cert 'Trust this CA certificate (PEM) besides the system roots, for https:// addresses'
            cand --cert 'Present this client certificate (PEM) for mutual TLS; needs --key'
            cand --key 'The private key (PEM) of --cert'
            cand --authority 'The :authority and TLS server name to use instead of the address''s host'
            cand --compress 'Compress requests with this encoding and accept responses compressed with it'
            cand --keepalive 'Send HTTP/2 keepalive pings this often (e.g. 30s); for serve [default: 60s]'
            cand --color 'When to use colour (NO_COLOR is honoured)'
            cand --insecure 'Do not verify the server''s TLS certificate (a warning says so every time)'
            cand -v 'Show on stderr the metadata sent, the response headers and trailers, the status and timing (serve: also log each request''s metadata)'
            cand --verbose 'Show on stderr the metadata sent, the response headers and trailers, the status and timing (serve: also log each request''s metadata)'
            cand -q 'No progress bar (serve: no line per call)'
            cand --quiet 'No progress bar (serve: no line per call)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'apicli;get-all'= {
            cand --length 'How many items to ask for (0 to 2147483647)'
            cand --addr 'Server address: host:port, http://host:port, https://host:port or unix:/path (for serve: where to listen) [default: 127.0.0.1:50051]'
            cand -H 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line'
            cand --header 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line'
            cand --timeout 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout'
            cand --connect-timeout 'How long connecting may take [default: 10s]'
            cand -o 'Output format [default: table]'
            cand --output 'Output format [default: table]'
            cand --max-message-size 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]'
            cand --token-file 'Send ''authorization: Bearer TOKEN'' with the token read from FILE; for serve: require it'
            cand --ca-cert 'Trust this CA certificate (PEM) besides the system roots, for https:// addresses'
            cand --cert 'Present this client certificate (PEM) for mutual TLS; needs --key'
            cand --key 'The private key (PEM) of --cert'
            cand --authority 'The :authority and TLS server name to use instead of the address''s host'
            cand --compress 'Compress requests with this encoding and accept responses compressed with it'
            cand --keepalive 'Send HTTP/2 keepalive pings this often (e.g. 30s); for serve [default: 60s]'
            cand --color 'When to use colour (NO_COLOR is honoured)'
            cand --insecure 'Do not verify the server''s TLS certificate (a warning says so every time)'
            cand -v 'Show on stderr the metadata sent, the response headers and trailers, the status and timing (serve: also log each request''s metadata)'
            cand --verbose 'Show on stderr the metadata sent, the response headers and trailers, the status and timing (serve: also log each request''s metadata)'
            cand -q 'No progress bar (serve: no line per call)'
            cand --quiet 'No progress bar (serve: no line per call)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'apicli;stream'= {
            cand --length 'How many items to ask for (0 to 2147483647)'
            cand --addr 'Server address: host:port, http://host:port, https://host:port or unix:/path (for serve: where to listen) [default: 127.0.0.1:50051]'
            cand -H 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line'
            cand --header 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line'
            cand --timeout 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout'
            cand --connect-timeout 'How long connecting may take [default: 10s]'
            cand -o 'Output format [default: table]'
            cand --output 'Output format [default: table]'
            cand --max-message-size 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]'
            cand --token-file 'Send ''authorization: Bearer TOKEN'' with the token read from FILE; for serve: require it'
            cand --ca-cert 'Trust this CA certificate (PEM) besides the system roots, for https:// addresses'
            cand --cert 'Present this client certificate (PEM) for mutual TLS; needs --key'
            cand --key 'The private key (PEM) of --cert'
            cand --authority 'The :authority and TLS server name to use instead of the address''s host'
            cand --compress 'Compress requests with this encoding and accept responses compressed with it'
            cand --keepalive 'Send HTTP/2 keepalive pings this often (e.g. 30s); for serve [default: 60s]'
            cand --color 'When to use colour (NO_COLOR is honoured)'
            cand --insecure 'Do not verify the server''s TLS certificate (a warning says so every time)'
            cand -v 'Show on stderr the metadata sent, the response headers and trailers, the status and timing (serve: also log each request''s metadata)'
            cand --verbose 'Show on stderr the metadata sent, the response headers and trailers, the status and timing (serve: also log each request''s metadata)'
            cand -q 'No progress bar (serve: no line per call)'
            cand --quiet 'No progress bar (serve: no line per call)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'apicli;health'= {
            cand --addr 'Server address: host:port, http://host:port, https://host:port or unix:/path (for serve: where to listen) [default: 127.0.0.1:50051]'
            cand -H 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line'
            cand --header 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line'
            cand --timeout 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout'
            cand --connect-timeout 'How long connecting may take [default: 10s]'
            cand -o 'Output format [default: table]'
            cand --output 'Output format [default: table]'
            cand --max-message-size 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]'
            cand --token-file 'Send ''authorization: Bearer TOKEN'' with the token read from FILE; for serve: require it'
            cand --ca-cert 'Trust this CA certificate (PEM) besides the system roots, for https:// addresses'
            cand --cert 'Present this client certificate (PEM) for mutual TLS; needs --key'
            cand --key 'The private key (PEM) of --cert'
            cand --authority 'The :authority and TLS server name to use instead of the address''s host'
            cand --compress 'Compress requests with this encoding and accept responses compressed with it'
            cand --keepalive 'Send HTTP/2 keepalive pings this often (e.g. 30s); for serve [default: 60s]'
            cand --color 'When to use colour (NO_COLOR is honoured)'
            cand --insecure 'Do not verify the server''s TLS certificate (a warning says so every time)'
            cand -v 'Show on stderr the metadata sent, the response headers and trailers, the status and timing (serve: also log each request''s metadata)'
            cand --verbose 'Show on stderr the metadata sent, the response headers and trailers, the status and timing (serve: also log each request''s metadata)'
            cand -q 'No progress bar (serve: no line per call)'
            cand --quiet 'No progress bar (serve: no line per call)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'apicli;serve'= {
            cand --stream-interval 'Wait this long before each getStream item (e.g. 1s, 200ms)'
            cand --max-items 'The largest getAll length served; longer requests get INVALID_ARGUMENT'
            cand --tls-cert 'Serve TLS with this certificate chain (PEM); needs --tls-key'
            cand --tls-key 'The private key (PEM: PKCS#8, RSA or SEC1) of --tls-cert'
            cand --client-ca 'Require client certificates signed by this CA (PEM): mutual TLS'
            cand --tls-self-signed 'Make a CA and a localhost/127.0.0.1 certificate in DIR (or reuse them), and serve TLS'
            cand --log-format 'The log''s format on stderr'
            cand --grace 'After SIGINT/SIGTERM, how long calls in flight may finish before they are cancelled'
            cand --max-concurrent-streams 'The most concurrent calls (HTTP/2 streams) on one connection'
            cand --max-request-size 'The largest request message accepted (units optional: 64KiB)'
            cand --threads 'Threads serving calls, each with the connections it was given [default: one per core]'
            cand --addr 'Server address: host:port, http://host:port, https://host:port or unix:/path (for serve: where to listen) [default: 127.0.0.1:50051]'
            cand -H 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line'
            cand --header 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line'
            cand --timeout 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout'
            cand --connect-timeout 'How long connecting may take [default: 10s]'
            cand -o 'Output format [default: table]'
            cand --output 'Output format [default: table]'
            cand --max-message-size 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]'
            cand --token-file 'Send ''authorization: Bearer TOKEN'' with the token read from FILE; for serve: require it'
            cand --ca-cert 'Trust this CA certificate (PEM) besides the system roots, for https:// addresses'
            cand --cert 'Present this client certificate (PEM) for mutual TLS; needs --key'
            cand --key 'The private key (PEM) of --cert'
            cand --authority 'The :authority and TLS server name to use instead of the address''s host'
            cand --compress 'Compress requests with this encoding and accept responses compressed with it'
            cand --keepalive 'Send HTTP/2 keepalive pings this often (e.g. 30s); for serve [default: 60s]'
            cand --color 'When to use colour (NO_COLOR is honoured)'
            cand --no-reflection 'Do not serve gRPC reflection'
            cand --no-tcp-nodelay 'Do not set TCP_NODELAY on accepted connections'
            cand --insecure 'Do not verify the server''s TLS certificate (a warning says so every time)'
            cand -v 'Show on stderr the metadata sent, the response headers and trailers, the status and timing (serve: also log each request''s metadata)'
            cand --verbose 'Show on stderr the metadata sent, the response headers and trailers, the status and timing (serve: also log each request''s metadata)'
            cand -q 'No progress bar (serve: no line per call)'
            cand --quiet 'No progress bar (serve: no line per call)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'apicli;completions'= {
            cand --addr 'Server address: host:port, http://host:port, https://host:port or unix:/path (for serve: where to listen) [default: 127.0.0.1:50051]'
            cand -H 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line'
            cand --header 'Request metadata, ''name: value'' (repeatable; a name ending in -bin takes base64), or @FILE for one header per line'
            cand --timeout 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout'
            cand --connect-timeout 'How long connecting may take [default: 10s]'
            cand -o 'Output format [default: table]'
            cand --output 'Output format [default: table]'
            cand --max-message-size 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]'
            cand --token-file 'Send ''authorization: Bearer TOKEN'' with the token read from FILE; for serve: require it'
            cand --ca-cert 'Trust this CA certificate (PEM) besides the system roots, for https:// addresses'
            cand --cert 'Present this client certificate (PEM) for mutual TLS; needs --key'
            cand --key 'The private key (PEM) of --cert'
            cand --authority 'The :authority and TLS server name to use instead of the address''s host'
            cand --compress 'Compress requests with this encoding and accept responses compressed with it'
            cand --keepalive 'Send HTTP/2 keepalive pings this often (e.g. 30s); for serve [default: 60s]'
            cand --color 'When to use colour (NO_COLOR is honoured)'
            cand --insecure 'Do not verify the server''s TLS certificate (a warning says so every time)'
            cand -v 'Show on stderr the metadata sent, the response headers and trailers, the status and timing (serve: also log each request''s metadata)'
            cand --verbose 'Show on stderr the metadata sent, the response headers and trailers, the status and timing (serve: also log each request''s metadata)'
            cand -q 'No progress bar (serve: no line per call)'
            cand --quiet 'No progress bar (serve: no line per call)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'apicli;help'= {
            cand hello 'Call sayHello: greet NAME'
            cand get-all 'Call getAll: fetch LENGTH items in one response'
            cand stream 'Call getStream: receive LENGTH items, each printed as it arrives'
            cand health 'Check the server''s health like a Kubernetes probe: exit 0 only when SERVING'
            cand serve 'Serve api.Api (listens on 127.0.0.1:50051 unless --addr says otherwise)'
            cand completions 'Print a shell completion script to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'apicli;help;hello'= {
        }
        &'apicli;help;get-all'= {
        }
        &'apicli;help;stream'= {
        }
        &'apicli;help;health'= {
        }
        &'apicli;help;serve'= {
        }
        &'apicli;help;completions'= {
        }
        &'apicli;help;help'= {
        }
    ]
    $completions[$command]
}
