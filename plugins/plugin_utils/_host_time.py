# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Times a Windows host gives: .NET's round-trip format ('o'), UTC."""

from __future__ import annotations

import datetime
import re

_ROUND_TRIP = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)")


def instant(text: str) -> datetime.datetime:
    """A host's round-trip time ('2026-01-31T12:00:00.1234567Z': seven digits, which datetime
    does not parse) as an aware UTC datetime; ValueError for anything else."""
    match = _ROUND_TRIP.fullmatch(str(text).strip())
    if not match:
        raise ValueError(f"not a round-trip time from the host: {text!r}")
    whole, fraction, zone = match.groups()
    parsed = datetime.datetime.fromisoformat(f"{whole}.{(fraction or '0')[:6].ljust(6, '0')}"
                                             f"{'+00:00' if zone == 'Z' else zone}")
    return parsed.astimezone(datetime.timezone.utc)
