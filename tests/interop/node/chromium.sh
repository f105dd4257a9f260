#!/usr/bin/env bash
# Finds Debian's chromium for the browser interop test, installing the `chromium` package with
# apt-get when it is missing. Prints `chromium: PATH`.
# Exits 3 with `chromium unavailable: REASON` on stderr when it cannot be had because apt-get is
# not there (or cannot be used, not being root): the test then says so and skips. Any other
# failure exits 1 with `interop setup failed: …`, and the test fails.
# Usage: tests/interop/node/chromium.sh
set -euo pipefail

fail() {
    echo "interop setup failed: $*" >&2
    exit 1
}
unavailable() {
    echo "chromium unavailable: $*" >&2
    exit 3
}

find_chromium() {
    local candidate
    for candidate in chromium chromium-browser; do
        command -v "$candidate" && return 0
    done
    return 1
}

if ! chromium=$(find_chromium); then
    command -v apt-get >/dev/null \
        || unavailable "chromium is not installed, and there is no apt-get to install it with"
    [[ $(id -u) == 0 ]] \
        || unavailable "chromium is not installed, and apt-get needs root (run: apt-get install chromium)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 || fail "apt-get update"
    apt-get install -y -qq --no-install-recommends chromium >&2 \
        || fail "apt-get install chromium"
    chromium=$(find_chromium) || fail "the chromium package is installed, but no chromium command"
fi
"$chromium" --version >/dev/null 2>&1 || fail "$chromium --version does not run"
echo "chromium: $chromium"
