"""README's shell and Python snippets, run as written against a live server, in README order,
so README cannot drift from what sqslite does.

The server runs with the seed projects of examples/sqslite.yaml (README's Lambda commands invoke
them; their mapping is turned off so that MessageProcessor does not take the messages README's
SDK snippets send and receive themselves) and with --queue-logs (README's queue-log commands).
`localhost:9324` in a snippet is pointed at the test server's port. Each block runs on its own
(`bash -e`, or python), with the AWS_* variables README exports and E set to the endpoint.

Not run, each for its reason: blocks that build or install (swift, scripts/, pip, venv, git,
docker: the suite's own setup and tests/interop/test_distribution.py cover them), and the line
`aws logs tail --follow` (it never returns; tests/interop/test_logs.py runs it with AWS CLI v2).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

README = REPO / "README.md"
NOT_RUN = ("swift run", "swift build", "scripts/", "pip install", "python3 -m venv", "git clone", "docker ")
SKIPPED_LINE = re.compile(r"^aws logs tail .*--follow")


def snippets() -> list[tuple[int, str, str]]:
    """(line, language, text) of each ```sh and ```python block."""
    found = []
    lines = README.read_text().splitlines()
    index = 0
    while index < len(lines):
        match = re.match(r"^```(sh|python)\s*$", lines[index])
        if match:
            start = index + 1
            end = start
            while not lines[end].startswith("```"):
                end += 1
            found.append((start, match.group(1), "\n".join(lines[start:end]) + "\n"))
            index = end
        index += 1
    return found


def runnable(text: str) -> bool:
    return not any(marker in text for marker in NOT_RUN)


@pytest.fixture(scope="module")
def readme_server(tmp_path_factory):
    from conftest import SqsliteServer

    base = tmp_path_factory.mktemp("readme")
    config = base / "sqslite.yaml"
    text = (REPO / "examples" / "sqslite.yaml").read_text()
    text = text.replace("enabled: true", "enabled: false")
    text = re.sub(r"workingDirectory: (\S+)", lambda m: f"workingDirectory: {REPO / 'examples' / m.group(1)}", text)
    config.write_text(text)
    server = SqsliteServer(base / "data", base / "logs", config=config,
                           extra_args=("--host", "localhost", "--queue-logs", "--deleted-queue-cooldown", "0"))
    server.start()
    yield server
    server.kill()


def test_readme_has_snippets_to_run():
    assert sum(1 for _, _, text in snippets() if runnable(text)) >= 10


def test_every_readme_snippet_runs_as_written(readme_server, tmp_path):
    port = readme_server.port
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1",
        "E": f"http://localhost:{port}",
    }
    ran = 0
    for line, language, text in snippets():
        if not runnable(text):
            continue
        text = text.replace("localhost:9324", f"localhost:{port}")
        if language == "sh":
            text = "\n".join(l for l in text.splitlines() if not SKIPPED_LINE.match(l)) + "\n"
            command = ["bash", "-e", "-o", "pipefail", "-c", text]
        else:
            command = [sys.executable, "-c", text]
        result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, (
            f"README.md line {line} ({language}) failed with exit {result.returncode}:\n{text}\n"
            f"--- stdout\n{result.stdout[-2000:]}\n--- stderr\n{result.stderr[-2000:]}")
        ran += 1
    assert ran >= 10
