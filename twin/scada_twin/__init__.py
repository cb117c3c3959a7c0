"""The plant twin: simulated Windows SCADA hosts that speak real WS-Management.

Public API: ``scada_twin.plant.Plant`` (start a plant from a spec), :func:`load_spec` and
:func:`parse_spec`, and ``scada_twin.control.ControlClient`` for a plant in another process.
"""

from .spec import load as load_spec, parse as parse_spec, PlantSpec, SpecError

__all__ = ["load_spec", "parse_spec", "PlantSpec", "SpecError"]
