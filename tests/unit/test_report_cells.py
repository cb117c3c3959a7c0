"""The run report's tables show nested values as a person reads them: the System Platform
role's summary (lists of steps and pairs, dicts of statuses) never as a Python repr."""

from __future__ import annotations

import re

from ansible_collections.scada.redundancy.plugins.plugin_utils._report_html import _summary


def test_the_system_platform_summary_renders_without_reprs():
    summary = {"scada_redundancy_system_platform": {"PlantGalaxy": {
        "target_version": "23.1.100", "needed": True, "order": ["sp-gr", "sp-b", "sp-a"],
        "steps": [{"phase": "standby", "nodes": ["sp-b"], "deploy_and_wait_seconds": 41.5}],
        "pairs": [{"name": "E1", "active": "E1", "final_active": "E1b", "failover_expected": True}],
        "final_statuses": {"E1": "Standby - Ready", "E1b": "Active"}, "gr_upgraded": False}}}
    page = _summary({"summary": summary})
    cells = [re.sub(r"<[^>]+>", " ", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", page, re.S)]
    text = " | ".join(cells)
    assert "phase: standby; nodes: sp-b; deploy and wait seconds: 41.5" in text, text
    assert "name: E1; active: E1; final active: E1b; failover expected: yes" in text, text
    assert "E1: Standby - Ready" in text and "sp-gr, sp-b, sp-a" in text
    assert not re.search(r"[\[{]\s*'|'\s*:\s", text), text
