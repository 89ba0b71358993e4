#!/usr/bin/env bash
# The whole test suite: Swift unit tests, then the interop suite that drives the real binary
# with boto3 and the AWS CLI (installed into .venv on first run).
set -euo pipefail
cd "$(dirname "$0")/.."

swift build
swift test

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check -r tests/interop/requirements.txt

export PATH="$PWD/.venv/bin:$PATH"
export SQSLITE_BIN="$PWD/.build/debug/sqslite"
.venv/bin/python -m pytest tests/interop "$@"
