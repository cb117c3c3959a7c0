"""The environment every benchmark gives ansible: the working tree as the collection, quiet."""

from __future__ import annotations

import os
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from devenv import collection_path  # noqa: E402

CALLBACKS = pathlib.Path(__file__).with_name("callback")


def ansible_env(work: pathlib.Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "ANSIBLE_COLLECTIONS_PATH": str(collection_path()),
            "ANSIBLE_HOST_KEY_CHECKING": "false", "ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0",
            "ANSIBLE_LOCAL_TEMP": str(work / "ansible-tmp"), "ANSIBLE_RETRY_FILES_ENABLED": "false",
            **extra}
