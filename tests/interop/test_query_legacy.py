"""The Query protocol driven by boto3/botocore from before SQS's JSON switch.

botocore 1.31 speaks Query to SQS. It lives in its own virtualenv (``.venv-legacy``, made by
scripts/test.sh) so the suite's current boto3 is untouched; legacy_query_client.py runs the core
cases under that interpreter against the session server.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
LEGACY_PYTHON = HERE.parents[1] / ".venv-legacy" / "bin" / "python"


def test_legacy_boto3_core_cases(server):
    if not LEGACY_PYTHON.is_file():
        pytest.skip(f"no legacy virtualenv at {LEGACY_PYTHON} (scripts/test.sh creates it)")
    run = subprocess.run(
        [str(LEGACY_PYTHON), str(HERE / "legacy_query_client.py"), server.endpoint], capture_output=True, text=True, timeout=120
    )
    print(run.stdout)
    assert run.returncode == 0, f"{run.stdout}\n{run.stderr}"
    assert "ok botocore 1.31" in run.stdout
    assert "all cases passed" in run.stdout
