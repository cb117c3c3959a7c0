#!/usr/bin/env python3
"""Put tools/get_pip_standin.py where ansible-test looks for its cached get-pip.py.

Run with the development virtualenv's Python (the one whose ansible-test will run):

    .venv/bin/python tools/install_get_pip_standin.py

The pip version ansible-test bootstraps (25.2 for ansible-core 2.21, 24.2 for 2.19) is read
from the installed ansible_test package itself (`get_venv_packages()` in
_internal/python_requirements.py), so a new ansible-core pin needs no change here.  The
stand-in is written to ~/.ansible/test/cache/get_pip_<version with underscores>.py for the
default version and for every per-Python override.
"""

from __future__ import annotations

import ast
import os
import shutil
import sys
from pathlib import Path


def pip_versions() -> set[str]:
    try:
        import ansible_test
    except ImportError:
        sys.exit(f"{sys.executable} has no ansible_test: run this with the venv's python")
    source = Path(ansible_test.__file__).parent / "_internal" / "python_requirements.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "get_venv_packages":
            function = node
            break
    else:
        sys.exit(f"no get_venv_packages() in {source}: ansible-test changed, update {__file__}")

    versions: set[str] = set()

    def collect(value: ast.AST) -> None:
        # dict(pip='25.2') or {'pip': '25.2'}, possibly nested per Python version
        if isinstance(value, ast.Call):
            for keyword in value.keywords:
                if keyword.arg == "pip" and isinstance(keyword.value, ast.Constant) and keyword.value.value:
                    versions.add(str(keyword.value.value))
                else:
                    collect(keyword.value)
        elif isinstance(value, ast.Dict):
            for key, item in zip(value.keys, value.values):
                if isinstance(key, ast.Constant) and key.value == "pip":
                    if isinstance(item, ast.Constant) and item.value:
                        versions.add(str(item.value))
                else:
                    collect(item)

    for node in ast.walk(function):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            collect(node.value)
    if not versions:
        sys.exit(f"found no pip version in {source}: ansible-test changed, update {__file__}")
    return versions


def main() -> int:
    standin = Path(__file__).resolve().parent / "get_pip_standin.py"
    cache = Path(os.path.expanduser("~/.ansible/test/cache"))
    cache.mkdir(parents=True, exist_ok=True)
    for version in sorted(pip_versions()):
        target = cache / f"get_pip_{version.replace('.', '_')}.py"
        if target.exists() and target.read_bytes() == standin.read_bytes():
            print(f"get-pip stand-in for pip {version} already in place: {target}")
            continue
        shutil.copyfile(standin, target)
        print(f"installed get-pip stand-in for pip {version}: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
