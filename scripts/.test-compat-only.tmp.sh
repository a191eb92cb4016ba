#!/usr/bin/env bash
# The whole test suite: the Rust suites, then the compatibility suites against the built
# `monban` binary (Python: boto3, the AWS CLI, pycognito; Node: amazon-cognito-identity-js),
# on SQLite, and on PostgreSQL too when MONBAN_TEST_DATABASE_URL is set. Exits non-zero if
# anything failed.
set -euo pipefail

cd "$(dirname "$0")/.."
repo_root=$(pwd)

failures=()
step() { printf '\n==> %s\n' "$*"; }


# The binary the Python suite starts: wherever cargo put it (CARGO_TARGET_DIR, config...).
if [[ -z "${MONBAN_BIN:-}" ]]; then
    target_dir=$(cargo metadata --format-version 1 --no-deps \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
    export MONBAN_BIN="$target_dir/debug/monban"
fi

venv="$repo_root/compat/python/.venv"
step "Python environment in compat/python/.venv"
if ! "$venv/bin/python" -c 'import sys' 2>/dev/null; then
    rm -rf "$venv"
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r compat/python/requirements.txt

run_pytest() {
    local label=$1
    shift
    step "pytest compat/python on $label"
    if ! "$@" "$venv/bin/python" -m pytest compat/python; then
        failures+=("pytest ($label)")
    fi
}

run_pytest SQLite env -u MONBAN_TEST_DATABASE_URL
if [[ -n "${MONBAN_TEST_DATABASE_URL:-}" ]]; then
    run_pytest PostgreSQL env
fi

node_dir="$repo_root/compat/node"
step "Node environment in compat/node (npm ci)"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "node and npm are needed for the Node compatibility suite" >&2
    failures+=("node suite (node/npm missing)")
elif ! (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error); then
    failures+=("npm ci")
else
    run_node() {
        local label=$1
        shift
        step "node --test compat/node on $label"
        if ! (cd "$node_dir" && "$@" node --test); then
            failures+=("node --test ($label)")
        fi
    }
    run_node SQLite env -u MONBAN_TEST_DATABASE_URL
    if [[ -n "${MONBAN_TEST_DATABASE_URL:-}" ]]; then
        run_node PostgreSQL env
    fi
fi

echo
if ((${#failures[@]})); then
    echo "scripts/test: FAILED: ${failures[*]}"
    exit 1
fi
echo "scripts/test: all suites passed"
