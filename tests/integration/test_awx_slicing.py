"""AWX job slicing against the pairs and galaxies: AWX gives slice k of n the hosts
``sorted(names)[k-1::n]`` and trims every group to them (tests/support/awx_slicing.py, from
AWX's source), so consecutive hosts - the two servers of a pair - never share a slice. No
inventory naming keeps every pair whole for every slice count; a sliced run must therefore
stop before any change and say why, and the supported way to spread pairs over execution
nodes is a workflow of one job per pair (docs/awx.md)."""

from __future__ import annotations

import json

import pytest

from support.ansible_run import ROOT, run_playbook
from support.awx_slicing import sliced_hosts, write_slice_inventory
from support.lab import READS, credentials, full_lab_inventory, lab_spec

pytestmark = pytest.mark.timeout(600)


def test_awx_slicing_splits_every_pair_named_side_by_side():
    pairs = [(f"po-{i:03}-a", f"po-{i:03}-b") for i in range(1, 41)]
    names = [name for pair in pairs for name in pair]
    for count in range(2, 9):
        slices = {name: number for number in range(1, count + 1) for name in sliced_hosts(names, number, count)}
        assert sorted(slices) == sorted(names)  # every host in exactly one slice
        assert all(slices[a] != slices[b] for a, b in pairs), count


@pytest.mark.parametrize("number", [1, 2])
def test_a_sliced_update_of_the_lab_stops_before_any_change_and_says_why(make_plant, tmp_path, number):
    plant = make_plant(lab_spec(time_scale=0.1))
    inventory = write_slice_inventory(full_lab_inventory(plant, tmp_path), number, 2, tmp_path)
    archive = tmp_path / "change.ctz"
    archive.write_bytes(b"PK")
    plant.timeline.record("test", "test.start")
    start = plant.timeline.events(kind="test.start")[0].seq
    said = {}
    for product in ("power_operation", "system_platform"):
        run = run_playbook(ROOT / "playbooks" / "redundant_update.yml", inventory, tmp_path, *credentials(),
                           "--tags", product,
                           "-e", json.dumps({"power_operation_update_change_archive": str(archive),
                                             "power_operation_update_backup_dir": str(tmp_path / "backups"),
                                             "system_platform_upgrade_backup_dir": str(tmp_path / "backups")}))
        assert run.rc != 0, run.output[-3000:]
        said[product] = " ".join(str(item.get("msg", "")) for r in run.results if r["status"] == "failed"
                                 for item in r["result"].get("results") or [r["result"]])
    kinds = {e.kind for e in plant.timeline.events() if e.seq > start and e.host != "test"}
    assert kinds <= READS, kinds - READS
    assert not (tmp_path / "backups").exists()
    assert "An AWX job slice keeps only some hosts of each group" in said["power_operation"]
    if number == 1:  # ews, po-b, sp-b: one server of the pair, a node without its GR
        assert "is not a node of the group" in said["system_platform"]
    else:  # po-a, sp-a, sp-gr: the other server, and a galaxy without sp-b's platform
        assert "platform P2 of galaxy PlantGalaxy has no node in this run" in said["system_platform"]


def test_a_limit_to_one_server_of_a_pair_stops_before_any_change(make_plant, tmp_path):
    plant = make_plant(lab_spec(time_scale=0.1))
    inventory = full_lab_inventory(plant, tmp_path)
    archive = tmp_path / "change.ctz"
    archive.write_bytes(b"PK")
    run = run_playbook(ROOT / "playbooks" / "redundant_update.yml", inventory, tmp_path, *credentials(),
                       "--tags", "power_operation", "--limit", "po-a",
                       "-e", json.dumps({"power_operation_update_change_archive": str(archive),
                                         "power_operation_update_backup_dir": str(tmp_path / "backups")}))
    assert run.rc != 0
    assert "whose server(s) po-b are not in this run (--limit)" in run.output.replace("\n", " ")
    assert not (tmp_path / "backups").exists()
