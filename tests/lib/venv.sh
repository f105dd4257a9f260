# Shared by the test set-up scripts (sourced, not run): a Python venv with a list of packages,
# made or remade only when the list changed. The caller defines `fail MESSAGE`.

# ensure_venv VENV "REQUIREMENT …": VENV holds exactly these requirements afterwards; its
# Python is VENV/bin/python.
ensure_venv() {
    local venv=$1 requirements=$2
    local python=$venv/bin/python stamp=$venv/.requirements
    if [[ -x $python && -f $stamp && "$(cat "$stamp")" == "$requirements" ]]; then
        return 0
    fi
    command -v python3 >/dev/null || fail "python3 not found"
    python3 -m venv "$venv" || fail "python3 -m venv $venv (is the venv module installed?)"
    # shellcheck disable=SC2086 # the list is meant to split into words
    "$python" -m pip install --quiet --disable-pip-version-check $requirements \
        || fail "pip install $requirements"
    echo "$requirements" >"$stamp"
}
