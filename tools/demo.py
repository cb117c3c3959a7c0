"""``make demo``: the whole redundant update of the lab pair, rehearsed on the twin.

1. Start the lab plant (inventories/lab/twin-plant.yml): Power Operation servers po-a
   (configured primary) and po-b (standby), the engineering workstation ews where the change
   was made, and a System Platform galaxy: GR node sp-gr, E1 active on sp-a, E1b standby on
   sp-b, on 2023.
2. Take the change from the workstation: its project backup, fetched to the controller.
3. Run playbooks/redundant_update.yml with that archive, with the step timings callback: the
   Power Operation pair standby first, then the galaxy to 2023 R2 SP1 (GR, sp-b, sp-a).
4. Audit the plant read-only (playbooks/audit.yml): both servers of the pair side by side and
   the galaxy, which must show no drift after the update.
5. Summarise (the run report callback also writes a JSON report and an HTML page for the
   change board under build/demo/reports/): the steps with their durations (printed by the callback), the backups taken
   with their SHA-256, the Power Operation pair's availability as the twin measured it (the
   gap, in which neither server ran its I/O Server, must be zero), the time the pair ran
   without redundancy (from the standby's restart until both run the new project), and for each engine pair
   its failovers (exactly one) and its measured downtime.
The plant is stopped at the end whatever happened.
"""

from __future__ import annotations

import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import sys

from devenv import ROOT, collection_path

SPEC = ROOT / "inventories" / "lab" / "twin-plant.yml"
INVENTORY = ROOT / "inventories" / "lab" / "hosts.yml"
WORK = ROOT / "build" / "demo"
BIN = pathlib.Path(sys.executable).parent


def twin(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "scada_twin", *args, "--state-dir", str(WORK / "twin")],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"scada-twin {args[0]} failed: {done.stderr.strip()}")
    return done.stdout


def playbook(name: str, *extra: str, env: dict[str, str]) -> int:
    command = [str(BIN / "ansible-playbook"), "-i", str(INVENTORY),
               str(ROOT / "playbooks" / name), *extra, *sys.argv[1:]]
    return subprocess.run(command, env=env, check=False).returncode


def summarise(env_timings: pathlib.Path) -> bool:
    print("\n== Backups taken before the change (on the controller)")
    for path in sorted([*(WORK / "backups").rglob("*.ctz"), *(WORK / "backups").rglob("*.cab")]):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        print(f"  {path.relative_to(WORK)}  {path.stat().st_size:,} bytes  sha256 {digest}")
    if env_timings.exists():
        timings = json.loads(env_timings.read_text())
        print(f"\n== {len(timings['steps'])} steps in {timings['wall_seconds']:.1f}s "
              f"(the table above; JSON in {env_timings.relative_to(ROOT)})")
    print("\n== Pair availability, as the twin measured it")
    ok = True
    for pair, report in json.loads(twin("availability")).items():
        handovers = ", ".join(f"{h['active']} active at {h['time']:.1f}s" for h in report["handovers"])
        print(f"  {pair}: gap {report['gap_seconds']:.3f}s "
              f"({report['modelled_gap_seconds']:.1f} modelled seconds) in "
              f"{len(report['gaps'])} interval(s); handovers: {handovers or 'none'}")
        ok = ok and report["gap_seconds"] == 0
    print("  zero gap: the plant was supervised throughout" if ok else "  GAP: the plant was unsupervised")
    print("\n== Time without redundancy (both servers running every process with the same project)")
    for pair, report in json.loads(twin("redundancy")).items():
        print(f"  {pair}: {report['seconds']:.1f}s ({report['modelled_seconds']:.1f} modelled seconds) in "
              f"{len(report['windows'])} window(s); redundant now: {'yes' if report['redundant_now'] else 'NO'}")
        ok = ok and report["redundant_now"]
    return summarise_galaxies() and ok


def summarise_galaxies() -> bool:
    """Each engine pair's failovers (the procedure's promise: exactly one) and downtime."""
    ok = True
    for name, galaxy in json.loads(twin("galaxies")).items():
        versions = sorted({p["software_version"] for p in galaxy["platforms"]})
        print(f"\n== Galaxy {name}: version {galaxy['version']}, nodes at {', '.join(versions)}")
        for pair, report in galaxy["pairs"].items():
            statuses = ", ".join(f"{e} {s}" for e, s in report["statuses"].items())
            print(f"  pair {pair}: {report['failovers']} failover(s); downtime "
                  f"{report['downtime_seconds']:.2f}s ({report['modelled_downtime_seconds']:.1f} modelled "
                  f"seconds) in {len(report['downtime'])} interval(s); without redundancy "
                  f"{report['without_redundancy_seconds']:.1f}s ({report['modelled_without_redundancy_seconds']:.1f} "
                  f"modelled seconds); now {statuses}")
            ok = ok and report["failovers"] == 1
    print("  one failover per pair, as the vendor procedure promises" if ok
          else "  NOT one failover per pair")
    for page in sorted((WORK / "reports").glob("redundant_update-*.html")):
        print(f"\n== Run report for the change board: {page.relative_to(ROOT)} (and .json)")
    return ok


def main() -> int:
    shutil.rmtree(WORK, ignore_errors=True)
    timings = WORK / "timings.json"
    env = {**os.environ, "ANSIBLE_COLLECTIONS_PATH": str(collection_path()),
           "ANSIBLE_CALLBACKS_ENABLED": "scada.redundancy.step_timings,scada.redundancy.run_report",
           "SCADA_REDUNDANCY_REPORT_DIR": str(WORK / "reports"),
           "SCADA_REDUNDANCY_TIMINGS_FILE": str(timings),
           "ANSIBLE_NOCOLOR": os.environ.get("ANSIBLE_NOCOLOR", "1")}
    info = json.loads(twin("start", str(SPEC)))
    print(f"twin plant 'lab' running: {', '.join(f'{n} at {a}' for n, a in info['hosts'].items())}")
    try:
        rc = playbook("change_from_workstation.yml", "-e", f"change_dir={WORK / 'change'}", env=env)
        if rc == 0:
            change = next((WORK / "change").glob("*.ctz"))
            rc = playbook("redundant_update.yml", "-e", f"power_operation_update_change_archive={change}",
                          "-e", f"power_operation_update_backup_dir={WORK / 'backups'}",
                          "-e", f"system_platform_upgrade_backup_dir={WORK / 'backups'}", env=env)
        if rc == 0:
            print("\n== Consistency audit of the lab plant after the update (read-only)")
            rc = playbook("audit.yml", "-e", f"consistency_audit_backup_dir={WORK / 'backups'}",
                          "-e", f"consistency_audit_output_dir={WORK / 'reports'}",
                          env={**env, "SCADA_REDUNDANCY_TIMINGS_FILE": str(WORK / "audit-timings.json")})
            for page in sorted((WORK / "reports").glob("consistency-audit-*.html"))[-1:]:
                print(f"   audit page: {page.relative_to(ROOT)} (and .json)")
        ok = summarise(timings)
    finally:
        twin("stop")
    return rc or (0 if ok else 1)


if __name__ == "__main__":
    sys.exit(main())
