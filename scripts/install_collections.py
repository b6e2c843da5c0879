"""Put amazon.aws (and, for tests and benchmarks, ansible.posix and community.aws) where ansible-core
finds them, without Galaxy.

The `ansible` package on PyPI ships both inside its wheel. We download that one wheel
(pinned by version and sha256), unpack only those collections into `.collections/`, and
link this repository in as `connect_sso.federation`, so that `ansible.cfg`
(collections_path = .collections) resolves all of them.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ANSIBLE_WHEEL_VERSION = "12.3.0"  # ships amazon.aws 10.1.2, pairs with ansible-core 2.19
ANSIBLE_WHEEL_SHA256 = "cd156f82fa87f7a899212b0efa9f7ca3a24d609212de9f78428a572eb01e5414"
COLLECTIONS = ("amazon/aws", "ansible/posix", "community/aws")  # the last two for tests and benchmarks

ROOT = Path(__file__).resolve().parent.parent


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def download_wheel(cache: Path) -> Path:
    wheel = cache / f"ansible-{ANSIBLE_WHEEL_VERSION}-py3-none-any.whl"
    if not wheel.exists():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
                f"ansible=={ANSIBLE_WHEEL_VERSION}",
                "-d",
                str(cache),
            ],
            check=True,
        )
    actual = sha256(wheel)
    if actual != ANSIBLE_WHEEL_SHA256:
        wheel.unlink()
        sys.exit(f"{wheel.name}: sha256 {actual} does not match the pinned {ANSIBLE_WHEEL_SHA256}")
    return wheel


def extract_collection(wheel: Path, name: str, target: Path) -> None:
    prefix = f"ansible_collections/{name}/"
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.infolist():
            if member.filename.startswith(prefix) and not member.is_dir():
                dest = staging / member.filename[len(prefix) :]
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(archive.read(member))
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)  # atomic swap: an interrupted run never leaves half a collection


def link_this_collection(collections: Path) -> None:
    link = collections / "ansible_collections" / "connect_sso" / "federation"
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(Path("../../.."), target_is_directory=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--collections", default=str(ROOT / ".collections"))
    parser.add_argument("--cache", default=str(ROOT / ".cache" / "wheels"))
    args = parser.parse_args()
    collections = Path(args.collections)
    for name in COLLECTIONS:
        target = collections / "ansible_collections" / name
        if not (target / "MANIFEST.json").exists():
            extract_collection(download_wheel(Path(args.cache)), name, target)
    link_this_collection(collections)


if __name__ == "__main__":
    main()
