"""The run report's page comes from a Jinja2 template with autoescape: the collection's own,
or a site's. A site template gets the report and the collection's parts, and a hostile value
in the report is escaped in it as in the collection's page."""

from __future__ import annotations

import jinja2
import pytest

from ansible_collections.scada.redundancy.plugins.plugin_utils._report_html import render

HOSTILE = "<script>alert(1)</script>"


def _report(**extra):
    return {"playbook": "redundant_update", "started_utc": "2026-12-04T10:00:00+00:00",
            "ended_utc": "2026-12-04T10:05:00+00:00", "wall_seconds": 300.0, "outcome": "succeeded",
            "check_mode": False, "hosts": {}, "steps": [], "archives": [], "readiness": [], "timeline": [],
            "summary": {}, **extra}


def test_the_collections_template_renders_and_escapes():
    page = render(_report(playbook=HOSTILE))
    assert page.startswith("<!DOCTYPE html>") and "Run report: &lt;script&gt;" in page
    assert HOSTILE not in page and "<h2>Steps</h2>" in page


def test_a_site_template_renders_the_report_and_the_collections_parts(tmp_path):
    site = tmp_path / "site.html.j2"
    site.write_text("<html><body><h1>Plant A change {{ report.playbook }}</h1>{{ badge(report.outcome, 'ok') }}"
                    "<section>{{ sections.archives }}</section><p>{{ duration(report.wall_seconds) }}</p>"
                    "</body></html>", encoding="utf-8")
    page = render(_report(playbook=HOSTILE), str(site))
    assert page.startswith("<html><body><h1>Plant A change &lt;script&gt;alert(1)&lt;/script&gt;</h1>")
    assert '<span class="badge ok ">succeeded</span>' in page
    assert "No archive was taken or copied in this run." in page and HOSTILE not in page


def test_a_broken_site_template_raises_for_the_callback_to_report(tmp_path):
    site = tmp_path / "broken.html.j2"
    site.write_text("{{ report.no_such_key }}", encoding="utf-8")
    with pytest.raises(jinja2.TemplateError):
        render(_report(), str(site))
