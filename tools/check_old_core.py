"""Fail unless this interpreter's ansible-core is the oldest one meta/runtime.yml claims.

`make matrix` runs it with the old-core virtualenv's Python, so the leg cannot drift to a
newer ansible-core (a re-resolved requirements/dev-py311.txt) while requires_ansible still
claims the older one. Prints the ansible-core version.
"""

from __future__ import annotations

import pathlib
import re
import sys

import yaml
from ansible.release import __version__ as core

ROOT = pathlib.Path(__file__).resolve().parent.parent

claimed = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text(encoding="utf-8"))["requires_ansible"]
oldest = re.fullmatch(r">=\s*(\d+)\.(\d+)(?:\.\d+)?", claimed.strip())
if not oldest:
    sys.exit(f"check_old_core: cannot read the oldest version from requires_ansible {claimed!r}")
if core.split(".")[:2] != list(oldest.groups()):
    sys.exit(f"check_old_core: ansible-core {core} is not the oldest one meta/runtime.yml claims ({claimed}); "
             "pin that series in requirements/dev-py311.txt")
print(core)
