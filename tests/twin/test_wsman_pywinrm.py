"""pywinrm (the library ansible-core's winrm plugin drives) against the twin's listeners."""

from __future__ import annotations

import concurrent.futures

import pytest
import requests
import winrm
from winrm.exceptions import InvalidCredentialsError, WSManFaultError

from wsman_support import (PASSWORDS, SERVICE_PASSWORD, TwinPlant, cert_dir, elapsed,  # noqa: F401
                           make_plant, plant)

pytestmark = pytest.mark.timeout(60)


def protocol(plant: TwinPlant, name: str = "po-a", transport: str = "ntlm",
             https: bool = False, user: str = "ansible", password: str | None = None,
             **kwargs: object) -> winrm.Protocol:
    kwargs.setdefault("proxy", None)  # loopback: never an environment proxy
    kwargs.setdefault("ca_trust_path", plant.ca if https else None)
    if not https:
        kwargs.setdefault("message_encryption", "always" if transport == "ntlm" else "auto")
    return winrm.Protocol(plant.url(name, https), transport=transport, username=user,
                          password=PASSWORDS[name] if password is None else password, **kwargs)


def run(p: winrm.Protocol, command: str, arguments: list[str] = (),  # type: ignore[assignment]
        stdin: bytes | None = None) -> tuple[bytes, bytes, int]:
    shell = p.open_shell()
    try:
        command_id = p.run_command(shell, command, arguments)
        if stdin is not None:
            p.send_command_input(shell, command_id, stdin[:5])
            p.send_command_input(shell, command_id, stdin[5:], end=True)
        result = p.get_command_output(shell, command_id)
        p.cleanup_command(shell, command_id)
        return result
    finally:
        p.close_shell(shell)


def test_ntlm_over_http_with_message_encryption(plant: TwinPlant) -> None:
    p = protocol(plant)
    assert run(p, "echo", ["hello", "plant"]) == (b"hello plant\r\n", b"", 0)
    assert p.transport.encryption is not None  # every message after auth was sealed
    kinds = [e.kind for e in plant.timeline.events(host="po-a")]
    assert kinds[:4] == ["wsman.auth_succeeded", "winrs.shell_created",
                         "winrs.command_started", "winrs.command_finished"]
    assert kinds[-1] == "winrs.shell_deleted"


def test_stdin_through_send_messages(plant: TwinPlant) -> None:
    assert run(protocol(plant), "cat", stdin=b"line one\r\nline two") == \
        (b"line one\r\nline two", b"", 0)


def test_exit_code_and_stderr(plant: TwinPlant) -> None:
    assert run(protocol(plant), "fail", ["7"]) == (b"", b"it failed\r\n", 7)


def test_domain_account_and_local_account_aliases(plant: TwinPlant) -> None:
    svc = protocol(plant, user="PLANT\\svc", password=SERVICE_PASSWORD)
    assert run(svc, "whoami")[0] == b"PLANT\\svc\r\n"
    assert run(protocol(plant, user=".\\ansible"), "whoami")[0] == b".\\ansible\r\n"


def test_basic_over_https_validates_against_the_twin_ca(plant: TwinPlant) -> None:
    assert run(protocol(plant, transport="ssl", https=True), "echo", ["tls"])[0] == b"tls\r\n"
    ignoring = protocol(plant, transport="basic", https=True, server_cert_validation="ignore")
    assert run(ignoring, "whoami")[0] == b"ansible\r\n"


def test_ntlm_over_https_with_channel_binding(plant: TwinPlant) -> None:
    assert run(protocol(plant, https=True), "echo", ["cbt"])[0] == b"cbt\r\n"


def test_an_untrusted_ca_is_rejected(plant: TwinPlant) -> None:
    with pytest.raises(requests.exceptions.SSLError):
        protocol(plant, transport="ssl", https=True, ca_trust_path=None).open_shell()


@pytest.mark.parametrize("transport,https", [("ntlm", False), ("ntlm", True), ("ssl", True)])
def test_wrong_password_is_401(plant: TwinPlant, transport: str, https: bool) -> None:
    with pytest.raises(InvalidCredentialsError):
        protocol(plant, transport=transport, https=https, password="wrong").open_shell()
    failure = plant.timeline.events(kind="wsman.auth_failed")[-1]
    assert failure.data["user"] == "ansible"


def test_accounts_are_per_host(plant: TwinPlant) -> None:
    with pytest.raises(InvalidCredentialsError):
        protocol(plant, "po-b", password=PASSWORDS["po-a"]).open_shell()
    assert run(protocol(plant, "po-b"), "whoami")[0] == b"ansible\r\n"


def test_basic_over_http_is_refused_by_default(plant: TwinPlant) -> None:
    response = requests.post(plant.url("po-a"), data=b"<x/>",
                             auth=("ansible", PASSWORDS["po-a"]), timeout=5)
    assert response.status_code == 401
    assert "Basic authentication over plain HTTP is refused" in response.text
    assert "Basic" not in response.headers["WWW-Authenticate"]
    with pytest.raises(InvalidCredentialsError):
        protocol(plant, transport="basic").open_shell()
    assert plant.timeline.events(kind="wsman.auth_failed")[-1].data["reason"] == \
        "basic over http refused"


def test_basic_and_unencrypted_http_when_allowed(make_plant) -> None:  # noqa: F811
    plant = make_plant(allow_basic_http=True)
    assert run(protocol(plant, transport="basic"), "whoami")[0] == b"ansible\r\n"
    assert run(protocol(plant, message_encryption="never"), "echo", ["plain"])[0] == \
        b"plain\r\n"


def test_unencrypted_ntlm_over_http_is_refused_by_default(plant: TwinPlant) -> None:
    with pytest.raises(InvalidCredentialsError):
        protocol(plant, message_encryption="never").open_shell()


def test_no_password_reaches_the_timeline(plant: TwinPlant) -> None:
    run(protocol(plant), "whoami")
    run(protocol(plant, transport="ssl", https=True), "whoami")
    with pytest.raises(InvalidCredentialsError):
        protocol(plant, password="Typo:" + PASSWORDS["po-a"]).open_shell()
    recorded = repr([e.as_dict() for e in plant.timeline.events()])
    assert PASSWORDS["po-a"] not in recorded


def test_long_command_outlives_the_operation_timeout(plant: TwinPlant) -> None:
    p = protocol(plant, operation_timeout_sec=1, read_timeout_sec=3)
    assert run(p, "sleep", ["2.2"]) == (b"slept\r\n", b"", 0)


def test_receive_answers_the_operation_timeout_fault(plant: TwinPlant) -> None:
    p = protocol(plant, operation_timeout_sec=1, read_timeout_sec=3)
    shell = p.open_shell()
    command_id = p.run_command(shell, "sleep", ["5"])
    with pytest.raises(winrm.exceptions.WinRMOperationTimeoutError):
        p.get_command_output_raw(shell, command_id)
    p.cleanup_command(shell, command_id)
    p.close_shell(shell)


def test_quota_fault_on_command(plant: TwinPlant) -> None:
    plant.faults.inject("po-a", "quota", count=1)
    p = protocol(plant)
    shell = p.open_shell()
    with pytest.raises(WSManFaultError) as fault:
        p.run_command(shell, "echo", ["x"])
    assert fault.value.wmierror_code == 0x803381A6
    assert "concurrent operations" in fault.value.reason
    command_id = p.run_command(shell, "echo", ["again"])  # the fault took one hit only
    assert p.get_command_output(shell, command_id)[0] == b"again\r\n"


def test_busy_fault_on_send(plant: TwinPlant) -> None:
    plant.faults.inject("po-a", "busy", count=1)
    p = protocol(plant)
    shell = p.open_shell()
    command_id = p.run_command(shell, "cat")
    with pytest.raises(WSManFaultError) as fault:
        p.send_command_input(shell, command_id, b"data", end=True)
    assert fault.value.wsman_fault_code == 170
    p.send_command_input(shell, command_id, b"data", end=True)
    assert p.get_command_output(shell, command_id) == (b"data", b"", 0)


def test_unknown_shell_and_command_ids_are_faults(plant: TwinPlant) -> None:
    p = protocol(plant)
    with pytest.raises(WSManFaultError) as fault:
        p.run_command("00000000-0000-0000-0000-000000000000", "echo")
    assert fault.value.wsman_fault_code == 2150858843
    assert "shell was not found" in fault.value.response
    shell = p.open_shell()
    with pytest.raises(WSManFaultError) as fault:
        p.get_command_output_raw(shell, "11111111-1111-1111-1111-111111111111")
    assert fault.value.wsman_fault_code == 2150858843
    assert "command identifier that does not exist" in fault.value.response


def test_reset_during_command_drops_the_connection(plant: TwinPlant) -> None:
    plant.faults.inject("po-a", "reset_during_command", count=1)
    p = protocol(plant)
    shell = p.open_shell()
    command_id = p.run_command(shell, "sleep", ["1"])
    with pytest.raises(requests.exceptions.ConnectionError):
        p.get_command_output(shell, command_id)
    assert plant.timeline.events(kind="wsman.fault_fired")[-1].data["fault"] == \
        "reset_during_command"
    assert run(protocol(plant), "echo", ["after"])[0] == b"after\r\n"


def test_host_down_refuses_connections_and_comes_back(plant: TwinPlant) -> None:
    p = protocol(plant)
    shell = p.open_shell()
    plant.server.set_host_down("po-a", True)
    with pytest.raises(requests.exceptions.ConnectionError):
        p.run_command(shell, "echo")
    with pytest.raises(requests.exceptions.ConnectionError):
        protocol(plant).open_shell()
    assert run(protocol(plant, "po-b"), "echo", ["b up"])[0] == b"b up\r\n"
    plant.server.set_host_down("po-a", False)
    assert run(protocol(plant), "echo", ["back"])[0] == b"back\r\n"


def test_slow_fault_adds_modelled_seconds_per_request(plant: TwinPlant) -> None:
    p = protocol(plant, transport="ssl", https=True)
    shell = p.open_shell()
    baseline = elapsed(lambda: p.run_command(shell, "echo"))
    plant.faults.inject("po-a", "slow", seconds=30)  # 0.3 s at time_scale 0.01
    slowed = elapsed(lambda: p.run_command(shell, "echo"))
    assert slowed >= 0.3 > baseline


def test_two_hosts_serve_concurrent_clients(plant: TwinPlant) -> None:
    jobs = [(name, i) for name in ("po-a", "po-b") for i in range(3)]
    with concurrent.futures.ThreadPoolExecutor(len(jobs)) as pool:
        took = elapsed(lambda: list(pool.map(
            lambda job: run(protocol(plant, job[0]), "sleep", ["0.5"]), jobs)))
    assert took < 0.5 * len(jobs) / 2
    assert {e.host for e in plant.timeline.events(kind="winrs.command_finished")} == \
        {"po-a", "po-b"}
