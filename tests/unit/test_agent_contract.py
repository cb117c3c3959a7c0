"""Every agent verb's contract is written once and held by all four of its sides.

For each shipped verb script (plugins/plugin_utils/agent/verbs/): the controller's constructor
in ``_verbs.py`` takes exactly the script's parameters (a Python parameter without a default is
Mandatory there), the twin's model in its one verb table takes exactly the same, the verb table
in docs/agent-verbs.md has its row, and the script stays a thin verb.
"""

from __future__ import annotations

import inspect
import pathlib
import re

import pytest

from ansible_collections.scada.redundancy.plugins.plugin_utils import _agent, _verbs
from scada_twin.agent import binding
from scada_twin.agent.table import VERBS

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "agent-verbs.md"
SHIPPED = _agent.shipped_verbs()
MAX_VERB_LINES = 60


def _declared(verb: str) -> dict[str, bool]:
    """{parameter name: mandatory} of the shipped script."""
    return {p.name: p.mandatory for p in binding.parse_param_block(_agent.verb_script(verb))}


def test_the_three_catalogues_name_the_same_verbs():
    constructors = sorted(name for name, fn in vars(_verbs).items()
                          if inspect.isfunction(fn) and fn.__module__ == _verbs.__name__
                          and not name.startswith("_"))
    assert SHIPPED, "no verb is shipped"
    assert constructors == SHIPPED
    assert sorted(VERBS) == SHIPPED


@pytest.mark.parametrize("verb", SHIPPED)
def test_controller_sends_what_the_script_declares(verb):
    signature = inspect.signature(getattr(_verbs, verb))
    sent = {name: p.default is inspect.Parameter.empty for name, p in signature.parameters.items()}
    assert sent == _declared(verb)
    call = getattr(_verbs, verb)(*[f"x{i}" for i, (n, m) in enumerate(sent.items()) if m])
    assert call.verb == verb
    assert set(call.args) <= set(sent), "a constructor must send only declared names"


@pytest.mark.parametrize("verb", SHIPPED)
def test_twin_model_takes_what_the_script_declares(verb):
    parameters = list(inspect.signature(VERBS[verb]).parameters)
    assert parameters[0] == "ctx"
    assert parameters[1:] == list(_declared(verb))


@pytest.mark.parametrize("verb", SHIPPED)
def test_script_is_a_thin_verb_with_its_marker(verb):
    text = _agent.verb_script(verb)
    assert text.startswith(f"# scada.redundancy:verb {verb}\n")
    assert len(text.splitlines()) <= MAX_VERB_LINES
    assert "$Params" not in text, "a verb reads its param block, never a request object"


def test_every_verb_has_its_row_in_the_docs_table():
    table = DOC.read_text(encoding="utf-8").split("\n## ")[0]
    rows = set(re.findall(r"^\| `([a-z0-9_]+)` \|", table, re.M))
    assert rows == set(SHIPPED)
