"""Run the GRAccess helper under mono against the fake GRAccess, with state from the twin.

The helper is compiled against the compile-time stub (as `make grhelper-check` does); the
fake assembly of the same name (stub + FakeGRAccess.cs, -define:GRACCESS_FAKE) sits next to
the executable, so mono loads it instead. The fake answers from a JSON state file written
from a twin galaxy (:func:`state_from_galaxy`) and logs every call; :func:`replay` applies
the logged changes to the twin's model, which holds the real rules.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, Iterable

from scada_twin.system_platform import Galaxy, Operation, states

ROOT = Path(__file__).resolve().parents[2]
HELPER = ROOT / "plugins" / "plugin_utils" / "grhelper" / "GRHelper.cs"
STUB = ROOT / "tests" / "grstub" / "ArchestrA.GRAccess.cs"
FAKE = ROOT / "tests" / "grstub" / "FakeGRAccess.cs"
MCS = shutil.which("mcs")
MONO = shutil.which("mono")
TEMPLATES = {"platform": "$WinPlatform", "engine": "$AppEngine", "object": "$UserDefined"}


def _mcs(*args: str | Path) -> None:
    result = subprocess.run([MCS, "-nologo", "-langversion:5", "-warnaserror",  # type: ignore[list-item]
                             *map(str, args)], capture_output=True, text=True, timeout=300,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def build(work: Path) -> Path:
    """Compile the helper against the stub and put it next to the fake; the exe's path."""
    stub_dir, run_dir = work / "stub", work / "run"
    stub_dir.mkdir(parents=True)
    run_dir.mkdir(parents=True)
    _mcs("-target:library", f"-out:{stub_dir / 'ArchestrA.GRAccess.dll'}", STUB)
    _mcs("-platform:x86", "-target:exe", f"-r:{stub_dir / 'ArchestrA.GRAccess.dll'}",
         "-r:System.Web.Extensions", f"-out:{run_dir / 'GRHelper.exe'}", HELPER)
    _mcs("-define:GRACCESS_FAKE", "-target:library", "-r:System.Web.Extensions",
         f"-out:{run_dir / 'ArchestrA.GRAccess.dll'}", STUB, FAKE)
    return run_dir / "GRHelper.exe"


def version_number(version: str) -> int:
    """An integer for ``IGalaxy.VersionNumber`` (its real encoding is not documented)."""
    fields = (list(states.parse_version(version)) + [0, 0, 0])[:3]
    return fields[0] * 1_000_000 + fields[1] * 1_000 + fields[2]


def state_from_galaxy(galaxy: Galaxy, users: dict[str, str] | None = None,
                      failures: Iterable[dict[str, Any]] = ()) -> dict[str, Any]:
    """The fake's state file for ``galaxy`` as its GR node sees it now."""
    snapshot = galaxy.snapshot()
    objects = []
    for kind, items in (("platform", snapshot["platforms"]), ("engine", snapshot["engines"]),
                        ("object", snapshot["objects"])):
        for item in items:
            objects.append({"tagname": item["name"], "host": item.get("host", ""),
                            "templates": [TEMPLATES[kind]],
                            "deployment_status": item["deployment_status"],
                            "runtime_changes": item.get("runtime_changes", 0)})
    return {"node": galaxy.gr_node.host.spec.computer_name, "galaxies": [{
        "name": galaxy.name, "version_string": galaxy.version,
        "version_number": version_number(galaxy.version),
        "upgrade_required": galaxy.upgrade_required,
        "target_version": galaxy.gr_node.software_version,
        "users": users, "objects": objects, "failures": list(failures)}]}


class Runner:
    """Runs the helper with one state file and one call log per test."""

    def __init__(self, exe: Path, work: Path) -> None:
        self.exe = exe
        self.state = work / "state.json"
        self.log = work / "calls.jsonl"

    def write_state(self, state: dict[str, Any]) -> None:
        self.state.write_text(json.dumps(state), encoding="utf-8")
        self.log.write_text("", encoding="utf-8")

    def run(self, request: dict[str, Any] | str) -> tuple[int, dict[str, Any], str]:
        """(exit code, the JSON document, stdout text)."""
        text = request if isinstance(request, str) else json.dumps(request)
        env = {**os.environ, "GRSTUB_STATE": str(self.state), "GRSTUB_LOG": str(self.log)}
        result = subprocess.run([MONO, str(self.exe)], input=text.encode("utf-8"),  # type: ignore[list-item]
                                capture_output=True, env=env, timeout=120, check=False)
        stdout = result.stdout.decode("utf-8")
        assert stdout.count("\n") == 1, (stdout, result.stderr.decode())
        return result.returncode, json.loads(stdout), stdout

    def calls(self, *names: str) -> list[dict[str, Any]]:
        lines = self.log.read_text(encoding="utf-8").splitlines()
        entries = [json.loads(line) for line in lines if line.strip()]
        return [e for e in entries if not names or e["call"] in names]


def replay(galaxy: Galaxy, calls: list[dict[str, Any]], timeout: float) -> list[Operation]:
    """Apply the helper's changing calls to the twin's model, in order; their operations."""
    ops = []
    for call in calls:
        args = call["args"]
        if call["call"] == "Deploy":
            op = galaxy.deploy([call["object"]], cascade=args["cascade"] == "doCascade",
                               action=args["action"])
        elif call["call"] == "Undeploy":
            op = galaxy.undeploy([call["object"]], cascade=args["cascade"] == "doCascade",
                                 mark_as_undeployed_on_failure=args[
                                     "mark_as_undeployed_on_failure"])
        elif call["call"] == "Upload":
            op = galaxy.upload([call["object"]])
        elif call["call"] == "MigrateGalaxy":
            op = galaxy.migrate()
        elif call["call"] == "Backup":
            op = galaxy.backup(args["path"])
        else:
            continue
        assert op.wait(timeout), f"{op.kind} did not finish"
        ops.append(op)
    return ops
