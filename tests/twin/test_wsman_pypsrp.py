"""pypsrp, a second independent WinRM client, against the twin's WinRS."""

from __future__ import annotations

import pytest
from pypsrp.client import Client
from pypsrp.exceptions import AuthenticationError, WSManFaultError
from pypsrp.shell import Process, SignalCode, WinRS
from pypsrp.wsman import WSMan

from wsman_support import PASSWORDS, TwinPlant, cert_dir, make_plant, plant  # noqa: F401

pytestmark = pytest.mark.timeout(60)


def client_kwargs(plant: TwinPlant, name: str, https: bool, **kwargs: object) -> dict:
    host = plant.hosts[name].spec
    kwargs.update(server=host.address, username="ansible", password=PASSWORDS[name], ssl=https,
                  port=host.https_port if https else host.http_port, no_proxy=True)
    if https:
        kwargs.setdefault("cert_validation", plant.ca)
    return kwargs


@pytest.mark.parametrize("auth", ["ntlm", "negotiate"])
def test_execute_cmd_over_http_with_encryption(plant: TwinPlant, auth: str) -> None:
    client = Client(**client_kwargs(plant, "po-a", False, auth=auth, encryption="always"))
    assert client.execute_cmd("whoami") == ("ansible\r\n", "", 0)
    assert client.execute_cmd("nosuch") == ("", "'nosuch' is not recognized as an internal "
                                            "or external command\r\n", 1)


@pytest.mark.parametrize("auth", ["basic", "ntlm", "negotiate"])
def test_execute_cmd_over_https(plant: TwinPlant, auth: str) -> None:
    client = Client(**client_kwargs(plant, "po-b", True, auth=auth))
    assert client.execute_cmd("whoami") == ("ansible\r\n", "", 0)


def test_https_negotiate_without_channel_binding(plant: TwinPlant) -> None:
    """Windows' default CbtHardeningLevel (Relaxed) lets a client without CBT in."""
    client = Client(**client_kwargs(plant, "po-a", True, auth="negotiate",
                                    negotiate_send_cbt=False))
    assert client.execute_cmd("whoami")[0] == "ansible\r\n"


def test_wrong_password(plant: TwinPlant) -> None:
    kwargs = client_kwargs(plant, "po-a", False, auth="ntlm")
    kwargs["password"] = "nope"
    with pytest.raises(AuthenticationError):
        Client(**kwargs).execute_cmd("whoami")


def test_process_with_arguments_stdin_and_signals(plant: TwinPlant) -> None:
    wsman = WSMan(**client_kwargs(plant, "po-a", False, auth="ntlm", operation_timeout=1,
                                  read_timeout=3))
    with wsman, WinRS(wsman, codepage=65001, environment={"A": "1"}) as shell:
        echo = Process(shell, "echo", ["one", "two"])
        echo.invoke()
        assert (echo.stdout, echo.rc) == (b"one two\r\n", 0)

        cat = Process(shell, "cat")
        cat.begin_invoke()
        cat.send(b"piped ", end=False)
        cat.send(b"input", end=True)
        cat.end_invoke()
        assert cat.stdout == b"piped input"

        sleeper = Process(shell, "sleep", ["30"])
        sleeper.begin_invoke()
        sleeper.poll_invoke()  # swallows the OperationTimeout fault, as pypsrp does
        sleeper.signal(SignalCode.TERMINATE)
        with pytest.raises(WSManFaultError) as fault:
            sleeper.signal(SignalCode.TERMINATE)
        assert fault.value.code == 2150858843
