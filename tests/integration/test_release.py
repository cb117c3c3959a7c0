"""The release artifact works on its own: built, installed into an empty collections path,
documented by ansible-doc and running the demo play, with nothing of the working tree in reach.

Every command here runs with ANSIBLE_COLLECTIONS_PATH naming only the install directory, so a
file that the tarball leaves out (build_ignore) or a plugin whose documentation does not load
fails here as it would for a user who installed the collection from Galaxy.
"""

from __future__ import annotations

import importlib
import os
import pathlib
import re
import subprocess
import sys

import pytest
import yaml

from support.ansible_run import ROOT, run_playbook
from support.lab import lab_inventory, lab_spec

BIN = pathlib.Path(sys.executable).parent
GALAXY = yaml.safe_load((ROOT / "galaxy.yml").read_text(encoding="utf-8"))
FQCN = f"{GALAXY['namespace']}.{GALAXY['name']}"
# ansible-core 2.21 warns about its own internal collection when listing roles: not ours
FOREIGN_WARNING = re.compile(r"^\[WARNING\]: Collection at '.*/ansible/_internal/.*$", re.MULTILINE)


def _installed_env(collections: pathlib.Path) -> dict[str, str]:
    return {**os.environ, "ANSIBLE_COLLECTIONS_PATH": str(collections), "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_FORCE_COLOR": "0", "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false"}


def _run(collections: pathlib.Path, *command: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(BIN / command[0]), *command[1:]], env=_installed_env(collections),
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """The collection as a user gets it: the built tarball installed into an empty path."""
    work = tmp_path_factory.mktemp("release")
    collections = work / "collections"
    _run(collections, "ansible-galaxy", "collection", "build", "--output-path", str(work), str(ROOT))
    tarball = work / f"{GALAXY['namespace']}-{GALAXY['name']}-{GALAXY['version']}.tar.gz"
    _run(collections, "ansible-galaxy", "collection", "install", "--offline", "-p", str(collections),
         str(tarball))
    return collections


def _source_plugins() -> dict[str, list[str]]:
    """What the working tree defines, per plugin type: ansible-doc must render each of these."""
    def stems(kind: str) -> list[str]:
        return [p.stem for p in (ROOT / "plugins" / kind).glob("*.py") if p.stem != "__init__"]

    filters = []
    for path in (ROOT / "plugins" / "filter").glob("*.py"):
        module = importlib.import_module(f"ansible_collections.scada.redundancy.plugins.filter.{path.stem}")
        filters.extend(module.FilterModule().filters())
    return {"module": stems("modules"), "lookup": stems("lookup"), "callback": stems("callback"),
            "filter": filters}


def test_the_installed_copy_is_the_only_one_in_reach(installed: pathlib.Path) -> None:
    listed = _run(installed, "ansible-galaxy", "collection", "list", FQCN, "--format", "yaml").stdout
    locations = list(yaml.safe_load(listed))
    assert locations == [str(installed / "ansible_collections")], listed
    assert not (installed / "ansible_collections" / "scada" / "redundancy").is_symlink()


@pytest.mark.parametrize("kind", ["module", "filter", "lookup", "callback"])
def test_ansible_doc_renders_every_plugin(installed: pathlib.Path, kind: str) -> None:
    names = sorted(_source_plugins()[kind])
    assert names, f"no {kind} plugins found in the working tree"
    listed = _run(installed, "ansible-doc", "-t", kind, "-l", FQCN, "--json").stdout
    assert sorted(name.removeprefix(f"{FQCN}.") for name in yaml.safe_load(listed)) == names

    rendered = _run(installed, "ansible-doc", "-t", kind, *(f"{FQCN}.{n}" for n in names))
    assert not FOREIGN_WARNING.sub("", rendered.stderr).strip(), rendered.stderr
    headers = re.findall(rf"^> {kind.upper()} \*?{re.escape(FQCN)}\.(\w+)\*? \((.*)\)$", rendered.stdout, re.MULTILINE)
    assert sorted(name for name, dummy in headers) == names, rendered.stdout[:2000]
    for name, source in headers:
        assert source.startswith(str(installed)), f"{name} was documented from {source}"
    assert "UNDOCUMENTED" not in rendered.stdout


def test_ansible_doc_renders_every_role(installed: pathlib.Path) -> None:
    roles = sorted(p.name for p in (ROOT / "roles").iterdir() if (p / "tasks").is_dir())
    assert roles
    for role in roles:
        rendered = _run(installed, "ansible-doc", "-t", "role", f"{FQCN}.{role}")
        assert rendered.stdout.strip(), f"ansible-doc shows nothing for role {role}: it needs meta/argument_specs.yml"
        assert not FOREIGN_WARNING.sub("", rendered.stderr).strip(), rendered.stderr
        assert re.search(rf"^> ROLE: \*?{re.escape(FQCN)}\.{role}\*? \({re.escape(str(installed))}/",
                         rendered.stdout, re.MULTILINE), rendered.stdout[:2000]
        assert re.search(r"^ENTRY POINT: \*?main\b", rendered.stdout, re.MULTILINE), rendered.stdout[:2000]


def test_the_demo_play_runs_from_the_installed_copy(installed: pathlib.Path, make_plant, tmp_path) -> None:
    plant = make_plant(lab_spec())
    inventory = lab_inventory(plant, tmp_path / "inventory.yml")
    env = {"ANSIBLE_COLLECTIONS_PATH": str(installed), "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false"}
    taken = run_playbook(f"{FQCN}.change_from_workstation", inventory, tmp_path,
                         "-e", f"change_dir={tmp_path / 'change'}", env=env)
    assert taken.rc == 0, taken.output
    change = next((tmp_path / "change").glob("*.ctz"))

    run = run_playbook(f"{FQCN}.redundant_update", inventory, tmp_path,
                       "-e", f"power_operation_update_change_archive={change}",
                       "-e", f"power_operation_update_backup_dir={tmp_path / 'backups'}", env=env)
    assert run.rc == 0, run.output
    assert [e for e in plant.timeline.events() if e.kind == "folder.swap"], "the update changed nothing"
    assert plant.availability()["lab"]["gap_seconds"] == 0
