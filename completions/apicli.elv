
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
            cand --addr 'Server address: host:port or http://host:port (for serve: where to listen) [default: http://127.0.0.1:50051]'
            cand -H 'Request metadata, ''name: value'' (repeatable); a name ending in -bin takes base64'
            cand --header 'Request metadata, ''name: value'' (repeatable); a name ending in -bin takes base64'
            cand --timeout 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout'
            cand --connect-timeout 'How long connecting may take [default: 10s]'
            cand -o 'Output format [default: table]'
            cand --output 'Output format [default: table]'
            cand --max-message-size 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]'
            cand --color 'When to use colour (NO_COLOR is honoured)'
            cand -v 'Show on stderr the metadata sent, the response headers and trailers, the status and timing'
            cand --verbose 'Show on stderr the metadata sent, the response headers and trailers, the status and timing'
            cand -q 'No progress bar'
            cand --quiet 'No progress bar'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand hello 'Call sayHello: greet NAME'
            cand get-all 'Call getAll: fetch LENGTH items in one response'
            cand stream 'Call getStream: receive LENGTH items, each printed as it arrives'
            cand serve 'Serve api.Api (listens on 127.0.0.1:50051 unless --addr says otherwise)'
            cand completions 'Print a shell completion script to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'apicli;hello'= {
            cand --addr 'Server address: host:port or http://host:port (for serve: where to listen) [default: http://127.0.0.1:50051]'
            cand -H 'Request metadata, ''name: value'' (repeatable); a name ending in -bin takes base64'
            cand --header 'Request metadata, ''name: value'' (repeatable); a name ending in -bin takes base64'
            cand --timeout 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout'
            cand --connect-timeout 'How long connecting may take [default: 10s]'
            cand -o 'Output format [default: table]'
            cand --output 'Output format [default: table]'
            cand --max-message-size 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]'
            cand --color 'When to use colour (NO_COLOR is honoured)'
            cand -v 'Show on stderr the metadata sent, the response headers and trailers, the status and timing'
            cand --verbose 'Show on stderr the metadata sent, the response headers and trailers, the status and timing'
            cand -q 'No progress bar'
            cand --quiet 'No progress bar'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'apicli;get-all'= {
            cand --length 'How many items to ask for (0 to 2147483647)'
            cand --addr 'Server address: host:port or http://host:port (for serve: where to listen) [default: http://127.0.0.1:50051]'
            cand -H 'Request metadata, ''name: value'' (repeatable); a name ending in -bin takes base64'
            cand --header 'Request metadata, ''name: value'' (repeatable); a name ending in -bin takes base64'
            cand --timeout 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout'
            cand --connect-timeout 'How long connecting may take [default: 10s]'
            cand -o 'Output format [default: table]'
            cand --output 'Output format [default: table]'
            cand --max-message-size 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]'
            cand --color 'When to use colour (NO_COLOR is honoured)'
            cand -v 'Show on stderr the metadata sent, the response headers and trailers, the status and timing'
            cand --verbose 'Show on stderr the metadata sent, the response headers and trailers, the status and timing'
            cand -q 'No progress bar'
            cand --quiet 'No progress bar'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'apicli;stream'= {
            cand --length 'How many items to ask for (0 to 2147483647)'
            cand --addr 'Server address: host:port or http://host:port (for serve: where to listen) [default: http://127.0.0.1:50051]'
            cand -H 'Request metadata, ''name: value'' (repeatable); a name ending in -bin takes base64'
            cand --header 'Request metadata, ''name: value'' (repeatable); a name ending in -bin takes base64'
            cand --timeout 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout'
            cand --connect-timeout 'How long connecting may take [default: 10s]'
            cand -o 'Output format [default: table]'
            cand --output 'Output format [default: table]'
            cand --max-message-size 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]'
            cand --color 'When to use colour (NO_COLOR is honoured)'
            cand -v 'Show on stderr the metadata sent, the response headers and trailers, the status and timing'
            cand --verbose 'Show on stderr the metadata sent, the response headers and trailers, the status and timing'
            cand -q 'No progress bar'
            cand --quiet 'No progress bar'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'apicli;serve'= {
            cand --stream-interval 'Wait this long before each getStream item (e.g. 1s, 200ms)'
            cand --max-items 'The largest getAll length served; longer requests get INVALID_ARGUMENT'
            cand --addr 'Server address: host:port or http://host:port (for serve: where to listen) [default: http://127.0.0.1:50051]'
            cand -H 'Request metadata, ''name: value'' (repeatable); a name ending in -bin takes base64'
            cand --header 'Request metadata, ''name: value'' (repeatable); a name ending in -bin takes base64'
            cand --timeout 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout'
            cand --connect-timeout 'How long connecting may take [default: 10s]'
            cand -o 'Output format [default: table]'
            cand --output 'Output format [default: table]'
            cand --max-message-size 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]'
            cand --color 'When to use colour (NO_COLOR is honoured)'
            cand -v 'Show on stderr the metadata sent, the response headers and trailers, the status and timing'
            cand --verbose 'Show on stderr the metadata sent, the response headers and trailers, the status and timing'
            cand -q 'No progress bar'
            cand --quiet 'No progress bar'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'apicli;completions'= {
            cand --addr 'Server address: host:port or http://host:port (for serve: where to listen) [default: http://127.0.0.1:50051]'
            cand -H 'Request metadata, ''name: value'' (repeatable); a name ending in -bin takes base64'
            cand --header 'Request metadata, ''name: value'' (repeatable); a name ending in -bin takes base64'
            cand --timeout 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout'
            cand --connect-timeout 'How long connecting may take [default: 10s]'
            cand -o 'Output format [default: table]'
            cand --output 'Output format [default: table]'
            cand --max-message-size 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]'
            cand --color 'When to use colour (NO_COLOR is honoured)'
            cand -v 'Show on stderr the metadata sent, the response headers and trailers, the status and timing'
            cand --verbose 'Show on stderr the metadata sent, the response headers and trailers, the status and timing'
            cand -q 'No progress bar'
            cand --quiet 'No progress bar'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'apicli;help'= {
            cand hello 'Call sayHello: greet NAME'
            cand get-all 'Call getAll: fetch LENGTH items in one response'
            cand stream 'Call getStream: receive LENGTH items, each printed as it arrives'
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
        &'apicli;help;serve'= {
        }
        &'apicli;help;completions'= {
        }
        &'apicli;help;help'= {
        }
    ]
    $completions[$command]
}
