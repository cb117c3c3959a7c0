"""ansible-core's own winrm connection plugin against the twin, over the real wire.

No scada.redundancy code is involved here: this proves the twin answers a client nobody here
wrote exactly as a Windows server would, for commands and for file transfer.
"""

from __future__ import annotations

import hashlib
import os
import pathlib

import pytest
from ansible.errors import AnsibleConnectionFailure, AnsibleError
from ansible.playbook.play_context import PlayContext
from ansible.plugins.loader import connection_loader

from support.ansible_run import run_playbook
from support.plants import PASSWORD, USER


def _connect(host, password: str = PASSWORD, scheme: str = "http", **options):
    connection = connection_loader.get("winrm", PlayContext(), None)
    port = host.spec.http_port if scheme == "http" else host.spec.https_port
    # pywinrm arguments the plugin does not declare travel as "extras", as the task
    # executor passes them from inventory variables.
    extras = {"ansible_winrm_message_encryption": "always", **options}
    connection.set_options(var_options={
        "ansible_host": host.address, "ansible_port": port, "ansible_user": USER,
        "ansible_password": password, "ansible_winrm_transport": "ntlm",
        "ansible_winrm_scheme": scheme, "_extras": extras,
    })
    return connection


@pytest.fixture
def connection(plant):
    conn = _connect(plant.hosts["po-a"])
    yield conn
    conn.close()


def test_put_then_fetch_a_multi_megabyte_file_keeps_its_sha1(plant, connection, tmp_path):
    payload = os.urandom(5 * 1024 * 1024 + 12345)
    source = tmp_path / "archive.ctz"
    source.write_bytes(payload)
    remote = "D:\\Backups\\archive.ctz"
    plant.hosts["po-a"].fs.mkdir("D:\\Backups")

    connection.put_file(str(source), remote)  # ansible checks the remote sha1 itself
    assert plant.hosts["po-a"].fs.read(remote) == payload

    target = tmp_path / "fetched.ctz"
    connection.fetch_file(remote, str(target))
    assert hashlib.sha1(target.read_bytes()).hexdigest() == hashlib.sha1(payload).hexdigest()
    transfers = plant.timeline.events(host="po-a")
    assert [e.kind for e in transfers if e.kind.startswith("ansible.")].count("ansible.fetch_file") >= 11


def test_exec_command_runs_a_batch_of_agent_verbs(plant, connection):
    from ansible_collections.scada.redundancy.plugins.plugin_utils import _agent, _verbs

    facts, volume = _agent.run_verbs(connection, "test", [_verbs.host_facts(), _verbs.volume_get("D:")])
    assert facts["computer_name"] == "PO-A"
    assert volume["exists"] is True


def test_exec_command_hashes_a_host_file(plant, connection):
    from ansible_collections.scada.redundancy.plugins.plugin_utils import _agent, _verbs

    plant.hosts["po-a"].fs.mkdir("D:\\Backups")
    plant.hosts["po-a"].fs.write("D:\\Backups\\probe.bin", b"probe")
    whole, prefix = _agent.run_verbs(connection, "test", [_verbs.file_hash("D:\\Backups\\probe.bin"),
                                                          _verbs.file_hash("D:\\Backups\\probe.bin", 2)])
    assert whole["exists"] is True and whole["size"] == 5
    assert whole["sha256"] == hashlib.sha256(b"probe").hexdigest()
    assert (prefix["hashed"], prefix["sha256"]) == (2, hashlib.sha256(b"pr").hexdigest())


def test_https_with_the_twin_ca(plant):
    conn = _connect(plant.hosts["po-b"], scheme="https",
                    ansible_winrm_ca_trust_path=str(plant.ca_cert_path))
    try:
        rc, stdout, dummy = conn.exec_command(
            "PowerShell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand "
            + _encoded("Write-Output 'no such script'"))
    finally:
        conn.close()
    assert rc == 1 and stdout == b""


def test_unknown_command_is_refused_with_its_name(plant, connection):
    rc, dummy, stderr = connection.exec_command("ipconfig /all")
    assert rc == 1
    assert b"unsupported" in stderr


def test_wrong_password_is_an_authentication_failure(plant):
    with pytest.raises(AnsibleConnectionFailure, match="credentials were rejected"):
        _connect(plant.hosts["po-a"], password="wrong")._connect()


def test_host_down_is_a_connection_failure(plant):
    plant.inject("po-a", "down")
    with pytest.raises(AnsibleError):
        _connect(plant.hosts["po-a"])._connect()


def test_raw_task_names_the_unsupported_command(plant, plant_inventory, tmp_path):
    playbook = tmp_path / "raw.yml"
    playbook.write_text("- hosts: po-a\n  gather_facts: false\n  tasks:\n"
                        "    - name: raw\n      ansible.builtin.raw: ipconfig /all\n")
    run = run_playbook(playbook, plant_inventory, tmp_path)
    record = run.task("raw", "po-a")
    assert record["status"] == "failed"
    assert "ipconfig" in record["result"]["stderr"]
    assert "not supported" in record["result"]["stderr"] or "unsupported" in record["result"]["stderr"]


def _encoded(script: str) -> str:
    import base64

    return base64.b64encode(script.encode("utf-16-le")).decode()
