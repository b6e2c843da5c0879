"""Run `ansible-test sanity` on a copy of this repository laid out as ansible-test wants it.

ansible-test needs the collection at .../ansible_collections/connect_sso/federation, with
its dependencies beside it. We copy the files git knows about (tracked, or new and not
ignored) into build/, link amazon.aws next to it, and run the tests in ansible-test's own
virtualenvs (--venv), so our .venv is left alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "ansible_collections"
COPY = BUILD / "connect_sso" / "federation"
# ansible-test keeps its virtualenvs and caches under ~/.ansible/test; keep them in the project.
TEST_HOME = ROOT / ".cache" / "ansible-test-home"
PIP_VERSION = "24.2"  # the pip ansible-test 2.19 bootstraps (ansible_test/_util/target/setup/requirements.py)


def project_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


def main() -> int:
    shutil.rmtree(COPY, ignore_errors=True)
    for name in project_files():
        target = COPY / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    amazon = BUILD / "amazon" / "aws"
    if not amazon.exists():
        amazon.parent.mkdir(parents=True, exist_ok=True)
        amazon.symlink_to(ROOT / ".collections" / "ansible_collections" / "amazon" / "aws")
    # The copy sits inside this (ignored) build/ folder of our git repository; ansible-test would ask
    # our repository for the file list and find nothing. A git index of its own makes the copy its root.
    subprocess.run(["git", "init", "-q"], cwd=COPY, check=True)
    subprocess.run(["git", "add", "-A"], cwd=COPY, check=True)
    bootstrap = TEST_HOME / ".ansible" / "test" / "cache" / f"get_pip_{PIP_VERSION.replace('.', '_')}.py"
    bootstrap.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "scripts" / "sanity" / "get_pip.py", bootstrap)
    ansible_test = Path(sys.executable).with_name("ansible-test")
    command = [
        str(ansible_test),
        "sanity",
        "--venv",
        "--python",
        f"{sys.version_info[0]}.{sys.version_info[1]}",
        "--color",
        "no",
        *sys.argv[1:],
    ]
    print("+", " ".join(command), flush=True)
    return subprocess.run(
        command,
        check=False,
        cwd=COPY,
        env={**os.environ, "HOME": str(TEST_HOME), "ANSIBLE_COLLECTIONS_PATH": str(BUILD.parent)},
    ).returncode


if __name__ == "__main__":
    sys.exit(main())
