"""Host wall-clock times as the collection's scripts report them.

PowerShell's round-trip format for a UTC time (``ToString('o')``) has seven fractional
digits and a ``Z``; the twin writes the same, so the controller compares like with like.
"""

from __future__ import annotations

import datetime


def round_trip_now() -> str:
    """Now, in UTC, as ``[DateTime]::UtcNow.ToString('o')`` prints it."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f0Z")
