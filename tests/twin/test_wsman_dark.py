"""A host that answers nothing, as Windows hosts fail on a plant network, through pywinrm: the
``blackhole`` fault (a partition or a firewall dropping packets) and a restart's phases
(WinRM stops: refused; Windows boots: dark; then up). Each request to a dark host waits out
the client's read timeout; the connections it swallowed are reset when it comes back."""

from __future__ import annotations

import threading
import time

import pytest
import requests
import winrm

from support.plants import PASSWORD, USER

pytestmark = pytest.mark.timeout(120)


def _protocol(plant, name: str = "po-a") -> winrm.Protocol:
    host = plant.hosts[name]
    return winrm.Protocol(f"http://{host.address}:{host.spec.http_port}/wsman", transport="ntlm",
                          username=USER, password=PASSWORD, message_encryption="always",
                          read_timeout_sec=2, operation_timeout_sec=1, proxy=None)


def _elapsed(action) -> tuple[BaseException | None, float]:
    started = time.monotonic()
    try:
        action()
    except Exception as exc:  # noqa: BLE001 - the test inspects it
        return exc, time.monotonic() - started
    return None, time.monotonic() - started


def _wait(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "the twin did not get there"
        time.sleep(0.05)


def test_a_blackholed_host_answers_nothing_until_the_read_timeout(plant):
    plant.inject("po-a", "blackhole")
    error, seconds = _elapsed(_protocol(plant).open_shell)
    assert isinstance(error, requests.exceptions.ReadTimeout), error
    assert 1.9 <= seconds < 6
    other, _ = _elapsed(lambda: _protocol(plant, "po-b").close_shell(_protocol(plant, "po-b").open_shell()))
    assert other is None  # only that host's address is dark
    plant.clear("po-a", "blackhole")
    p = _protocol(plant)
    p.close_shell(p.open_shell())


def test_a_request_swallowed_by_the_dark_is_reset_when_the_host_answers_again(plant):
    plant.inject("po-a", "blackhole")
    outcome: list[BaseException | None] = []
    p = winrm.Protocol(_protocol(plant).transport.endpoint, transport="ntlm", username=USER,
                       password=PASSWORD, message_encryption="always", read_timeout_sec=30,
                       operation_timeout_sec=20, proxy=None)
    waiter = threading.Thread(target=lambda: outcome.append(_elapsed(p.open_shell)[0]))
    waiter.start()
    time.sleep(0.5)
    plant.clear("po-a", "blackhole")
    waiter.join(10)
    assert isinstance(outcome[0], requests.exceptions.ConnectionError), outcome  # reset, not late


def test_a_restart_refuses_then_goes_dark_then_answers(plant):
    host = plant.hosts["po-a"]
    host.set_powered_off(True)  # Windows stops: WinRM with it
    _wait(lambda: isinstance(_elapsed(_protocol(plant).open_shell)[0], requests.exceptions.ConnectionError))
    error, seconds = _elapsed(_protocol(plant).open_shell)
    assert "refused" in str(error).lower() and seconds < 1.5, error
    host.set_booting(True)  # powered on, Windows booting: the address swallows packets
    host.set_powered_off(False)
    _wait(lambda: isinstance(_elapsed(_protocol(plant).open_shell)[0], requests.exceptions.ReadTimeout), 20)
    host.set_booting(False)  # WinRM started
    _wait(lambda: _elapsed(_protocol(plant).open_shell)[0] is None)
    kinds = [e.kind for e in plant.timeline.events(host="po-a") if e.kind.startswith("wsman.listeners")]
    assert kinds[0] == "wsman.listeners_down" and kinds[-1] == "wsman.listeners_up"
