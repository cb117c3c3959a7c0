"""Hostile module arguments for the property-based suite (tests/integration/test_hostile_input.py).

Hypothesis draws the cases; they are run as one playbook per plant (one task per case, each with
ignore_errors), because one ansible-playbook per example would take hours. Shrinking would need
a playbook per attempt, so a failing case is reported whole instead (task name, module, args).

* :func:`documented_options` reads each module's DOCUMENTATION (with the collection's doc
  fragments), so every documented option of every module is a target: a new option is fuzzed
  without anyone listing it here.
* :func:`cases` draws, per module, a plain case (its base arguments) and hostile cases: one
  option replaced by a hostile string (quotes, ``;``, ``$()``, backticks, newlines, ``..\\``,
  unicode, empty, huge) or a value of the wrong type, or an unknown option.
* :func:`problems` says what is wrong with the results: a traceback, an unexpected failure,
  a host made unreachable, a missing result.
* :func:`code_hashes_sent` and :func:`shipped_code_hashes` compare the code the twin received
  (the ``code_sha256`` of every ``operation`` event) with the collection's constant scripts.

``SCADA_HOSTILE_CASES`` sets the hostile cases per module (default 25); for example
``SCADA_HOSTILE_CASES=200 .venv/bin/python -m pytest tests/integration/test_hostile_input.py``.
``SCADA_HOSTILE_SEED`` picks another fixed seed (the default seed keeps CI reproducible).
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import os
import pathlib
import re
from typing import Any

import yaml
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

ROOT = pathlib.Path(__file__).resolve().parents[2]
CASES_PER_MODULE = int(os.environ.get("SCADA_HOSTILE_CASES", "25"))
SEED = int(os.environ.get("SCADA_HOSTILE_SEED", "20261122"))

#: Pieces hostile strings are made of: shell and PowerShell metacharacters, quoting, path
#: traversal (both separators), device and share paths, Jinja, format placeholders, control
#: characters and unicode that changes how text looks or is cut.
FRAGMENTS = (
    "..\\", "..\\..\\..\\Windows\\System32\\", "../", "..", ".", "...", "C:\\Windows\\", "\\\\attacker\\share\\",
    "\\\\?\\C:\\", "\\\\.\\PhysicalDrive0", "'", '"', "`", ";", "$(", ")", "$(Remove-Item C:\\ -Recurse)",
    "`whoami`", "${env:ComputerName}", "@'", "'@", "\n", "\r\n", "\r", "\t", "|", "&", "&&", "<", ">",
    "%WINDIR%", "{0}", "{project}", "{{ lookup('pipe', 'id') }}", "{%", "#", "*", "?", "NUL", "CON",
    "COM1", ":", "::$DATA", "é", "€", "😀", "\u202e", "\ufeff", "\u200b", "\x00", "\x1b[31m", " ",
)
_HUGE_UNITS = ("A", "..\\", "é", "$(x)", "'; ")


def hostile_text() -> st.SearchStrategy[str]:
    """Strings no module should trust: fragments, their mixes, random unicode, empty, huge."""
    fragment = st.sampled_from(FRAGMENTS)
    return st.one_of(
        fragment,
        st.lists(st.one_of(fragment, st.text(max_size=6)), min_size=2, max_size=6).map("".join),
        st.text(max_size=30),
        st.just(""),
        st.builds(lambda unit, count: unit * count, st.sampled_from(_HUGE_UNITS),
                  st.integers(2_000, 40_000)),
    )


def wrong_type(kind: str) -> st.SearchStrategy[Any]:
    """Values of another type than the option's (or out of any sane range for its type)."""
    text = hostile_text()
    others = {
        "str": st.one_of(st.integers(), st.lists(text, max_size=3), st.dictionaries(text, text, max_size=2),
                         st.booleans(), st.floats()),
        "path": st.one_of(st.integers(), st.lists(text, max_size=3), st.dictionaries(text, text, max_size=2)),
        "int": st.one_of(text, st.integers(min_value=2 ** 63), st.integers(max_value=-(2 ** 63)),
                         st.integers(-5, 0), st.floats(), st.lists(st.integers(), max_size=2), st.booleans()),
        "float": st.one_of(text, st.sampled_from(["nan", "inf", "-inf", "1e400"]), st.floats(),
                           st.integers(max_value=0), st.lists(st.floats(), max_size=2)),
        "bool": st.one_of(text, st.integers(), st.lists(st.booleans(), max_size=2)),
        "list": st.one_of(text, st.dictionaries(text, text, max_size=2), st.integers(),
                          st.lists(st.one_of(st.dictionaries(text, text, max_size=1), st.lists(text, max_size=1)),
                                   min_size=1, max_size=2),
                          st.builds(lambda value, count: [value] * count, text, st.integers(500, 3000))),
        "dict": st.one_of(text, st.lists(text, max_size=3), st.integers(),
                          st.dictionaries(text, st.one_of(text, st.dictionaries(text, text, max_size=2)),
                                          min_size=1, max_size=3)),
    }
    return others[kind]


def hostile_value(kind: str, elements: str | None) -> st.SearchStrategy[Any]:
    """A hostile value of the option's own type, or a value of the wrong type."""
    text = hostile_text()
    same = {
        "str": text, "path": text, "int": st.integers(min_value=-(2 ** 70), max_value=2 ** 70),
        "float": st.floats(allow_nan=True, allow_infinity=True), "bool": st.booleans(),
        "list": st.lists(text if elements in (None, "str") else st.integers(), max_size=4),
        "dict": st.dictionaries(text, text, max_size=3),
    }[kind]
    return st.one_of(same, wrong_type(kind))


# -- the modules and their documented options ----------------------------------------------
def documented_options(module: str) -> dict[str, dict[str, Any]]:
    """The options of ``module`` as its DOCUMENTATION and the collection's fragments declare them."""
    doc = _yaml_doc(importlib.import_module(f"ansible_collections.scada.redundancy.plugins.modules.{module}"))
    options = dict(doc.get("options") or {})
    for fragment in doc.get("extends_documentation_fragment") or []:
        if fragment.startswith("scada.redundancy."):
            name = fragment.split(".")[-1]
            options.update(_yaml_doc(importlib.import_module(
                f"ansible_collections.scada.redundancy.plugins.doc_fragments.{name}").ModuleDocFragment)
                .get("options") or {})
    return options


def all_modules() -> list[str]:
    return sorted(p.stem for p in (ROOT / "plugins" / "modules").glob("*.py") if p.stem != "__init__")


def _yaml_doc(owner: Any) -> dict[str, Any]:
    return yaml.safe_load(owner.DOCUMENTATION)


@dataclasses.dataclass(frozen=True)
class Target:
    """How a module is run in the batch: its host, plain arguments that succeed, and whether
    its cases run in check mode (None: hypothesis draws it per case)."""

    module: str
    hosts: str
    base: dict[str, Any]
    check_mode: bool | None = None


@dataclasses.dataclass(frozen=True)
class Case:
    number: int
    target: Target
    args: dict[str, Any]
    check_mode: bool
    fuzzed: str  # what was made hostile: an option name, "(plain)" or "(unknown option)"

    @property
    def name(self) -> str:
        return f"case {self.number:04d} {self.target.module} {self.fuzzed}"


def _case_strategy(target: Target) -> st.SearchStrategy[tuple[dict[str, Any], bool, str]]:
    options = documented_options(target.module)

    @st.composite
    def draw(draw_: Any) -> tuple[dict[str, Any], bool, str]:
        args = dict(target.base)
        if draw_(st.integers(0, 19)) == 0:
            key = draw_(hostile_text().filter(lambda k: k and k not in options))
            args[key] = draw_(hostile_text())
            fuzzed = "(unknown option)"
        else:
            fuzzed = draw_(st.sampled_from(sorted(options)))
            spec = options[fuzzed]
            args[fuzzed] = draw_(hostile_value(spec.get("type", "str"), spec.get("elements")))
        check = target.check_mode if target.check_mode is not None else draw_(st.booleans())
        return args, check, fuzzed

    return draw()


def cases(targets: list[Target], per_module: int = CASES_PER_MODULE,
          explicit: tuple[tuple[str, str, Any], ...] = ()) -> list[Case]:
    """A plain case of each target, the ``explicit`` (module, option, value) cases (inputs
    that once broke a module), then ``per_module`` distinct hostile cases of each target."""
    found: list[Case] = [Case(n, t, dict(t.base), bool(t.check_mode), "(plain)")
                         for n, t in enumerate(targets)]
    by_module = {t.module: t for t in targets}
    found += [Case(len(found) + n, by_module[module], {**by_module[module].base, option: value},
                   bool(by_module[module].check_mode), option)
              for n, (module, option, value) in enumerate(e for e in explicit if e[0] in by_module)]
    for target in targets:
        drawn: dict[str, tuple[dict[str, Any], bool, str]] = {}

        @seed(SEED)
        @settings(max_examples=per_module * 3, database=None, deadline=None,
                  phases=[Phase.generate], suppress_health_check=list(HealthCheck))
        @given(_case_strategy(target))
        def collect(example: tuple[dict[str, Any], bool, str]) -> None:
            if len(drawn) < per_module:
                drawn.setdefault(repr(example), example)

        collect()
        found += [Case(len(found) + i, target, args, check, fuzzed)
                  for i, (args, check, fuzzed) in enumerate(drawn.values())]
    return found


# -- the batched playbook ------------------------------------------------------------------
class _Literal(str):
    """A string ansible must take as it is (``!unsafe``): never templated."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Literal, lambda dumper, value: dumper.represent_scalar("!unsafe", str(value), style='"'))


def _literal(value: Any) -> Any:
    if isinstance(value, str):
        # Only what ansible would template is marked: ansible-core reads an empty !unsafe as
        # null and a quoted !unsafe "*", "&" or "!" as a YAML tag, and fails the whole play.
        return _Literal(value) if "{" in value else value
    if isinstance(value, list):
        return [_literal(v) for v in value]
    if isinstance(value, dict):
        return {_literal(k): _literal(v) for k, v in value.items()}
    return value


def write_playbook(path: pathlib.Path, batch: list[Case]) -> pathlib.Path:
    """One play per host pattern, one task per case, in case order within each play."""
    plays: dict[str, list[dict[str, Any]]] = {}
    for case in batch:
        plays.setdefault(case.target.hosts, []).append({
            "name": case.name, f"scada.redundancy.{case.target.module}": _literal(case.args),
            "check_mode": case.check_mode, "ignore_errors": True, "ignore_unreachable": True})
    data = [{"hosts": hosts, "gather_facts": False, "tasks": tasks} for hosts, tasks in plays.items()]
    path.write_text(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, width=2 ** 30), encoding="utf-8")
    return path


# -- what counts as a clean result ---------------------------------------------------------
_TRACE = re.compile(r"Traceback \(most recent call last\)|^\s+File \"[^\"]+\", line \d+", re.M)
_UNCLEAN = ("MODULE FAILURE", "Unexpected failure during", "unexpected exception", "Traceback",
            "object has no attribute", "KeyError", "TypeError", "ValueError", "IndexError",
            "AttributeError", "not supported between instances", "unsupported operation")


def problems(batch: list[Case], results: list[dict[str, Any]], output: str) -> list[str]:
    """Why the run is not clean; empty when every case ended in a result or a clear failure."""
    if not results:
        return [f"the playbook produced no results:\n{output[-3000:]}"]
    found = []
    by_name: dict[str, list[dict[str, Any]]] = {}
    for record in results:
        by_name.setdefault(record["task"], []).append(record)
    for case in batch:
        records = by_name.get(case.name, [])
        if len(records) != 1:
            found.append(f"{case.name}: {len(records)} results instead of one (args {_short(case.args)})")
            continue
        problem = _result_problem(records[0])
        if problem:
            found.append(f"{case.name}: {problem}\n    args {_short(case.args)}\n    result {_short(records[0]['result'])}")
    if _TRACE.search(output):
        found.append("the playbook output holds a Python traceback")
    return found


def _result_problem(record: dict[str, Any]) -> str | None:
    result = record["result"]
    text = repr(result)
    if record["status"] == "unreachable":
        return "a hostile value made the host unreachable"
    if _TRACE.search(text):
        return "a Python traceback in the result"
    exception = result.get("exception")
    if exception not in (None, "(traceback unavailable)"):
        return "an exception with a trace in the result"
    if record["status"] == "failed":
        msg = result.get("msg")
        if not isinstance(msg, str) or not msg.strip():
            return "a failure without a message"
        # ansible-core 2.19+ reports an exception that is not an AnsibleError as "Task failed: <exc>"
        unclean = [word for word in _UNCLEAN if word in msg] + (["Task failed"] if msg.startswith("Task failed:") else [])
        if unclean:
            return f"an unclear failure message ({', '.join(unclean)})"
    return None


def _short(value: Any, limit: int = 600) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


# -- the code the host received ------------------------------------------------------------
def code_hashes_sent(plant: Any) -> dict[str, set[str]]:
    """{code unit: {sha256, ...}} over everything the plant's hosts ran.

    A unit is ``verb:<name>``: one agent verb script (or the core, or a resource), whichever
    step sent it.
    """
    sent: dict[str, set[str]] = {}
    for event in plant.timeline.events(kind="operation"):
        for verb, digest in event.data["verb_sha256"].items():
            sent.setdefault(f"verb:{verb}", set()).add(digest)
    return sent


def shipped_code_hashes(units: set[str]) -> dict[str, str]:
    """The sha256 each code unit has as the collection ships it."""
    from ansible_collections.scada.redundancy.plugins.plugin_utils import _agent

    hashes = {}
    for unit in units:
        name = unit.split(":", 1)[1]
        if name == "core":
            text = _agent.core_script()
        elif name.startswith("resource:"):
            text = _agent.resource_script(name[len("resource:"):])
        else:
            text = _agent.verb_script(name)
        hashes[unit] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return hashes
