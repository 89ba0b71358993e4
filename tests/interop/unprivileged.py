"""Running sqslite as an unprivileged user, the way the Docker image and most developers do.

When the tests run as root (CI), the server is started as ``nobody`` (uid/gid 65534) through
``setpriv --reuid=65534 --regid=65534 --clear-groups``; otherwise as the current user, which is
unprivileged already. Root bypasses file permissions and may set socket options normal users
cannot (SO_DEBUG), so a suite that only runs as root hides whole classes of bugs.

CI clones the repository into a root-owned folder (often under ``/root``, mode 0700), which
``nobody`` cannot even traverse; and pytest's ``tmp_path`` lives under ``/tmp/pytest-of-root``
(0700) too. So ``Sandbox`` makes a world-traversable folder under the system temp dir and copies
in the binary and whatever else the server process must read; its data dirs are chowned to the
server user.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import SqsliteServer, sqslite_bin

NOBODY = 65534


def is_root() -> bool:
    return os.geteuid() == 0


def server_uid() -> int:
    """The uid the server process runs as in these tests."""
    return NOBODY if is_root() else os.geteuid()


def privilege_prefix() -> list[str]:
    """The command prefix that drops to the unprivileged user (empty when already unprivileged)."""
    if not is_root():
        return []
    setpriv = shutil.which("setpriv")
    if not setpriv:
        pytest.fail("running as root but `setpriv` (util-linux) is missing; .ci/run installs it", pytrace=False)
    return [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


def system_python() -> str:
    """A Python interpreter the unprivileged user can execute (not a venv inside a 0700 folder)."""
    for candidate in ("/usr/bin/python3", "/usr/local/bin/python3"):
        if os.access(candidate, os.X_OK):
            return candidate
    return os.path.realpath(sys.executable)


class Sandbox:
    """A world-readable temp folder holding a copy of the binary, config and function code."""

    def __init__(self, prefix: str = "sqslite-unpriv-") -> None:
        self.root = Path(tempfile.mkdtemp(prefix=prefix))
        self.root.chmod(0o755)
        self.bin = self.root / "bin" / "sqslite"
        self.bin.parent.mkdir(mode=0o755)
        shutil.copy2(sqslite_bin(), self.bin)
        self.bin.chmod(0o755)
        self.lib_dir = self._copy_unreachable_libraries()

    def _copy_unreachable_libraries(self) -> Path | None:
        """Shared libraries of the binary the server user cannot read (a Swift toolchain installed
        under /root, say) are copied next to it; ``env_prefix`` points LD_LIBRARY_PATH there."""
        if not is_root():
            return None
        try:
            ldd = subprocess.run(["ldd", str(self.bin)], capture_output=True, text=True, timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            return None
        lib_dir = self.root / "lib"
        copied = False
        for line in ldd.splitlines():
            _, arrow, rest = line.partition("=>")
            path = Path(rest.split("(")[0].strip()) if arrow else None
            if path and path.is_absolute() and path.exists() and not world_readable(path):
                lib_dir.mkdir(mode=0o755, exist_ok=True)
                target = lib_dir / path.name
                shutil.copy2(path.resolve(), target)
                target.chmod(0o755)
                copied = True
        return lib_dir if copied else None

    def env_prefix(self) -> list[str]:
        return ["env", f"LD_LIBRARY_PATH={self.lib_dir}"] if self.lib_dir else []

    def write(self, relative: str, text: str, mode: int = 0o644) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(self.root).parents:
            (self.root / parent).chmod(0o755)
        path.write_text(text)
        path.chmod(mode)
        return path

    def owned_dir(self, relative: str, mode: int = 0o755) -> Path:
        """A folder owned by the server user (the data dir, or a folder a function writes into)."""
        path = self.root / relative
        path.mkdir(parents=True, exist_ok=True)
        path.chmod(mode)
        if is_root():
            os.chown(path, NOBODY, NOBODY)
        return path

    def cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def world_readable(path: Path) -> bool:
    """Whether any user can read `path` (every folder above it searchable, the file readable)."""
    path = path.resolve()
    if not path.stat().st_mode & stat.S_IROTH:
        return False
    return all(parent.stat().st_mode & stat.S_IXOTH for parent in path.parents)


class UnprivilegedServer(SqsliteServer):
    """A ``SqsliteServer`` started from the sandbox's copy of the binary as the unprivileged user."""

    def __init__(self, sandbox: Sandbox, data_dir: Path, log_dir: Path, config: Path | None = None,
                 extra_args: tuple[str, ...] = (), host: str = "127.0.0.1") -> None:
        super().__init__(data_dir, log_dir, config=config, extra_args=extra_args)
        self.sandbox = sandbox
        self.host = host

    def user_note(self) -> str:
        return f" (uid {server_uid()})"

    def command(self, port: int) -> list[str]:
        cmd = super().command(port)
        cmd[0] = str(self.sandbox.bin)
        if self.host != "127.0.0.1":
            cmd[cmd.index("--host") + 1] = self.host
        return privilege_prefix() + self.sandbox.env_prefix() + cmd


# A Lambda custom runtime in plain Python (standard library only, so the unprivileged user can run
# it with the system interpreter). It answers every event with the event, its uid and its name.
# With RUNTIME_API_FILE set it first writes its AWS_LAMBDA_RUNTIME_API there (the fuzzer uses it).
STDLIB_RUNTIME = r'''
import json, os, sys, urllib.request

api = os.environ["AWS_LAMBDA_RUNTIME_API"]
marker = os.environ.get("RUNTIME_API_FILE")
if marker:
    with open(marker + ".tmp", "w") as f:
        f.write(api)
    os.replace(marker + ".tmp", marker)
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
base = "http://%s/2018-06-01/runtime" % api
while True:
    with opener.open(base + "/invocation/next", timeout=None) as r:
        request_id = r.headers["Lambda-Runtime-Aws-Request-Id"]
        raw = r.read()
    try:
        event = json.loads(raw or b"null")
    except ValueError:
        event = raw.decode("utf-8", "replace")
    print("got event", request_id, flush=True)
    result = {"echo": event, "uid": os.getuid(), "function": os.environ.get("AWS_LAMBDA_FUNCTION_NAME")}
    answer = urllib.request.Request(base + "/invocation/%s/response" % request_id,
                                    data=json.dumps(result).encode(), method="POST")
    opener.open(answer, timeout=30).read()
'''


def function_config(sandbox: Sandbox, name: str = "Echo", runtime_api_file: Path | None = None,
                    extra_yaml: str = "") -> Path:
    """A config file with one process function running ``STDLIB_RUNTIME`` (paths inside the sandbox)."""
    sandbox.write(f"functions/{name}/bootstrap.py", STDLIB_RUNTIME)
    env = f"{{RUNTIME_API_FILE: \"{runtime_api_file}\"}}" if runtime_api_file else "{}"
    return sandbox.write(
        f"config/{name}.yaml",
        f"""queues:
  - name: {name}Queue
functions:
  - name: {name}
    command: ["{system_python()}", "-u", "bootstrap.py"]
    workingDirectory: {sandbox.root / 'functions' / name}
    handler: bootstrap.handler
    environment: {env}
    timeout: 10
{extra_yaml}""",
    )


def lambda_client(endpoint: str, read_timeout: float = 30):
    import boto3
    from botocore.config import Config

    return boto3.client(
        "lambda",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"total_max_attempts": 1}, read_timeout=read_timeout, connect_timeout=5),
    )


def readable_mode(path: Path) -> str:
    return stat.filemode(path.stat().st_mode)
