"""Archives on twin hosts, driven by the collection's own decision modules and transfer code
through agent verbs over ansible-core's winrm connection plugin (no network: winrs_harness).

These check what the playbook suites cannot reach: the restore's own refusal of PLS_Include
(the action plugin refuses first in a playbook), and the transfer code's resume and checksum
logic against the verbs' twin models.
"""

from __future__ import annotations

import hashlib
import os

import pytest

from ansible_collections.scada.redundancy.plugins.plugin_utils import _archive, _transfer
from ansible_collections.scada.redundancy.plugins.plugin_utils import _verbs as verbs
from ansible_collections.scada.redundancy.plugins.plugin_utils._failures import OperationFailed
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_backup import backup
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_restore import restore
from scada_twin.power_operation import wire
from support.po_hosts import host_data, make_hosts  # noqa: F401  (fixture)
from winrs_harness import AgentOn

ARCHIVE = "D:\\Backups\\b.ctz"


def _runner(host):
    return AgentOn(host).verbs


@pytest.fixture
def pair(make_hosts):
    a, b = make_hosts(host_data("po-a", 1, pair="p", configured_role="primary"),
                      host_data("po-b", 2, pair="p", configured_role="standby"))
    wire([a, b])
    b.power_operation.projects.apply_change("PlantProject", {"Big.ctg": os.urandom(400_000)})
    done = backup(AgentOn(b), {
        "archive_name": "b.ctz", "destination": "D:\\Backups", "include_projects": True,
        "subdirectories": True, "configuration_patterns": [], "project": "",
        "configuration_files": False, "command_template": [], "command_timeout": 600,
        "project_source": "folders"}, check=False)
    assert done["path"] == ARCHIVE
    return a, b


def _restore_params(**extra):
    return {"state": "restored", "archive": ARCHIVE, "project": "", "include_projects": None,
            "configuration_files": False, "keep_previous": True, "project_source": "folders",
            **extra}


@pytest.mark.parametrize("extra", [{"include_projects": ["PLS_Include"]}, {"project": "pls_include"}])
def test_the_host_refuses_pls_include_too(pair, extra):
    a, b = pair
    a.fs.write(ARCHIVE, b.fs.read(ARCHIVE))
    before = a.power_operation.projects.fingerprint("PLS_Include")
    with pytest.raises(OperationFailed) as failure:
        restore(AgentOn(a), _restore_params(**extra), check=False)
    assert failure.value.category == "protected"
    assert "is never overwritten by a restore; nothing was changed" in failure.value.msg
    assert a.power_operation.projects.fingerprint("PLS_Include") == before
    assert not a.timeline.events("po-a", "folder.swap")


def test_copy_between_hosts_resumes_a_matching_partial_and_proves_the_result(pair):
    a, b = pair
    data = b.fs.read(ARCHIVE)
    a.fs.write("D:\\In\\b.ctz.partial", data[:100_000])
    source = _transfer.RemoteFile(_runner(b), ARCHIVE, "po-b")
    destination = _transfer.RemoteFile(_runner(a), "D:\\In\\b.ctz", "po-a")
    lines = []
    done = _transfer.copy(source, destination, chunk_size=65536, validate=True, progress=lines.append)
    assert done.changed and done.resumed_from == 100_000 and done.bytes_sent == len(data) - 100_000
    assert a.fs.read("D:\\In\\b.ctz") == data and done.sha256 == hashlib.sha256(data).hexdigest()
    assert lines[-1] == f"copied {len(data):,} of {len(data):,} bytes to po-a"
    assert not _transfer.copy(source, destination).changed


def test_a_source_that_changes_during_the_copy_is_noticed(pair):
    a, b = pair
    run_b = _runner(b)

    def growing(step, calls, tolerate=()):
        answer = run_b(step, calls, tolerate)
        if any(call.verb == "file_read_range" for call in calls):
            b.fs.append(ARCHIVE, b"more")
        return answer

    with pytest.raises(_transfer.TransferError) as failure:
        _transfer.copy(_transfer.RemoteFile(growing, ARCHIVE, "po-b"),
                       _transfer.RemoteFile(_runner(a), "D:\\In\\b.ctz", "po-a"), chunk_size=65536)
    assert failure.value.category == "source_changed"


def test_a_chunk_damaged_on_the_way_is_not_kept(pair):
    a, _ = pair
    a.fs.mkdir("D:\\In")
    with pytest.raises(OperationFailed) as failure:
        _runner(a)("write", [verbs.file_append("D:\\In\\x.ctz.partial", 0, "YWJj", "0" * 64)])
    assert failure.value.category == "chunk_corrupt"
    assert not a.fs.exists("D:\\In\\x.ctz.partial")
    _runner(a)("write", [verbs.file_append("D:\\In\\x.ctz.partial", 0, "YWJj",
                                           hashlib.sha256(b"abc").hexdigest())])
    with pytest.raises(OperationFailed) as failure:  # a piece that does not continue the file
        _runner(a)("write", [verbs.file_append("D:\\In\\x.ctz.partial", 5, "YWJj",
                                               hashlib.sha256(b"abc").hexdigest())])
    assert failure.value.category == "offset_mismatch"
    assert a.fs.read("D:\\In\\x.ctz.partial") == b"abc"


def test_a_piece_damaged_on_the_way_fails_the_copy_and_no_file_takes_the_name(pair):
    a, b = pair
    a.faults.inject("po-a", "corrupt_transfer", count=1)
    with pytest.raises(OperationFailed) as failure:
        _transfer.copy(_transfer.RemoteFile(_runner(b), ARCHIVE, "po-b"),
                       _transfer.RemoteFile(_runner(a), "D:\\In\\b.ctz", "po-a"), chunk_size=65536)
    assert failure.value.category == "chunk_corrupt"
    assert not a.fs.exists("D:\\In\\b.ctz")


def test_fetch_to_the_controller_validates_there(pair, tmp_path):
    _, b = pair
    local = _transfer.LocalFile(str(tmp_path / "b.ctz"))
    done = _transfer.copy(_transfer.RemoteFile(_runner(b), ARCHIVE, "po-b"), local, chunk_size=65536,
                          validate=True)
    assert done.changed and _archive.verify_archive(tmp_path / "b.ctz").project == "PlantProject"
    (tmp_path / "b.ctz.partial").write_bytes(b"garbage")
    b.fs.write(ARCHIVE, b.fs.read(ARCHIVE)[:-50] + b"\0" * 50)
    with pytest.raises(_transfer.TransferError) as failure:
        _transfer.copy(_transfer.RemoteFile(_runner(b), ARCHIVE, "po-b"), local, validate=True)
    assert failure.value.category == "archive_invalid"
    assert not (tmp_path / "b.ctz.partial").exists()


def test_twin_archives_and_controller_checks_agree(pair, tmp_path):
    _, b = pair
    (tmp_path / "b.ctz").write_bytes(b.fs.read(ARCHIVE))
    manifest = _archive.verify_archive(tmp_path / "b.ctz")
    store = b.power_operation.projects
    assert manifest.fingerprints() == {n: store.fingerprint(n) for n in store.names()}
