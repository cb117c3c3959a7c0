"""Every relative link in the Markdown pages leads somewhere: a file, and a heading in it.

The pages send readers from one to another (getting started -> security -> troubleshooting);
a renamed file or heading would otherwise leave a dead end that nobody notices.
"""

from __future__ import annotations

import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SKIP = {"build", "twin", "tests", ".venv"}
PAGES = sorted(p for p in ROOT.rglob("*.md")
               if not {part for part in p.relative_to(ROOT).parts} & SKIP
               and not any(part.startswith(".") for part in p.relative_to(ROOT).parts))
LINK = re.compile(r"\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def _anchors(page: pathlib.Path) -> set[str]:
    """Heading anchors as GitHub makes them: lower case, punctuation dropped, spaces to hyphens."""
    headings = re.findall(r"^#+\s+(.*?)\s*$", FENCE.sub("", page.read_text(encoding="utf-8")), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_relative_links_resolve(page: pathlib.Path) -> None:
    dead = []
    for target in LINK.findall(FENCE.sub("", page.read_text(encoding="utf-8"))):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):
            continue  # https:, mailto: and the like
        path, dummy, anchor = target.partition("#")
        destination = (page.parent / path) if path else page
        if not destination.exists():
            dead.append(f"{target}: no such file")
        elif anchor and destination.suffix == ".md" and anchor not in _anchors(destination):
            dead.append(f"{target}: no heading #{anchor}")
    assert not dead, dead
