#!/usr/bin/env python3
"""Syntax check for the collection's PowerShell scripts, built on tree-sitter-powershell.

    python tools/check_ps1.py [PATH ...]

Each PATH is a ``.ps1`` file or a directory searched recursively for ``*.ps1``
(default: ``plugins``).  Every file is parsed; each ERROR node and each MISSING node
(a token the parser had to invent, such as an unclosed ``}``) is reported as
``file:line:col: message`` with 1-based line and column (columns count characters).
Exit status: 0 when every file parses cleanly (also when there are no files),
1 when any file has a syntax error, 2 on usage or environment errors.

``ansible-test sanity``'s pslint needs ``pwsh``, which these machines do not have, so
this is the project's own guard against shipping a script that cannot even parse.

Known limits of the grammar (tree-sitter-powershell 0.26), checked by hand:

* It accepts some scripts PowerShell rejects, e.g. ``try { }`` with neither ``catch`` nor
  ``finally``: a clean result is necessary, not sufficient.
* It rejects a few forms PowerShell accepts; write the scripts so they avoid them:
  - unquoted lists of bare words as command arguments
    (``Select-Object -Property Name, Status``): quote them
    (``Select-Object -Property 'Name', 'Status'``);
  - several switch clauses on one line (``switch ($x) { 'a' { 1 } default { 2 } }``):
    one clause per line, or ``;`` between them;
  - ``[CmdletBinding()] param(...)`` on one line: put the attribute on its own line.
* PowerShell 7 only syntax such as ``??`` is reported, which is what we want: the targets
  run Windows PowerShell 5.1.
"""

from __future__ import annotations

import argparse
import codecs
import sys
from dataclasses import dataclass
from pathlib import Path

try:
    import tree_sitter
    import tree_sitter_powershell
except ImportError as exc:  # pragma: no cover - environment problem, not a syntax error
    sys.stderr.write(
        f"check_ps1: {exc}; run it with the development virtualenv (make venv; .venv/bin/python)\n"
    )
    sys.exit(2)


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


_PARSER = None


def _parser() -> "tree_sitter.Parser":
    global _PARSER
    if _PARSER is None:
        _PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_powershell.language()))
    return _PARSER


def _decode(data: bytes) -> str:
    """Script bytes to text the way Windows PowerShell reads them (BOM decides, else UTF-8)."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom):].decode(encoding)
    return data.decode("utf-8")


def _snippet(text: bytes, limit: int = 40) -> str:
    first = text.decode("utf-8", "replace").strip().splitlines()
    shown = first[0] if first else ""
    if len(shown) > limit or len(first) > 1:
        shown = shown[:limit] + "..."
    return shown


def check_text(source: str, path: str = "<string>") -> list[Problem]:
    """Return the syntax problems of one script, in source order."""
    data = source.encode("utf-8")
    lines = data.split(b"\n")
    tree = _parser().parse(data)
    problems: list[Problem] = []

    def column(row: int, byte_col: int) -> int:
        line = lines[row] if row < len(lines) else b""
        return len(line[:byte_col].decode("utf-8", "replace")) + 1

    # iterative walk (deeply nested scripts must not hit the recursion limit); only
    # subtrees that contain an error are entered
    stack = [tree.root_node]
    seen: set[tuple[int, int, str]] = set()
    while stack:
        node = stack.pop()
        message = None
        if node.is_missing:
            message = f"missing '{node.type}'"
        elif node.type == "ERROR":
            near = _snippet(data[node.start_byte:node.end_byte])
            message = f"syntax error near '{near}'" if near else "syntax error"
        if message is not None:
            row, col = node.start_point
            key = (row + 1, column(row, col), message)
            if key not in seen:
                seen.add(key)
                problems.append(Problem(path, *key))
        if node.has_error:
            stack.extend(reversed(node.children))
    problems.sort(key=lambda p: (p.line, p.column))
    return problems


def check_file(path: Path) -> list[Problem]:
    try:
        source = _decode(path.read_bytes())
    except UnicodeDecodeError as exc:
        return [Problem(str(path), 1, 1, f"not valid UTF-8/UTF-16 text: {exc}")]
    return check_text(source, str(path))


def collect(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() == ".ps1" and p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            raise FileNotFoundError(raw)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=["plugins"], help=".ps1 files or directories")
    parser.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    args = parser.parse_args(argv)

    try:
        files = collect(args.paths)
    except FileNotFoundError as exc:
        sys.stderr.write(f"check_ps1: no such file or directory: {exc}\n")
        return 2

    bad = 0
    for path in files:
        problems = check_file(path)
        for problem in problems:
            print(problem)
        bad += bool(problems)

    if not args.quiet:
        print(f"check_ps1: {len(files)} file(s) checked, {bad} with syntax errors")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
