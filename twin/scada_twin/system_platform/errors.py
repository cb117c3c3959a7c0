"""Typed domain errors of the System Platform model; handlers turn them into failures."""

from __future__ import annotations


class SystemPlatformError(Exception):
    """Base: something the real product would refuse or report as an error."""


class GalaxyError(SystemPlatformError):
    """A galaxy request that cannot start: unknown object, galaxy not available, busy."""


class InstallError(SystemPlatformError):
    """Setup refuses to start (pending restart, downgrade, another setup running)."""


class RedundancyError(SystemPlatformError):
    """A redundancy request that does not fit the pair's state (no standby ready)."""
