"""Windows' WinRM limits in the twin, through pywinrm (the client ansible-core's winrm
connection drives): each is enforced with the status, fault and numbers Windows answers with,
from the host's own settings (the plant spec's ``windows.winrm``, Windows' defaults unless set)."""

from __future__ import annotations

import time

import pytest
import winrm
from winrm.exceptions import WinRMTransportError, WSManFaultError

from test_wsman_pywinrm import protocol, run
from wsman_support import SERVICE_PASSWORD, TwinPlant, cert_dir, make_plant, plant  # noqa: F401

pytestmark = pytest.mark.timeout(60)


def _limit(plant: TwinPlant, name: str, value: int) -> None:
    plant.hosts["po-a"].spec.windows["winrm"][name] = value


def test_the_defaults_are_windows_defaults(plant: TwinPlant) -> None:
    assert plant.hosts["po-a"].spec.windows["winrm"] == {
        "MaxEnvelopeSizekb": 500, "Shell\\MaxShellsPerUser": 30,
        "Service\\MaxConcurrentOperationsPerUser": 1500, "Shell\\IdleTimeout": 7200000}


def test_an_envelope_over_max_envelope_size_is_http_413(plant: TwinPlant) -> None:
    _limit(plant, "MaxEnvelopeSizekb", 8)
    p = protocol(plant)
    shell = p.open_shell()
    try:
        command_id = p.run_command(shell, "cat")
        with pytest.raises(WinRMTransportError) as refused:
            p.send_command_input(shell, command_id, b"x" * 12000, end=True)
        assert refused.value.code == 413
    finally:
        protocol(plant).close_shell(shell)  # a new connection: 413 closes this one


def test_a_shell_beyond_max_shells_per_user_is_a_quota_fault(plant: TwinPlant) -> None:
    _limit(plant, "Shell\\MaxShellsPerUser", 2)
    p = protocol(plant)
    shells = [p.open_shell(), p.open_shell()]
    with pytest.raises(WSManFaultError) as refused:
        p.open_shell()
    assert refused.value.wmierror_code == 0x803381A5
    assert "maximum number of 2 concurrent shells" in refused.value.reason
    other = protocol(plant, user="PLANT\\svc", password=SERVICE_PASSWORD)
    assert run(other, "whoami")[0] == b"PLANT\\svc\r\n"  # counted per user
    p.close_shell(shells.pop())
    shells.append(p.open_shell())  # one closed, one more may open
    for shell in shells:
        p.close_shell(shell)


def test_commands_beyond_max_concurrent_operations_are_a_quota_fault(plant: TwinPlant) -> None:
    _limit(plant, "Service\\MaxConcurrentOperationsPerUser", 3)
    p = protocol(plant)
    shell = p.open_shell()
    try:
        for _ in range(3):
            command_id = p.run_command(shell, "echo", ["one"])
            p.get_command_output(shell, command_id)
        with pytest.raises(WSManFaultError) as refused:
            p.run_command(shell, "echo", ["four"])  # counted until the shell is deleted
        assert refused.value.wmierror_code == 0x803381A6
    finally:
        p.close_shell(shell)
    assert run(p, "echo", ["again"])[0] == b"again\r\n"  # a new shell starts counting anew


def test_a_command_line_over_8191_characters_is_refused_by_cmd(plant: TwinPlant) -> None:
    out, err, code = run(protocol(plant), "echo", ["x" * 8200])
    assert (out, err, code) == (b"", b"The command line is too long.\r\n", 1)


def test_a_send_to_a_command_that_has_ended_is_a_fault(plant: TwinPlant) -> None:
    p = protocol(plant)
    shell = p.open_shell()
    try:
        command_id = p.run_command(shell, "echo", ["done"])
        assert p.get_command_output(shell, command_id)[0] == b"done\r\n"
        with pytest.raises(WSManFaultError) as refused:
            p.send_command_input(shell, command_id, b"late", end=True)
        assert refused.value.code == 500 and refused.value.wsman_fault_code == 2150858843  # invalid selectors
    finally:
        p.close_shell(shell)


def test_the_collection_stays_within_the_limits(plant: TwinPlant) -> None:
    """What the collection sends: ansible-core's 200,000-byte stdin pieces fit 500 KB envelopes
    once base64'd, and the agent's command line is far below cmd's 8191."""
    from ansible_collections.scada.redundancy.plugins.plugin_utils._agent import agent_command_line

    assert len(agent_command_line()) < 8191 // 2
    assert 200000 * 4 // 3 + 8192 < 500 * 1024
    _ = winrm  # the client the limits are proven through


def test_a_shell_idle_beyond_the_idle_timeout_is_gone(plant: TwinPlant) -> None:
    _limit(plant, "Shell\\IdleTimeout", 20000)  # 20 s of the host's time: 0.2 s here
    p = protocol(plant)
    shell = p.open_shell()
    p.cleanup_command(shell, p.run_command(shell, "echo", ["used"]))
    time.sleep(0.5)
    with pytest.raises(WSManFaultError) as gone:
        p.run_command(shell, "echo", ["late"])
    assert gone.value.fault_subcode == "w:InvalidSelectors"  # as for any shell id it does not hold
    assert "shell was not found on the server" in gone.value.response
    kinds = [e.kind for e in plant.timeline.events(host="po-a")]
    assert "winrs.shell_idle_timeout" in kinds
    assert run(p, "echo", ["fresh"])[0] == b"fresh\r\n"  # a new shell works


def test_a_shell_in_use_is_not_idle(plant: TwinPlant) -> None:
    _limit(plant, "Shell\\IdleTimeout", 20000)
    p = protocol(plant)
    shell = p.open_shell()
    try:
        command_id = p.run_command(shell, "sleep", ["1"])  # Receives keep it busy for 1 s
        assert p.get_command_output(shell, command_id)[0] == b"slept\r\n"
    finally:
        p.close_shell(shell)
