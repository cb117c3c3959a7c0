"""Typed domain errors of the Power Operation model; handlers turn them into failures."""

from __future__ import annotations


class PowerOperationError(Exception):
    """Base: something the real product would refuse or report as an error."""


class ProjectNotFound(PowerOperationError):
    """No project of that name is registered on the host."""


class RuntimeStateError(PowerOperationError):
    """A runtime request that does not fit the runtime's current state."""
