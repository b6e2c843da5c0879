"""Put the two collections an execution environment installs into one directory, as tarballs, so
`ansible-builder` builds the image without Galaxy (execution-environment.yml, `make ee`).

- connect_sso-federation.tar.gz: the `make dist` tarball;
- amazon-aws.tar.gz: amazon.aws as `make venv` unpacked it from the pinned `ansible` wheel
  (scripts/install_collections.py), packed again as Galaxy packs a collection: MANIFEST.json,
  FILES.json and the files at the top of the archive, so that `ansible-galaxy collection install`
  checks every file against FILES.json. The `ansible` package leaves out the collection's tests and
  CI files but keeps its FILES.json, so the FILES.json we pack lists only the files it holds (and
  MANIFEST.json the new FILES.json's checksum); the checksum of every file that remains is kept.

The names carry no version, so execution-environment.yml never changes with a release; each
tarball's MANIFEST.json holds its version.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import shutil
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AMAZON_AWS = ROOT / ".collections" / "ansible_collections" / "amazon" / "aws"


def add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(content), 0o644
    archive.addfile(info, io.BytesIO(content))


def manifests_of_what_is_there(source: Path) -> tuple[bytes, bytes]:
    """MANIFEST.json and FILES.json for the files of `source` (FILES.json's entries that exist)."""
    files = json.loads((source / "FILES.json").read_text())
    files["files"] = [f for f in files["files"] if f["name"] == "." or (source / f["name"]).exists()]
    files_json = json.dumps(files, indent=4).encode()
    manifest = json.loads((source / "MANIFEST.json").read_text())
    manifest["file_manifest_file"]["chksum_sha256"] = hashlib.sha256(files_json).hexdigest()
    return json.dumps(manifest, indent=4).encode(), files_json


def pack_installed_collection(source: Path, tarball: Path) -> None:
    if not (source / "MANIFEST.json").exists():
        sys.exit(f"{source}: no MANIFEST.json; run `make venv` first")
    manifest, files = manifests_of_what_is_there(source)
    with tarfile.open(tarball, "w:gz") as archive:
        add_bytes(archive, "MANIFEST.json", manifest)
        add_bytes(archive, "FILES.json", files)
        for path in sorted(source.rglob("*")):
            name = str(path.relative_to(source))
            if name not in ("MANIFEST.json", "FILES.json"):
                archive.add(path, arcname=name, recursive=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dist", required=True, help="the directory `make dist` wrote the tarball to")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    built = sorted(Path(args.dist).glob("connect_sso-federation-*.tar.gz"))
    if len(built) != 1:
        sys.exit(f"{args.dist}: expected one connect_sso-federation-*.tar.gz, found {len(built)}")
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    shutil.copyfile(built[0], out / "connect_sso-federation.tar.gz")
    pack_installed_collection(AMAZON_AWS, out / "amazon-aws.tar.gz")


if __name__ == "__main__":
    main()
