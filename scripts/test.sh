#!/usr/bin/env bash
# The whole test suite: Swift unit tests, then the interop suite that drives the real binary
# with boto3 and the AWS CLI (installed into .venv on first run), and with botocore 1.31, a
# Query-protocol client from before SQS's JSON switch (in its own .venv-legacy).
set -euo pipefail
cd "$(dirname "$0")/.."

swift build
swift test

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check -r tests/interop/requirements.txt

if [ ! -x .venv-legacy/bin/python ]; then
    python3 -m venv .venv-legacy
fi
.venv-legacy/bin/pip install --quiet --disable-pip-version-check -r tests/interop/requirements-legacy.txt

export PATH="$PWD/.venv/bin:$PATH"
export SQSLITE_BIN="$PWD/.build/debug/sqslite"
.venv/bin/python -m pytest tests/interop "$@"
