"""``make bench`` in miniature (``tools/bench/run.py --smoke``): every benchmark runs end to
end against the twin and writes its JSON and markdown; the invariants that hold at any time
scale are checked (copies verified, bounded controller memory, counted round trips)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from support.ansible_run import ROOT

pytestmark = pytest.mark.timeout(180)


def test_the_benchmarks_run_and_report(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "bench" / "run.py"), "--smoke",
                           "--out", str(tmp_path)], capture_output=True, text=True, timeout=170, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text())
    table = (tmp_path / "results.md").read_text()
    for heading in ("1. Backup transfer", "2. Orchestration overhead", "3. Fleet", "4. WinRM round trips"):
        assert heading in table

    copy = results["transfer"][0]
    assert copy["archive_copy"]["median_peak_pss_mib"] < 200
    assert copy["archive_copy"]["runs"][0]["powershell_processes"] < copy["ansible_fetch_put"]["runs"][0]["powershell_processes"]

    update = results["orchestration"]
    assert update["median_modelled_critical_path_seconds"] > 0 and update["median_overhead_ratio"] > 1
    # the pair is not redundant for a while, and longer than the vendor work inside that window
    assert update["median_redundancy_window_seconds"] > update["median_redundancy_window_modelled_minimum_seconds"] > 0
    assert "Time without redundancy" in table
    rows = {row["module"]: row for row in update["roundtrips"]}
    assert {"project_backup", "project_compile", "runtime", "archive_copy"} <= set(rows)
    # A compile of many modelled seconds is waited on in its own PowerShell, never by pollers:
    # the install with the projects (po_info showed the install earlier in the run), then the
    # compile with its record and its marker; whatever the compile's length.
    assert rows["project_compile"]["powershell_processes"]["max"] == 2
    # Reading and then changing: two PowerShells (the install remembered from po_info).
    for module in ("project_backup", "project_restore", "po_setup", "project_compile"):
        assert rows[module]["powershell_processes"]["median"] <= 2, rows[module]
    assert all(row["http_requests"]["median"] >= row["wsman.Command"]["median"] >= 1 for row in rows.values())
    assert "secret" not in table.lower() and "Bench-Only-Passw0rd" not in json.dumps(results)
