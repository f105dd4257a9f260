#!/usr/bin/env bash
# Installs the validators of deploy/kubernetes/ into target/deploy/ (git-ignored), idempotently:
#   - kubernetes-validate, from PyPI, in a venv: the Kubernetes API's JSON schemas of each release
#     from 1.25 on, which with --strict refuse an unknown field (`backofLimit`) and a wrong type;
#   - kubernetes-models and yaml, from npm, pinned by package.json and package-lock.json beside
#     this file, with validate.mjs: the same API's schemas with their enums, which refuse a value
#     that is not one of them (`completionMode: Indexd`).
# Neither is enough alone: kubernetes-validate's schemas have no enums, and kubernetes-models lets
# unknown fields through. (kubectl checks neither offline: a client dry run needs a server.)
# Prints `kubernetes_validate: PATH` and `models_validator: PATH`; exits non-zero with
# `deploy setup failed: …` when an install fails.
# Usage: tests/deploy/setup.sh   (from anywhere; paths are relative to the repository root)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
src=tests/deploy
root=target/deploy
venv=$root/venv
node_dir=$root/node
requirements="kubernetes-validate==1.37.0"

fail() {
    echo "deploy setup failed: $*" >&2
    exit 1
}
trap 'fail "line $LINENO: $BASH_COMMAND"' ERR
# shellcheck source=../lib/venv.sh
source tests/lib/venv.sh

mkdir -p "$root" || fail "cannot create $root"

# --- kubernetes-validate -----------------------------------------------------------------------
ensure_venv "$venv" "$requirements"
kubernetes_validate=$venv/bin/kubernetes-validate
[[ -x $kubernetes_validate ]] || fail "kubernetes-validate installed, but $kubernetes_validate is missing"
"$kubernetes_validate" --version >/dev/null 2>&1 || fail "$kubernetes_validate does not run"

# --- kubernetes-models -------------------------------------------------------------------------
# Reinstalled whenever the committed lock file changes.
command -v node >/dev/null || fail "node not found (needed for kubernetes-models)"
command -v npm >/dev/null || fail "npm not found (needed for kubernetes-models)"
mkdir -p "$node_dir"
if ! cmp -s "$src/package-lock.json" "$node_dir/.installed-lock.json"; then
    cp "$src/package.json" "$src/package-lock.json" "$node_dir/"
    (cd "$node_dir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2) \
        || fail "npm ci in $node_dir"
    cp "$src/package-lock.json" "$node_dir/.installed-lock.json"
fi
# Beside node_modules, so that its imports resolve there.
cp "$src/validate.mjs" "$node_dir/"
node "$node_dir/validate.mjs" >/dev/null || fail "$node_dir/validate.mjs does not run"

echo "kubernetes_validate: $kubernetes_validate"
echo "models_validator: $node_dir/validate.mjs"
