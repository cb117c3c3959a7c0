"""ansible-core's file transfer against the twin's simulated file system.

2.21 runs through its real winrm connection plugin (put_file/fetch_file, with ``_winrm_exec``
routed to the host); 2.19's wrapper text and 2.18's inline scripts are rebuilt from the
verbatim copies in data/.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time

import pytest
from ansible._internal._powershell import _script
from ansible.errors import AnsibleError
from ansible.executor.powershell.module_manifest import _bootstrap_powershell_script

from scada_twin.shell import ansible_transfer

from winrs_harness import (FETCH_BUFFER, USER, bootstrap_wrapper_2_19, encode_script_2_19,
                           fetch_2_18, make_host, payload_stdin, powershell_shell,
                           put_command_2_18, put_stdin, put_stdin_2_18, run, winrm_connection)

FOLDER = "D:\\Transfer"
# Seven full fetch chunks and a short one; above the put buffer's flush size, too.
BIG = 7 * FETCH_BUFFER + 12345


@pytest.fixture
def host():
    host = make_host()
    host.fs.mkdir(FOLDER)
    return host


@pytest.fixture
def big_file(tmp_path):
    path = tmp_path / "big.bin"
    path.write_bytes(os.urandom(BIG))
    return path


def _sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def _manifest_command_2_21(name: str, params: dict, has_input: bool = False):
    script, stdin = _bootstrap_powershell_script(name, params, has_input=has_input)
    return _script.get_pwsh_encoded_cmdline(script, override_execution_policy=True), stdin


# -- 2.21 through the real connection plugin ---------------------------------------------------
def test_multi_megabyte_put_then_fetch_in_chunks(host, big_file, tmp_path):
    remote = FOLDER + "\\big.bin"
    connection = winrm_connection(host)
    connection.put_file(str(big_file), remote)  # raises unless the host's sha1 matches

    data = big_file.read_bytes()
    assert host.fs.read(remote) == data
    [put] = host.timeline.events(kind=ansible_transfer.PUT_EVENT)
    assert put.data == {"path": remote, "size": BIG, "user": USER, "ok": True,
                        "client": "ansible-core 2.19+ manifest"}

    fetched = tmp_path / "fetched.bin"
    connection.fetch_file(remote, str(fetched))
    assert _sha1(fetched.read_bytes()) == _sha1(data)
    fetches = host.timeline.events(kind=ansible_transfer.FETCH_EVENT)
    assert [(e.data["offset"], e.data["size"]) for e in fetches] == \
        [(i * FETCH_BUFFER, FETCH_BUFFER) for i in range(7)] + [(7 * FETCH_BUFFER, 12345)]


def test_put_of_an_empty_file(host, tmp_path):
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    winrm_connection(host).put_file(str(empty), FOLDER + "\\empty.txt")
    assert host.fs.read(FOLDER + "\\empty.txt") == b""


def test_put_replaces_an_existing_file(host, tmp_path):
    host.fs.write(FOLDER + "\\a.txt", b"old content that is longer")
    source = tmp_path / "a.txt"
    source.write_bytes(b"new")
    winrm_connection(host).put_file(str(source), FOLDER + "\\A.TXT")
    assert host.fs.read(FOLDER + "\\a.txt") == b"new"


def test_fetch_of_a_directory_prints_dir(host, tmp_path):
    command, stdin = _manifest_command_2_21(
        "winrm_fetch_file.ps1", {"Path": FOLDER, "BufferSize": FETCH_BUFFER, "Offset": 0})
    result = run(host, command[0], command[1:], payload_stdin(stdin))
    assert (result.rc, result.stdout, result.stderr) == (0, b"[DIR]\r\n", b"")
    out = tmp_path / "out"
    winrm_connection(host).fetch_file(FOLDER, str(out))
    assert not out.exists()  # ansible stops at [DIR] and writes nothing


def test_fetch_of_a_missing_file_fails(host, tmp_path):
    missing = FOLDER + "\\nope.txt"
    command, stdin = _manifest_command_2_21(
        "winrm_fetch_file.ps1", {"Path": missing, "BufferSize": FETCH_BUFFER, "Offset": 0})
    result = run(host, command[0], command[1:], payload_stdin(stdin))
    assert (result.rc, result.stdout) == (1, b"")
    assert result.stderr == f"{missing} does not exist\r\n".encode()
    with pytest.raises(AnsibleError, match="failed to transfer file"):
        winrm_connection(host).fetch_file(missing, str(tmp_path / "out"))


def test_fetch_past_the_end_prints_nothing(host):
    host.fs.write(FOLDER + "\\small.txt", b"12345")
    command, stdin = _manifest_command_2_21(
        "winrm_fetch_file.ps1", {"Path": FOLDER + "\\small.txt", "BufferSize": 4, "Offset": 9})
    result = run(host, command[0], command[1:], payload_stdin(stdin))
    assert (result.rc, result.stdout, result.stderr) == (0, b"", b"")


def test_put_into_a_missing_folder_fails_and_creates_nothing(host, big_file):
    remote = "D:\\NoSuchFolder\\big.bin"
    with pytest.raises(AnsibleError, match=r"Could not find a part of the path 'D:\\NoSuchFolder"):
        winrm_connection(host).put_file(str(big_file), remote)
    assert not host.fs.exists("D:\\NoSuchFolder")
    [event] = host.timeline.events(kind=ansible_transfer.PUT_EVENT)
    assert event.data["ok"] is False and "content" not in event.data


def test_put_onto_a_directory_fails(host, big_file):
    with pytest.raises(AnsibleError, match="Access to the path .* is denied"):
        winrm_connection(host).put_file(str(big_file), FOLDER)


def test_put_to_a_relative_path_fails_clearly(host, big_file):
    with pytest.raises(AnsibleError, match="path 'relative.bin' is not absolute"):
        winrm_connection(host).put_file(str(big_file), "relative.bin")


def test_put_on_a_full_disk_fails_then_works_once_cleared(host, big_file):
    remote = FOLDER + "\\big.bin"
    host.faults.inject(host.name, "disk_full")
    with pytest.raises(AnsibleError, match="There is not enough space on the disk"):
        winrm_connection(host).put_file(str(big_file), remote)
    host.faults.clear(host.name, "disk_full")
    winrm_connection(host).put_file(str(big_file), remote)
    assert host.fs.size(remote) == BIG


def test_put_larger_than_the_free_space_fails(tmp_path):
    host = make_host(free_gb=1 / 1024)  # 1 MiB free
    host.fs.mkdir(FOLDER)
    source = tmp_path / "two_mib.bin"
    source.write_bytes(os.urandom(2 * 1024 * 1024))
    with pytest.raises(AnsibleError, match="There is not enough space on the disk"):
        winrm_connection(host).put_file(str(source), FOLDER + "\\two_mib.bin")


def test_put_with_invalid_base64_fails(host):
    command, stdin = _manifest_command_2_21("winrm_put_file.ps1", {"Path": FOLDER + "\\x"},
                                            has_input=True)
    result = run(host, command[0], command[1:], [(stdin, False), (b"QUJD\r\n", False),
                                                 (b"not base64!\r\n", False), (b"QUJD\r\n", True)])
    assert result.rc == 1 and b"not a valid Base-64 string" in result.stderr


def test_put_streams_stdin_as_it_arrives(host, tmp_path):
    source = tmp_path / "five_mib.bin"
    source.write_bytes(os.urandom(5 * 1024 * 1024))
    remote = FOLDER + "\\five_mib.bin"
    command, stdin = _manifest_command_2_21("winrm_put_file.ps1", {"Path": remote}, has_input=True)
    chunks = list(put_stdin(stdin, str(source), remote))
    process = host.start_command(command[0], command[1:], USER)
    for data, end in chunks[:-1]:
        process.send_stdin(data, end)
    deadline = time.monotonic() + 10
    while not (host.fs.is_file(remote) and host.fs.size(remote) >= 4 * 1024 * 1024):
        assert time.monotonic() < deadline, "nothing written before the end of stdin"
        assert not process.receive(0.01).done
    process.send_stdin(*chunks[-1])
    output = process.receive(10)
    while not output.done:
        output = process.receive(10)
    assert output.exit_code == 0
    assert host.fs.read(remote) == source.read_bytes()


def test_temp_dir_and_home_through_the_shell_plugin(host):
    shell = powershell_shell()
    shell.set_options()
    connection = winrm_connection(host)
    mkdtemp = shell._mkdtemp2(basefile="ansible-tmp-1")
    rc, stdout, stderr = connection.exec_command(mkdtemp.command, in_data=mkdtemp.input_data)
    created = f"C:\\Users\\{USER}\\AppData\\Local\\Temp\\ansible-tmp-1"
    assert (rc, stdout, stderr) == (0, created.encode() + b"\r\n", b"")
    assert host.fs.is_dir(created)
    rc, _, stderr = connection.exec_command(mkdtemp.command, in_data=mkdtemp.input_data)
    assert rc == 1 and b"already exists" in stderr

    home = shell._expand_user2("~\\projects")
    rc, stdout, _ = connection.exec_command(home.command, in_data=home.input_data)
    assert (rc, stdout) == (0, f"C:\\Users\\{USER}\\projects\r\n".encode())


# -- 2.19: the unstripped wrapper, sent through _encode_script -------------------------------
def test_2_19_put_and_fetch(host, big_file):
    remote = FOLDER + "\\big19.bin"
    wrapper = bootstrap_wrapper_2_19()
    put_cmd = encode_script_2_19(wrapper, strict_mode=False)
    _, put_in = _bootstrap_powershell_script("winrm_put_file.ps1", {"Path": remote}, has_input=True)
    result = run(host, put_cmd[0], put_cmd[1:], put_stdin(put_in, str(big_file), remote))
    assert result.rc == 0
    assert json.loads(result.stdout) == {"sha1": _sha1(big_file.read_bytes())}

    fetch_cmd = encode_script_2_19(wrapper, strict_mode=True)
    _, fetch_in = _bootstrap_powershell_script("winrm_fetch_file.ps1", {
        "Path": remote, "BufferSize": FETCH_BUFFER, "Offset": FETCH_BUFFER})
    result = run(host, fetch_cmd[0], fetch_cmd[1:], payload_stdin(fetch_in))
    assert result.rc == 0
    assert base64.b64decode(result.stdout) == big_file.read_bytes()[FETCH_BUFFER:2 * FETCH_BUFFER]


# -- 2.18: inline scripts with the values in the text -----------------------------------------
def _put_2_18(host, local, remote):
    command = put_command_2_18(remote)
    return run(host, command[0], command[1:], put_stdin_2_18(str(local), remote))


def test_2_18_put_then_fetch_in_chunks(host, big_file):
    remote = FOLDER + "\\big18.bin"
    result = _put_2_18(host, big_file, remote)
    assert result.rc == 0
    assert json.loads(result.stdout) == {"sha1": _sha1(big_file.read_bytes())}
    [put] = host.timeline.events(kind=ansible_transfer.PUT_EVENT)
    assert put.data["client"] == "ansible-core 2.18 inline"

    data, results = fetch_2_18(host, remote)
    assert len(results) == 8 and _sha1(data) == _sha1(big_file.read_bytes())


def test_2_18_path_with_every_kind_of_single_quote(host, tmp_path):
    folder = "D:\\it's \u2018odd\u2019 \u201alow\u201b"
    host.fs.mkdir(folder)
    source = tmp_path / "q.txt"
    source.write_bytes(b"quoted")
    assert _put_2_18(host, source, folder + "\\q.txt").rc == 0
    assert host.fs.read(folder + "\\q.txt") == b"quoted"
    assert fetch_2_18(host, folder + "\\q.txt")[0] == b"quoted"


def test_2_18_fetch_of_a_directory_and_of_a_missing_file(host):
    data, [result] = fetch_2_18(host, FOLDER)
    assert (data, result.rc, result.stdout) == (None, 0, b"[DIR]\r\n")
    data, [result] = fetch_2_18(host, FOLDER + "\\missing.txt")
    assert (data, result.rc) == (None, 1)
    assert result.stderr == f"{FOLDER}\\missing.txt does not exist\r\n".encode()


def test_2_18_put_into_a_missing_folder_and_on_a_full_disk(host, big_file):
    result = _put_2_18(host, big_file, "D:\\Missing\\x.bin")
    assert result.rc == 1 and b"Could not find a part of the path" in result.stderr
    host.faults.inject(host.name, "disk_full")
    result = _put_2_18(host, big_file, FOLDER + "\\x.bin")
    assert result.rc == 1 and b"There is not enough space on the disk" in result.stderr


def test_2_18_script_changed_anywhere_else_is_refused(host):
    command = put_command_2_18(FOLDER + "\\x.bin")
    script = base64.b64decode(command[-1]).decode("utf-16-le")
    tampered = script.replace("$fd = [System.IO.File]::Create($path)",
                              "$fd = [System.IO.File]::Create($path); Remove-Item C:\\ -Recurse")
    assert tampered != script
    encoded = base64.b64encode(tampered.encode("utf-16-le")).decode()
    result = run(host, command[0], command[1:-1] + [encoded], [(b"", True)])
    assert result.rc == 1 and b"unsupported PowerShell script" in result.stderr
    assert not host.fs.exists(FOLDER + "\\x.bin")
