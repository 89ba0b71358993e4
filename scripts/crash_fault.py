#!/usr/bin/env python3
"""The crash-and-fault suite, long form, by hand.

CI runs tests/interop/test_crash_fault.py with 3 SIGKILLs; this runs it with many more (and a
seed of your choice), plus the disk-full and unwritable-database variants:

    scripts/crash_fault.py --cycles 50 --seed 7
    scripts/crash_fault.py --cycles 200 --repeat 5        # five seeds in a row

Needs the binary (`swift build`; or SQSLITE_BIN) and boto3/pytest (scripts/test.sh creates .venv).
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cycles", type=int, default=30, help="SIGKILL/restart cycles (default 30)")
    parser.add_argument("--seed", type=int, default=9, help="first seed (default 9)")
    parser.add_argument("--repeat", type=int, default=1, help="runs with consecutive seeds")
    args, pytest_args = parser.parse_known_args()  # the rest goes to pytest, e.g. -k kill_9
    python = REPO / ".venv" / "bin" / "python"
    env = dict(os.environ)
    env.setdefault("SQSLITE_BIN", str(REPO / ".build" / "debug" / "sqslite"))
    env["SQSLITE_CRASH_CYCLES"] = str(args.cycles)
    for run in range(args.repeat):
        env["SQSLITE_CRASH_SEED"] = str(args.seed + run)
        print(f"== seed {args.seed + run}, {args.cycles} cycles", flush=True)
        rc = subprocess.call(
            [str(python) if python.exists() else sys.executable, "-m", "pytest", "-s", "-q",
             str(REPO / "tests" / "interop" / "test_crash_fault.py"), *pytest_args],
            env=env,
        )
        if rc != 0:
            return rc
    return 0


if __name__ == "__main__":
    sys.exit(main())
