"""Install the pinned awx.awx collection into a collections path, for `make awx-check`.

From Galaxy with ``ansible-galaxy collection install -r requirements/awx.yml`` when Galaxy
answers; otherwise from PyPI, where the ``ansible`` community package carries the same release
of awx.awx (requirements/awx-collection-pypi.txt, hash-pinned): only its
``ansible_collections/awx/awx`` folder is extracted (the community package leaves out the
collection's tests/, so ``ansible-galaxy collection verify`` would report those missing; pip's
hash check stands for the integrity check). Either way the installed version must be the one
requirements/awx.yml pins.

Usage: python tools/install_awx_collection.py DEST   (DEST goes into ANSIBLE_COLLECTIONS_PATH)
"""

from __future__ import annotations

import json
import pathlib
import shutil
import subprocess
import sys
import tempfile
import zipfile

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
GALAXY_REQUIREMENTS = ROOT / "requirements" / "awx.yml"
PYPI_REQUIREMENTS = ROOT / "requirements" / "awx-collection-pypi.txt"
BIN = pathlib.Path(sys.executable).parent
PREFIX = "ansible_collections/awx/awx/"


def pinned_version() -> str:
    (entry,) = yaml.safe_load(GALAXY_REQUIREMENTS.read_text(encoding="utf-8"))["collections"]
    return str(entry["version"])


def installed_version(dest: pathlib.Path) -> str | None:
    manifest = dest / PREFIX / "MANIFEST.json"
    if not manifest.is_file():
        return None
    return json.loads(manifest.read_text(encoding="utf-8"))["collection_info"]["version"]


def from_galaxy(dest: pathlib.Path) -> bool:
    done = subprocess.run([str(BIN / "ansible-galaxy"), "collection", "install", "--force", "--timeout", "20",
                           "-r", str(GALAXY_REQUIREMENTS), "-p", str(dest)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"install_awx_collection: Galaxy not reachable ({done.stderr.strip().splitlines()[-1:]}), "
              "taking awx.awx from PyPI", flush=True)
    return done.returncode == 0


def from_pypi(dest: pathlib.Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
                        "--no-deps", "--only-binary", ":all:", "--require-hashes",
                        "-r", str(PYPI_REQUIREMENTS), "-d", tmp], check=True)
        (wheel,) = pathlib.Path(tmp).glob("*.whl")
        target = dest / PREFIX
        shutil.rmtree(target, ignore_errors=True)
        with zipfile.ZipFile(wheel) as archive:
            members = [m for m in archive.namelist() if m.startswith(PREFIX) and not m.endswith("/")]
            if not members:
                sys.exit(f"install_awx_collection: {wheel.name} holds no awx.awx collection")
            for member in members:
                path = dest / member
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(archive.read(member))


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__.split("\n\n")[-1])
    dest = pathlib.Path(sys.argv[1]).resolve()
    version = pinned_version()
    if installed_version(dest) == version:
        return
    if not from_galaxy(dest):
        from_pypi(dest)
    if installed_version(dest) != version:
        sys.exit(f"install_awx_collection: got awx.awx {installed_version(dest)}, requirements/awx.yml pins {version}")
    print(f"install_awx_collection: awx.awx {version} in {dest}")


if __name__ == "__main__":
    main()
