"""Development environment helpers shared by the Makefile, tools/demo.py and the tests.

``python tools/devenv.py collection-path`` makes (if needed) and prints the directory to put in
ANSIBLE_COLLECTIONS_PATH: ``build/collections``, where ``ansible_collections/scada/redundancy``
is a symlink to this repository, so ansible loads the working tree as the collection.
"""

from __future__ import annotations

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def collection_path(root: pathlib.Path = ROOT) -> pathlib.Path:
    base = root / "build" / "collections"
    link = base / "ansible_collections" / "scada" / "redundancy"
    if not link.is_symlink() or link.resolve() != root:
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(root, target_is_directory=True)
    return base


if __name__ == "__main__":
    if sys.argv[1:] != ["collection-path"]:
        sys.exit("usage: devenv.py collection-path")
    print(collection_path())
