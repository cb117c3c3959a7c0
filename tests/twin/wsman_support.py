"""Shared set-up for the WS-Management tests: a small plant served by one WsmanServer.

The hosts run scripted commands (the real dispatcher lives elsewhere): ``echo``, ``cat``
(stdin to stdout), ``sleep SECONDS`` (real seconds, so operation timeouts are real),
``fail CODE`` and ``whoami``. Import the fixtures into a test module by name.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import socket
import time
from typing import Callable, Iterator

import pytest

from scada_twin.costs import CostModel
from scada_twin.faults import FaultPlan
from scada_twin.host import Host
from scada_twin.shell.process import Process, ProcessIO, ThreadProcess
from scada_twin.spec import parse
from scada_twin.timeline import Timeline
from scada_twin.wsman.server import WsmanServer

PASSWORDS = {"po-a": "Pl@nt:Secret1", "po-b": "Other-Secret2"}
SERVICE_PASSWORD = "Svc-Secret3"
# Per-process addresses, so parallel test workers never share a listener.
_OCTET = 200 + os.getpid() % 50
ADDRESSES = {"po-a": f"127.{_OCTET}.0.21", "po-b": f"127.{_OCTET}.0.22"}


class ScriptedHost(Host):
    """A host whose commands are tiny scripts, chosen by the command's first word."""

    def start_command(self, command: str, arguments: list[str], user: str) -> Process:
        with self.lock:
            self.commands_started += 1
        words = " ".join(arguments).split()
        return ThreadProcess(lambda io: _run(command, words, user, io), command)

    def start_script(self, script: str, arguments: list[str], user: str) -> Process:
        """A PSRP pipeline's script: the same tiny scripts, the command its first word."""
        with self.lock:
            self.commands_started += 1
        command, *words = script.split() or [""]
        return ThreadProcess(lambda io: _run(command, words + arguments, user, io), command)


def _run(command: str, words: list[str], user: str, io: ProcessIO) -> int:
    if command == "echo":
        io.write_stdout(" ".join(words) + "\r\n")
        return 0
    if command == "cat":
        while chunk := io.read_chunk():
            io.write_stdout(chunk)
        return 0
    if command == "sleep":
        if io.cancelled.wait(float(words[0])):
            return 1
        io.write_stdout("slept\r\n")
        return 0
    if command == "fail":
        io.write_stderr("it failed\r\n")
        return int(words[0])
    if command == "whoami":
        io.write_stdout(user + "\r\n")
        return 0
    io.write_stderr(f"'{command}' is not recognized as an internal or external command\r\n")
    return 1


def free_ports(address: str, count: int = 2) -> list[int]:
    """Ports free on ``address`` right now, all different (probes held open together)."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind((address, 0))
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


@dataclasses.dataclass
class TwinPlant:
    server: WsmanServer
    hosts: dict[str, ScriptedHost]
    timeline: Timeline
    faults: FaultPlan

    @property
    def ca(self) -> str:
        return str(self.server.ca_cert_path)

    def url(self, name: str, https: bool = False) -> str:
        return self.server.endpoint(name, https)


def build_plant(cert_dir: pathlib.Path, allow_basic_http: bool = False) -> TwinPlant:
    ports = {name: free_ports(address) for name, address in ADDRESSES.items()}
    spec = parse({"hosts": [
        {"name": name, "address": address, "http_port": ports[name][0],
         "https_port": ports[name][1],
         "accounts": [{"user": "ansible", "password": PASSWORDS[name]},
                      {"user": "svc", "password": SERVICE_PASSWORD, "domain": "PLANT"}]}
        for name, address in ADDRESSES.items()]})
    costs, timeline, faults = CostModel(time_scale=0.01), Timeline(), FaultPlan()
    hosts = {h.name: ScriptedHost(h, costs, timeline, faults) for h in spec.hosts}
    server = WsmanServer(list(hosts.values()), allow_basic_http=allow_basic_http,
                         cert_dir=cert_dir)
    return TwinPlant(server.start(), hosts, timeline, faults)


@pytest.fixture(scope="session")
def cert_dir(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    return tmp_path_factory.mktemp("pki")


@pytest.fixture
def make_plant(cert_dir: pathlib.Path) -> Iterator[Callable[..., TwinPlant]]:
    started: list[TwinPlant] = []

    def make(allow_basic_http: bool = False) -> TwinPlant:
        started.append(build_plant(cert_dir, allow_basic_http))
        return started[-1]

    yield make
    for plant in started:
        plant.server.stop()


@pytest.fixture
def plant(make_plant: Callable[..., TwinPlant]) -> TwinPlant:
    return make_plant()


def elapsed(action: Callable[[], object]) -> float:
    start = time.monotonic()
    action()
    return time.monotonic() - start
