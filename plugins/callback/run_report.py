# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
name: run_report
type: aggregate
short_description: Write a JSON report and a self-contained HTML page for every run, for the change board
version_added: 0.2.0
description:
  - Writes, on the controller, when the playbook ends, a JSON report and an HTML page of the run
    in O(output_dir), and prints where they are.
  - "The report holds: the steps with their durations and outcomes; the archives the run took or
    copied (M(scada.redundancy.project_backup), M(scada.redundancy.galaxy_backup) and
    M(scada.redundancy.archive_copy)) with their
    SHA-256 and controller copies; and a timeline of each server over the run - its configured
    role, its activity (backup, restore, compile, restart, ...), its runtime state and its live
    role (active or standby) - with each pair's availability: the band where at least one
    server of the pair was serving. System Platform runs get the same timeline for AppEngines
    from M(scada.redundancy.engine_redundancy) statuses, and node activities from
    M(scada.redundancy.galaxy_deploy) and M(scada.redundancy.sp_install)."
  - Everything comes from the results the collection's modules return, so the report works the
    same on a real plant as on the twin. Values between two reads are the last value read;
    inferred values (a partner taking over while a server restarts, a configured role taken
    from the roles first read) are marked as such.
  - The page is one file with inline CSS and inline SVG; it loads nothing and runs no script.
  - Secrets stay out - the report copies named result fields only, never module arguments, and
    a C(no_log) result contributes nothing but its step's name, timing and outcome.
  - Declare each server's pair with the inventory variable C(scada_pair) (as the collection's
    inventories do) and, optionally, its configured role with C(scada_configured_role)
    (V(primary) or V(standby)); System Platform nodes are grouped by C(scada_galaxy_group), and
    AppEngine pairs are the C(scada_engine_pairs) entries (without them, the engines one
    M(scada.redundancy.engine_redundancy) call reads together form a group).
requirements:
  - Enable it, for example in C(ansible.cfg) C([defaults] callbacks_enabled = scada.redundancy.run_report),
    or with C(ANSIBLE_CALLBACKS_ENABLED=scada.redundancy.run_report) (in AWX, as an environment
    variable of the job template or in the project's C(ansible.cfg)).
options:
  output_dir:
    description:
      - Folder on the controller for the reports (created when missing). Each run writes
        C(<playbook>-<UTC time>.json) and C(.html) there.
    type: path
    default: ./scada-redundancy-reports
    env:
      - name: SCADA_REDUNDANCY_REPORT_DIR
    ini:
      - section: scada_redundancy
        key: report_dir
  template:
    description:
      - A site's own Jinja2 template for the HTML page, instead of the collection's
        (C(plugins/plugin_utils/templates/run_report.html.j2), a starting point). It is rendered
        with autoescape and gets C(report) (the JSON report), C(sections) (the collection's
        escaped parts - C(cards), C(failures), C(summary), C(readiness), C(timelines),
        C(archives), C(steps)), C(style), C(definitions) and the helpers C(badge), C(when) and
        C(duration). A template that cannot be read or rendered is reported as a warning and the
        collection's page is written instead.
    type: path
    env:
      - name: SCADA_REDUNDANCY_REPORT_TEMPLATE
    ini:
      - section: scada_redundancy
        key: report_template
author:
  - scada.redundancy contributors (@scada-redundancy)
"""

import datetime
import json
import os

import jinja2

from ansible import context
from ansible.inventory.helpers import combine_vars, get_group_vars
from ansible.plugins.callback import CallbackBase
from ansible_collections.scada.redundancy.plugins.plugin_utils._report_html import render
from ansible_collections.scada.redundancy.plugins.plugin_utils._report_observe import Observations, censored
from ansible_collections.scada.redundancy.plugins.plugin_utils._report_timeline import (
    CONFIGURED_VAR, ENGINE_PAIRS_VAR, GALAXY_VAR, PAIR_VAR, build)
from ansible_collections.scada.redundancy.plugins.plugin_utils._steps import StepClock, StepHooks, in_start_order, listed

_MESSAGE_LIMIT = 600


def _plain(value):
    """A string the inventory gave as it is (not a template left for later), else None."""
    return value if isinstance(value, str) and value and "{{" not in value else None


def _engine_pairs(value):
    """The well-formed entries of a ``scada_engine_pairs`` list."""
    pairs = []
    for pair in value if isinstance(value, list) else []:
        if isinstance(pair, dict) and _plain(pair.get("primary")) and _plain(pair.get("backup")):
            pairs.append({k: str(pair[k]) for k in ("primary", "backup", "name") if _plain(pair.get(k))})
    return pairs


class CallbackModule(StepHooks, CallbackBase):
    """Collects steps and module results during the run and writes the report at its end."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "scada.redundancy.run_report"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clock = StepClock()
        self._started_utc = datetime.datetime.now(datetime.timezone.utc)
        self._steps = []
        self._observed = Observations()
        self._playbook = "playbook"
        self._inventory = None
        self._check_mode = False

    def v2_playbook_on_start(self, playbook):
        self._playbook = os.path.splitext(os.path.basename(playbook._file_name))[0]

    def v2_playbook_on_play_start(self, play):
        self._inventory = play.get_variable_manager()._inventory
        self._check_mode = self._check_mode or bool(play.check_mode or context.CLIARGS.get("check"))

    def _step_done(self, step, result):
        outcome = result._result
        if step["status"] in ("failed", "unreachable") and not censored(outcome) and outcome.get("msg"):
            step["message"] = str(outcome["msg"])[:_MESSAGE_LIMIT]
        self._observed.add(step, outcome)
        if listed(step):
            self._steps.append(step)

    def _host_vars(self, name):
        """What the inventory declares about a host for the timeline (host over groups)."""
        host = self._inventory.get_host(name) if self._inventory else None
        if host is None:
            return {}
        merged = combine_vars(get_group_vars(host.get_groups()), host.get_vars())
        declared = {k: _plain(merged.get(k)) for k in (PAIR_VAR, GALAXY_VAR, CONFIGURED_VAR) if _plain(merged.get(k))}
        declared[ENGINE_PAIRS_VAR] = _engine_pairs(merged.get(ENGINE_PAIRS_VAR))
        return declared

    def report(self, stats):
        """The run as one JSON-ready document."""
        end = self._clock.now()
        names = sorted(stats.processed)
        hosts = {name: stats.summarize(name) for name in names}
        host_vars = {name: self._host_vars(name) for name in
                     set(names) | {s["member"] for s in self._observed.states} |
                     {a["member"] for a in self._observed.activities}}
        failed = any(h["failures"] or h["unreachable"] for h in hosts.values())
        return {
            "schema": 1,
            "playbook": self._playbook,
            "started_utc": self._started_utc.isoformat(timespec="seconds"),
            "ended_utc": (self._started_utc + datetime.timedelta(seconds=end)).isoformat(timespec="seconds"),
            "wall_seconds": round(end, 3),
            "outcome": "failed" if failed else "succeeded",
            "check_mode": self._check_mode,
            "hosts": hosts,
            "steps": in_start_order(self._steps),
            "archives": self._observed.archives,
            "readiness": self._observed.readiness,
            "timeline": build(self._observed, end, host_vars),
            "summary": (getattr(stats, "custom", None) or {}).get("_run", {}),
        }

    def _page(self, report):
        """The HTML page from the site's template when one is set and renders, else the collection's."""
        template = self.get_option("template")
        if template:
            try:
                return render(report, os.path.abspath(os.path.expanduser(template)))
            except (OSError, jinja2.TemplateError) as error:
                self._display.warning(f"scada.redundancy.run_report: the template {template} could not be "
                                      f"rendered ({type(error).__name__}: {error}); the collection's page is written instead")
        return render(report)

    def v2_playbook_on_stats(self, stats):
        report = self.report(stats)
        folder = os.path.abspath(os.path.expanduser(self.get_option("output_dir")))
        stem = f"{report['playbook']}-{self._started_utc.strftime('%Y%m%dT%H%M%SZ')}"
        try:
            os.makedirs(folder, exist_ok=True)
            paths = {}
            for ext, text in (("json", json.dumps(report, indent=2, default=str)), ("html", self._page(report))):
                paths[ext] = os.path.join(folder, f"{stem}.{ext}")
                with open(paths[ext] + ".tmp", "w", encoding="utf-8") as handle:
                    handle.write(text)
                os.replace(paths[ext] + ".tmp", paths[ext])
        except OSError as error:
            self._display.warning(f"scada.redundancy.run_report: could not write the run report in {folder}: {error}")
            return
        self._display.banner("RUN REPORT")
        self._display.display(f"run report: {paths['html']}")
        self._display.display(f"run report (JSON): {paths['json']}")
