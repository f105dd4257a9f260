# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_apicli_global_optspecs
    string join \n addr= H/header= timeout= connect-timeout= o/output= max-message-size= v/verbose q/quiet color= h/help V/version
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

complete -c apicli -n "__fish_apicli_needs_command" -l addr -d 'Server address: host:port or http://host:port (for serve: where to listen) [default: http://127.0.0.1:50051]' -r
complete -c apicli -n "__fish_apicli_needs_command" -s H -l header -d 'Request metadata, \'name: value\' (repeatable); a name ending in -bin takes base64' -r
complete -c apicli -n "__fish_apicli_needs_command" -l timeout -d 'The call\'s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout' -r
complete -c apicli -n "__fish_apicli_needs_command" -l connect-timeout -d 'How long connecting may take [default: 10s]' -r
complete -c apicli -n "__fish_apicli_needs_command" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'Aligned columns for people'
json\t'The proto3 JSON mapping, one compact value per line'"
complete -c apicli -n "__fish_apicli_needs_command" -l max-message-size -d 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]' -r
complete -c apicli -n "__fish_apicli_needs_command" -l color -d 'When to use colour (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c apicli -n "__fish_apicli_needs_command" -s v -l verbose -d 'Show on stderr the metadata sent, the response headers and trailers, the status and timing'
complete -c apicli -n "__fish_apicli_needs_command" -s q -l quiet -d 'No progress bar'
complete -c apicli -n "__fish_apicli_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apicli -n "__fish_apicli_needs_command" -s V -l version -d 'Print version'
complete -c apicli -n "__fish_apicli_needs_command" -f -a "hello" -d 'Call sayHello: greet NAME'
complete -c apicli -n "__fish_apicli_needs_command" -f -a "get-all" -d 'Call getAll: fetch LENGTH items in one response'
complete -c apicli -n "__fish_apicli_needs_command" -f -a "stream" -d 'Call getStream: receive LENGTH items, each printed as it arrives'
complete -c apicli -n "__fish_apicli_needs_command" -f -a "serve" -d 'Serve api.Api (listens on 127.0.0.1:50051 unless --addr says otherwise)'
complete -c apicli -n "__fish_apicli_needs_command" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c apicli -n "__fish_apicli_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l addr -d 'Server address: host:port or http://host:port (for serve: where to listen) [default: http://127.0.0.1:50051]' -r
complete -c apicli -n "__fish_apicli_using_subcommand hello" -s H -l header -d 'Request metadata, \'name: value\' (repeatable); a name ending in -bin takes base64' -r
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l timeout -d 'The call\'s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout' -r
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l connect-timeout -d 'How long connecting may take [default: 10s]' -r
complete -c apicli -n "__fish_apicli_using_subcommand hello" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'Aligned columns for people'
json\t'The proto3 JSON mapping, one compact value per line'"
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l max-message-size -d 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]' -r
complete -c apicli -n "__fish_apicli_using_subcommand hello" -l color -d 'When to use colour (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c apicli -n "__fish_apicli_using_subcommand hello" -s v -l verbose -d 'Show on stderr the metadata sent, the response headers and trailers, the status and timing'
complete -c apicli -n "__fish_apicli_using_subcommand hello" -s q -l quiet -d 'No progress bar'
complete -c apicli -n "__fish_apicli_using_subcommand hello" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l length -d 'How many items to ask for (0 to 2147483647)' -r
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l addr -d 'Server address: host:port or http://host:port (for serve: where to listen) [default: http://127.0.0.1:50051]' -r
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -s H -l header -d 'Request metadata, \'name: value\' (repeatable); a name ending in -bin takes base64' -r
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l timeout -d 'The call\'s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout' -r
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l connect-timeout -d 'How long connecting may take [default: 10s]' -r
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'Aligned columns for people'
json\t'The proto3 JSON mapping, one compact value per line'"
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l max-message-size -d 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]' -r
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -l color -d 'When to use colour (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -s v -l verbose -d 'Show on stderr the metadata sent, the response headers and trailers, the status and timing'
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -s q -l quiet -d 'No progress bar'
complete -c apicli -n "__fish_apicli_using_subcommand get-all" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l length -d 'How many items to ask for (0 to 2147483647)' -r
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l addr -d 'Server address: host:port or http://host:port (for serve: where to listen) [default: http://127.0.0.1:50051]' -r
complete -c apicli -n "__fish_apicli_using_subcommand stream" -s H -l header -d 'Request metadata, \'name: value\' (repeatable); a name ending in -bin takes base64' -r
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l timeout -d 'The call\'s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout' -r
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l connect-timeout -d 'How long connecting may take [default: 10s]' -r
complete -c apicli -n "__fish_apicli_using_subcommand stream" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'Aligned columns for people'
json\t'The proto3 JSON mapping, one compact value per line'"
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l max-message-size -d 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]' -r
complete -c apicli -n "__fish_apicli_using_subcommand stream" -l color -d 'When to use colour (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c apicli -n "__fish_apicli_using_subcommand stream" -s v -l verbose -d 'Show on stderr the metadata sent, the response headers and trailers, the status and timing'
complete -c apicli -n "__fish_apicli_using_subcommand stream" -s q -l quiet -d 'No progress bar'
complete -c apicli -n "__fish_apicli_using_subcommand stream" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l stream-interval -d 'Wait this long before each getStream item (e.g. 1s, 200ms)' -r
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l max-items -d 'The largest getAll length served; longer requests get INVALID_ARGUMENT' -r
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l addr -d 'Server address: host:port or http://host:port (for serve: where to listen) [default: http://127.0.0.1:50051]' -r
complete -c apicli -n "__fish_apicli_using_subcommand serve" -s H -l header -d 'Request metadata, \'name: value\' (repeatable); a name ending in -bin takes base64' -r
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l timeout -d 'The call\'s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout' -r
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l connect-timeout -d 'How long connecting may take [default: 10s]' -r
complete -c apicli -n "__fish_apicli_using_subcommand serve" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'Aligned columns for people'
json\t'The proto3 JSON mapping, one compact value per line'"
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l max-message-size -d 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]' -r
complete -c apicli -n "__fish_apicli_using_subcommand serve" -l color -d 'When to use colour (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c apicli -n "__fish_apicli_using_subcommand serve" -s v -l verbose -d 'Show on stderr the metadata sent, the response headers and trailers, the status and timing'
complete -c apicli -n "__fish_apicli_using_subcommand serve" -s q -l quiet -d 'No progress bar'
complete -c apicli -n "__fish_apicli_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apicli -n "__fish_apicli_using_subcommand completions" -l addr -d 'Server address: host:port or http://host:port (for serve: where to listen) [default: http://127.0.0.1:50051]' -r
complete -c apicli -n "__fish_apicli_using_subcommand completions" -s H -l header -d 'Request metadata, \'name: value\' (repeatable); a name ending in -bin takes base64' -r
complete -c apicli -n "__fish_apicli_using_subcommand completions" -l timeout -d 'The call\'s deadline (e.g. 2s, 500ms, 1m30s), sent to the server as grpc-timeout' -r
complete -c apicli -n "__fish_apicli_using_subcommand completions" -l connect-timeout -d 'How long connecting may take [default: 10s]' -r
complete -c apicli -n "__fish_apicli_using_subcommand completions" -s o -l output -d 'Output format [default: table]' -r -f -a "table\t'Aligned columns for people'
json\t'The proto3 JSON mapping, one compact value per line'"
complete -c apicli -n "__fish_apicli_using_subcommand completions" -l max-message-size -d 'The largest response message accepted, in bytes (units optional: 64MiB) [default: 4MiB]' -r
complete -c apicli -n "__fish_apicli_using_subcommand completions" -l color -d 'When to use colour (NO_COLOR is honoured)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c apicli -n "__fish_apicli_using_subcommand completions" -s v -l verbose -d 'Show on stderr the metadata sent, the response headers and trailers, the status and timing'
complete -c apicli -n "__fish_apicli_using_subcommand completions" -s q -l quiet -d 'No progress bar'
complete -c apicli -n "__fish_apicli_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c apicli -n "__fish_apicli_using_subcommand help; and not __fish_seen_subcommand_from hello get-all stream serve completions help" -f -a "hello" -d 'Call sayHello: greet NAME'
complete -c apicli -n "__fish_apicli_using_subcommand help; and not __fish_seen_subcommand_from hello get-all stream serve completions help" -f -a "get-all" -d 'Call getAll: fetch LENGTH items in one response'
complete -c apicli -n "__fish_apicli_using_subcommand help; and not __fish_seen_subcommand_from hello get-all stream serve completions help" -f -a "stream" -d 'Call getStream: receive LENGTH items, each printed as it arrives'
complete -c apicli -n "__fish_apicli_using_subcommand help; and not __fish_seen_subcommand_from hello get-all stream serve completions help" -f -a "serve" -d 'Serve api.Api (listens on 127.0.0.1:50051 unless --addr says otherwise)'
complete -c apicli -n "__fish_apicli_using_subcommand help; and not __fish_seen_subcommand_from hello get-all stream serve completions help" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c apicli -n "__fish_apicli_using_subcommand help; and not __fish_seen_subcommand_from hello get-all stream serve completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
