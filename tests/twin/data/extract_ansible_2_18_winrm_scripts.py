"""Regenerate ansible_2_18_winrm_scripts.json from an unpacked ansible-core 2.18 wheel.

    python extract_ansible_2_18_winrm_scripts.py /path/to/ansible_core-2.18.x/ansible > \
        ansible_2_18_winrm_scripts.json

It copies, verbatim, the two script templates that ansible-core 2.18's winrm connection plugin
formats for put_file and fetch_file (plugins/connection/winrm.py), and records the file's
SHA-256 so a reader can check where they came from. ansible-core 2.19+ no longer has them, and
the test virtualenv carries 2.21, so the twin's tests read this file instead of importing 2.18.
"""

from __future__ import annotations

import ast
import hashlib
import json
import pathlib
import re
import sys


def _template(function: ast.FunctionDef, variable: str) -> str:
    """The string constant assigned to ``variable`` (directly or as the left side of ``%``)."""
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == variable for t in node.targets):
            value = node.value.left if isinstance(node.value, ast.BinOp) else node.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                return value.value
    raise LookupError(f"{function.name}: no string assigned to {variable}")


def main(package: str) -> None:
    root = pathlib.Path(package)
    source_path = root / "plugins" / "connection" / "winrm.py"
    source = source_path.read_bytes()
    version = re.search(r"^__version__ = '([^']+)'", (root / "release.py").read_text(), re.M)
    functions = {n.name: n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.FunctionDef)}
    json.dump({
        "source": "ansible/plugins/connection/winrm.py",
        "ansible_core_version": version.group(1),
        "source_sha256": hashlib.sha256(source).hexdigest(),
        "put_file_template": _template(functions["put_file"], "script_template"),
        "fetch_file_template": _template(functions["fetch_file"], "script"),
    }, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
