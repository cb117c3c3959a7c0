"""execution-environment.yml makes a build context holding this collection and what it needs.

`ansible-builder create` runs here as `make ee-context` runs it (building the image needs a
container engine, which this machine lacks); ansible-builder's own introspection then reads the
installed collection the way the image build does, so the EE gets pywinrm with its Kerberos and
CredSSP transports and the Kerberos system packages.
"""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sys
import tarfile

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(sys.executable).parent
EE_FILE = ROOT / "execution-environment.yml"
EE = yaml.safe_load(EE_FILE.read_text(encoding="utf-8"))
GALAXY = yaml.safe_load((ROOT / "galaxy.yml").read_text(encoding="utf-8"))


def _run(*command: str, collections: pathlib.Path | None = None) -> str:
    # ansible-galaxy skips an install when a configured path (make's build/collections) has it
    env = {**os.environ, "ANSIBLE_NOCOLOR": "1"}
    if collections:
        env["ANSIBLE_COLLECTIONS_PATH"] = str(collections)
    done = subprocess.run([str(BIN / command[0]), *command[1:]], capture_output=True, text=True,
                          timeout=120, check=False, env=env)
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def tarball(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    out = tmp_path_factory.mktemp("dist")
    _run("ansible-galaxy", "collection", "build", "--output-path", str(out), str(ROOT))
    return out / f"{GALAXY['namespace']}-{GALAXY['name']}-{GALAXY['version']}.tar.gz"


@pytest.fixture(scope="module")
def context(tarball: pathlib.Path, tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """The build context, made from a copy of the EE file with the tarball where make puts it."""
    work = tmp_path_factory.mktemp("ee")
    shutil.copy(EE_FILE, work / EE_FILE.name)
    for entry in EE["additional_build_files"]:
        (work / entry["src"]).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(tarball, work / entry["src"])
    _run("ansible-builder", "create", "-f", str(work / EE_FILE.name), "-c", str(work / "context"),
         "--output-filename", "Containerfile")
    return work / "context"


def test_the_context_installs_this_collection(context: pathlib.Path) -> None:
    collections = yaml.safe_load((context / "_build" / "requirements.yml").read_text())["collections"]
    assert len(collections) == 1 and collections[0]["type"] == "file"
    # the Containerfile copies _build/ to /build/: the requirement must name the copied tarball
    assert "COPY _build /build" in (context / "Containerfile").read_text()
    in_context = context / "_build" / pathlib.Path(collections[0]["name"]).relative_to("/build")
    with tarfile.open(in_context) as tar:
        manifest = yaml.safe_load(tar.extractfile("MANIFEST.json"))["collection_info"]
    assert (manifest["namespace"], manifest["name"], manifest["version"]) == \
        (GALAXY["namespace"], GALAXY["name"], GALAXY["version"])


def test_the_ee_runs_the_ansible_core_we_test_with() -> None:
    pin = EE["dependencies"]["ansible_core"]["package_pip"]
    tested = re.search(r"^ansible-core==\S+$", (ROOT / "requirements" / "dev.txt").read_text(), re.MULTILINE)
    assert pin == tested.group(0), "pin the EE's ansible-core to the one requirements/dev.txt tests"


def test_introspection_finds_the_winrm_transports(tarball: pathlib.Path, tmp_path: pathlib.Path) -> None:
    _run("ansible-galaxy", "collection", "install", "--offline", "-p", str(tmp_path), str(tarball),
         collections=tmp_path)
    assert (tmp_path / "ansible_collections" / "scada" / "redundancy" / "MANIFEST.json").is_file()
    report = _run("ansible-builder", "introspect", "--sanitize", str(tmp_path))
    found = yaml.safe_load(report.split("\n", 1)[1])
    pywinrm = [r for r in found["python"] if r.startswith("pywinrm[")]
    assert pywinrm, report
    extras = set(re.match(r"pywinrm\[([^\]]*)\]", pywinrm[0]).group(1).split(","))
    assert {"kerberos", "credssp"} <= extras, pywinrm
    system = [r.split()[0] for r in found["system"] if "platform:rpm" in r and "compile" not in r]
    assert {"krb5-libs", "krb5-workstation"} <= set(system), found["system"]
