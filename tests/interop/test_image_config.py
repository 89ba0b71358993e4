"""The Docker image's runtime configuration, checked without a Docker engine.

The Dockerfile's final stage is read (USER, ENV, HEALTHCHECK, ENTRYPOINT/CMD) and the binary is
run the way the image runs it: as the image's uid (through setpriv when the suite runs as root),
with the image's environment (SQSLITE_HOST=0.0.0.0, SQSLITE_ALLOWED_HOSTS, …), a /data-like
folder owned by that user, and the image's HEALTHCHECK command run by ``sh -c``.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests

from conftest import REPO, free_port
from unprivileged import Sandbox, is_root

DOCKERFILE = REPO / "Dockerfile"


def logical_instructions() -> list[str]:
    """The Dockerfile as logical instructions (continuation lines joined, comments dropped)."""
    text = DOCKERFILE.read_text()
    logical, current = [], ""
    for line in text.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        current += line.rstrip("\\").rstrip() + " " if line.rstrip().endswith("\\") else line
        if not line.rstrip().endswith("\\"):
            logical.append(current.strip())
            current = ""
    return logical


def stages() -> dict[str, list[str]]:
    """Each stage's instructions by name (the last, unnamed one as ""), with a stage built FROM
    another stage inheriting that stage's instructions first."""
    named: dict[str, list[str]] = {}
    current: list[str] = []
    name = ""
    for ins in logical_instructions():
        if ins.upper().startswith("FROM "):
            words = ins.split()
            base = words[1]
            name = words[3] if len(words) >= 4 and words[2].upper() == "AS" else ""
            current = list(named.get(base, [])) + [ins]
            named[name] = current
        else:
            current.append(ins)
    return named


def final_stage() -> list[str]:
    """The image `docker build .` makes: the Dockerfile's last stage (with what it inherits)."""
    return stages()[""]


def instruction(stage: list[str], name: str) -> list[str]:
    return [ins[len(name) + 1:].strip() for ins in stage if ins.upper().startswith(name + " ")]


def image_env(stage: list[str]) -> dict[str, str]:
    env = {}
    for args in instruction(stage, "ENV"):
        for token in shlex.split(args):
            key, sep, value = token.partition("=")
            assert sep, f"ENV without '=': {args}"
            env[key] = value
    return env


def image_user(stage: list[str]) -> tuple[int, int]:
    users = instruction(stage, "USER")
    assert users, "the image has no USER: it would run as root"
    user, _, group = users[-1].partition(":")
    assert user.isdigit(), f"USER {users[-1]}: use a numeric uid so runAsNonRoot policies can verify it"
    uid = int(user)
    assert uid != 0, "the image runs as root"
    return uid, int(group or uid)


def test_dockerfile_static_properties():
    text = DOCKERFILE.read_text()
    stage = final_stage()
    uid, gid = image_user(stage)
    env = image_env(stage)
    assert env.get("SQSLITE_HOST") == "0.0.0.0"
    assert env.get("SQSLITE_DATA_DIR") == "/data"
    assert "sqslite" in env.get("SQSLITE_ALLOWED_HOSTS", "").split(",")
    assert any(re.search(rf"chown .*{uid}(:{gid})?\s+/data|chown .*sqslite(:sqslite)?\s+/data", ins) for ins in instruction(stage, "RUN")), \
        "/data is not chowned to the image's user"
    assert instruction(stage, "VOLUME") == ["/data"]
    health = instruction(stage, "HEALTHCHECK")
    assert health and "${SQSLITE_PORT" in health[0] and "CMD [" not in health[0], \
        "the HEALTHCHECK must be in shell form and follow SQSLITE_PORT"
    assert "strip" in text or "-Xlinker -s" in text, "the binary is not stripped"
    # Dependency layer before the sources: Package.swift, resolve, then Sources.
    package, resolve, sources = text.find("COPY Package.swift"), text.find("swift package resolve"), text.find("COPY Sources")
    assert 0 <= package < resolve < sources, "dependencies are not resolved in a layer before the sources are copied"


@pytest.fixture
def image_like(tmp_path):
    """The binary run as the image runs it; yields (endpoint, port, env, data dir, process)."""
    stage = final_stage()
    uid, gid = image_user(stage)
    env_image = image_env(stage)
    box = Sandbox(prefix="sqslite-image-")
    data = box.root / "data"
    data.mkdir(mode=0o755)
    if is_root():
        os.chown(data, uid, gid)
        prefix = [shutil.which("setpriv") or "setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups"]
    else:
        prefix = []
    port = free_port()
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", **env_image, "SQSLITE_DATA_DIR": str(data), "SQSLITE_PORT": str(port)}
    if box.lib_dir:  # a toolchain the image's user cannot read (the image links the runtime statically)
        env["LD_LIBRARY_PATH"] = str(box.lib_dir)
    cmd = prefix + [str(box.bin), "serve"]
    err = open(tmp_path / "stderr", "wb")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 30
    resets_since = None
    try:
        while True:
            assert proc.poll() is None, f"exited {proc.returncode}: {(tmp_path / 'stderr').read_text()[-2000:]}"
            try:
                if requests.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError as e:
                if "reset" in repr(e).lower():
                    resets_since = resets_since or time.monotonic()
                    assert time.monotonic() - resets_since < 3, f"run as uid {uid}, every connection is reset: {e!r}"
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, f"not healthy: {(tmp_path / 'stderr').read_text()[-2000:]}"
            time.sleep(0.05)
    except BaseException:
        proc.kill()
        proc.wait()
        box.cleanup()
        raise
    yield {"port": port, "env": env, "data": data, "uid": uid, "proc": proc, "stage": stage}
    proc.kill()
    proc.wait()
    err.close()
    box.cleanup()


def listening_addresses(port: int) -> set[str]:
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            addr, _, hexport = local.partition(":")
            if state == "0A" and int(hexport, 16) == port:
                found.add(addr)
    return found


def test_binary_runs_as_the_image_does(image_like):
    port, env, data, uid = image_like["port"], image_like["env"], image_like["data"], image_like["uid"]

    # Bound to every interface (0.0.0.0 or ::), not only loopback.
    addrs = listening_addresses(port)
    assert addrs & {"00000000", "00000000000000000000000000000000"}, f"not listening on all interfaces: {addrs}"

    # The database lives in the data dir and belongs to the image's user.
    deadline = time.monotonic() + 5
    while not (data / "sqslite.db").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (data / "sqslite.db").stat().st_uid == (uid if is_root() else os.geteuid())

    # The HEALTHCHECK, run as Docker does (sh -c with the container's environment), follows SQSLITE_PORT.
    health = instruction(image_like["stage"], "HEALTHCHECK")[0]
    command = health[health.index("CMD ") + 4:]
    ok = subprocess.run(["sh", "-c", command], env=env, capture_output=True, text=True, timeout=10)
    assert ok.returncode == 0, f"HEALTHCHECK failed on the configured port: {ok.stdout} {ok.stderr}"
    wrong = subprocess.run(["sh", "-c", command], env={**env, "SQSLITE_PORT": str(free_port())}, capture_output=True, timeout=10)
    assert wrong.returncode != 0, "the HEALTHCHECK passed on a port nothing listens on: it ignores SQSLITE_PORT"

    # Another container reaches it as http://sqslite:9324: that Host is served, and queue URLs use it.
    headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.CreateQueue", "Host": f"sqslite:{port}"}
    r = requests.post(f"http://127.0.0.1:{port}/", data=json.dumps({"QueueName": "from-compose"}), headers=headers, timeout=5)
    assert r.status_code == 200, r.text
    assert r.json()["QueueUrl"] == f"http://sqslite:{port}/000000000000/from-compose"


def test_image_rejects_hosts_outside_its_allow_list(image_like):
    """A DNS-rebinding page (Host: attacker's name) is refused; localhost and IP literals are served."""
    port = image_like["port"]
    headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.ListQueues"}
    for host in (f"localhost:{port}", f"127.0.0.1:{port}"):
        r = requests.post(f"http://127.0.0.1:{port}/", data="{}", headers={**headers, "Host": host}, timeout=5)
        assert r.status_code == 200, (host, r.status_code, r.text)
    r = requests.post(f"http://127.0.0.1:{port}/", data="{}", headers={**headers, "Host": f"evil.example:{port}"}, timeout=5)
    assert r.status_code == 403, f"Host evil.example answered {r.status_code}: SQSLITE_ALLOWED_HOSTS is not enforced"


def test_the_python_variant_is_the_same_server_with_python_and_awslambdaric():
    python = stages()["python"]
    default = final_stage()
    # Everything the plain image sets, the python image sets too, and it still runs unprivileged.
    assert image_env(python).items() >= image_env(default).items()
    assert image_user(python) == image_user(default)
    runs = " ".join(instruction(python, "RUN"))
    assert "python3" in runs and "awslambdaric" in runs and "boto3" in runs
    assert "/opt/lambda/bin" in image_env(python).get("PATH", "")
