"""scripts/install.sh and scripts/package.sh, as README tells users to run them (with the debug
build the suite already has, through SQSLITE_BUILD_CONFIGURATION=debug, so no release build
runs in CI): the installed binary and the packaged one start and answer."""

from __future__ import annotations

import os
import subprocess
import tarfile
from pathlib import Path

from conftest import REPO

TIMEOUT = 600


def run_script(name: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(REPO / "scripts" / name)], cwd=REPO, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=TIMEOUT)


def test_install_puts_a_working_binary_in_the_prefix(tmp_path):
    result = run_script("install.sh", {"PREFIX": str(tmp_path), "SQSLITE_BUILD_CONFIGURATION": "debug"})
    assert result.returncode == 0, result.stderr[-2000:]
    binary = tmp_path / "bin" / "sqslite"
    assert os.access(binary, os.X_OK)
    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    assert f"installed {version} as {binary}" in result.stdout
    assert "add it to your PATH" in result.stdout


def test_package_makes_one_archive_with_binary_readme_and_example_config(tmp_path):
    result = run_script("package.sh", {"SQSLITE_BUILD_CONFIGURATION": "debug"})
    assert result.returncode == 0, result.stderr[-2000:]
    archive = REPO / result.stdout.strip().splitlines()[-1]
    try:
        with tarfile.open(archive) as tar:
            names = tar.getnames()
            top = names[0].split("/")[0]
            assert {f"{top}/sqslite", f"{top}/README.md", f"{top}/sqslite.example.yaml"} <= set(names)
            tar.extractall(tmp_path)  # our own archive, just made
        binary = tmp_path / top / "sqslite"
        out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=30)
        assert out.returncode == 0 and out.stdout.strip() in top
    finally:
        archive.unlink(missing_ok=True)
