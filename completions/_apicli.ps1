
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
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'Server address: host:port or http://host:port (for serve: where to listen) [default: http://127.0.0.1:50051]')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable); a name ending in -bin takes base64')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable); a name ending in -bin takes base64')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long connecting may take [default: 10s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--max-message-size', '--max-message-size', [CompletionResultType]::ParameterName, 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured)')
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
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve api.Api (listens on 127.0.0.1:50051 unless --addr says otherwise)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'apicli;hello' {
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'Server address: host:port or http://host:port (for serve: where to listen) [default: http://127.0.0.1:50051]')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable); a name ending in -bin takes base64')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable); a name ending in -bin takes base64')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long connecting may take [default: 10s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--max-message-size', '--max-message-size', [CompletionResultType]::ParameterName, 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured)')
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
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'Server address: host:port or http://host:port (for serve: where to listen) [default: http://127.0.0.1:50051]')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable); a name ending in -bin takes base64')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable); a name ending in -bin takes base64')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long connecting may take [default: 10s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--max-message-size', '--max-message-size', [CompletionResultType]::ParameterName, 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured)')
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
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'Server address: host:port or http://host:port (for serve: where to listen) [default: http://127.0.0.1:50051]')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable); a name ending in -bin takes base64')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable); a name ending in -bin takes base64')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long connecting may take [default: 10s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--max-message-size', '--max-message-size', [CompletionResultType]::ParameterName, 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show on stderr the metadata sent, the response headers and trailers, the status and timing')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show on stderr the metadata sent, the response headers and trailers, the status and timing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'apicli;serve' {
            [CompletionResult]::new('--stream-interval', '--stream-interval', [CompletionResultType]::ParameterName, 'Wait this long before each getStream item (e.g. 1s, 200ms)')
            [CompletionResult]::new('--max-items', '--max-items', [CompletionResultType]::ParameterName, 'The largest getAll length served; longer requests get INVALID_ARGUMENT')
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'Server address: host:port or http://host:port (for serve: where to listen) [default: http://127.0.0.1:50051]')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable); a name ending in -bin takes base64')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable); a name ending in -bin takes base64')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long connecting may take [default: 10s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--max-message-size', '--max-message-size', [CompletionResultType]::ParameterName, 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show on stderr the metadata sent, the response headers and trailers, the status and timing')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show on stderr the metadata sent, the response headers and trailers, the status and timing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'apicli;completions' {
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'Server address: host:port or http://host:port (for serve: where to listen) [default: http://127.0.0.1:50051]')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable); a name ending in -bin takes base64')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Request metadata, ''name: value'' (repeatable); a name ending in -bin takes base64')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'The call''s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long connecting may take [default: 10s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--max-message-size', '--max-message-size', [CompletionResultType]::ParameterName, 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is honoured)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show on stderr the metadata sent, the response headers and trailers, the status and timing')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show on stderr the metadata sent, the response headers and trailers, the status and timing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'No progress bar')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'apicli;help' {
            [CompletionResult]::new('hello', 'hello', [CompletionResultType]::ParameterValue, 'Call sayHello: greet NAME')
            [CompletionResult]::new('get-all', 'get-all', [CompletionResultType]::ParameterValue, 'Call getAll: fetch LENGTH items in one response')
            [CompletionResult]::new('stream', 'stream', [CompletionResultType]::ParameterValue, 'Call getStream: receive LENGTH items, each printed as it arrives')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve api.Api (listens on 127.0.0.1:50051 unless --addr says otherwise)')
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
