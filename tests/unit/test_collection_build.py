"""The built collection ships exactly the collection, and its metadata stays consistent.

`ansible-galaxy collection build` applies galaxy.yml's build_ignore; these tests build the
real tarball and look inside, so a new development folder that nobody added to build_ignore
fails here instead of being shipped.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
GALAXY = yaml.safe_load((ROOT / "galaxy.yml").read_text(encoding="utf-8"))

# what a built collection may contain at its top level
SHIPPED_TOP_LEVEL = {
    "plugins", "roles", "playbooks", "inventories", "docs", "meta", "changelogs", "tests",
    "README.md", "LICENSE", "CHANGELOG.rst", "MANIFEST.json", "FILES.json",
    # an execution environment's Python and system packages (meta/execution-environment.yml)
    "requirements.txt", "bindep.txt",
}


@pytest.fixture(scope="module")
def built_members(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    out = tmp_path_factory.mktemp("dist")
    galaxy = Path(sys.executable).parent / "ansible-galaxy"
    result = subprocess.run(
        [str(galaxy), "collection", "build", "--force", "--output-path", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    tarball = out / f"{GALAXY['namespace']}-{GALAXY['name']}-{GALAXY['version']}.tar.gz"
    with tarfile.open(tarball) as tar:
        return [m.name.removeprefix("./") for m in tar.getmembers()]


def test_only_collection_content_is_shipped(built_members: list[str]) -> None:
    unexpected = sorted(m for m in built_members if m.split("/")[0] not in SHIPPED_TOP_LEVEL)
    assert not unexpected, f"add these to build_ignore in galaxy.yml: {unexpected}"


def test_only_sanity_ignores_ship_from_tests(built_members: list[str]) -> None:
    tests = sorted(m for m in built_members if m.startswith("tests/") and not m.startswith("tests/sanity"))
    assert not tests, f"add these to build_ignore in galaxy.yml: {tests}"


def test_required_files_are_shipped(built_members: list[str]) -> None:
    for required in ("README.md", "LICENSE", "meta/runtime.yml", "MANIFEST.json",
                     "changelogs/config.yaml", "changelogs/changelog.yaml",
                     "tests/sanity/ignore-2.21.txt", "meta/execution-environment.yml",
                     "requirements.txt", "bindep.txt"):
        assert required in built_members, required


def test_no_caches_are_shipped(built_members: list[str]) -> None:
    junk = [m for m in built_members
            if "__pycache__" in m.split("/") or m.endswith((".pyc", ".orig", ".rej", "~"))
            or ".pytest_cache" in m or ".egg-info" in m]
    assert not junk, junk


def test_action_group_lists_every_module() -> None:
    runtime = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text(encoding="utf-8"))
    group = runtime["action_groups"]["redundancy"]
    modules = sorted(p.stem for p in (ROOT / "plugins" / "modules").glob("*.py") if p.stem != "__init__")
    assert sorted(entry for entry in group if isinstance(entry, str)) == modules


def test_requires_ansible() -> None:
    runtime = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text(encoding="utf-8"))
    assert runtime["requires_ansible"] == ">=2.19.0"


@pytest.mark.parametrize("version", ["2.19", "2.20", "2.21"])
def test_sanity_ignore_files_stay_empty(version: str) -> None:
    path = ROOT / "tests" / "sanity" / f"ignore-{version}.txt"
    assert path.read_text(encoding="utf-8").strip() == "", (
        f"{path.name} must stay empty: fix the sanity finding instead of ignoring it"
    )
