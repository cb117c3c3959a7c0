"""``scada-twin``: run a plant in the foreground or background, read it, inject faults, stop it.

A running plant writes ``<state-dir>/plant.json`` (pid, control URL, CA certificate path), so
every other verb finds it from ``--state-dir`` alone.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import signal
import subprocess
import sys
import threading
import time
from typing import Any

from . import spec as spec_module
from .control import ControlClient, ControlError, ControlServer
from .faults import KINDS
from .plant import Plant

_INFO = "plant.json"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.func(args)
    except (spec_module.SpecError, ControlError, OSError, KeyError, ValueError) as exc:
        print(f"scada-twin: {exc}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scada-twin", description=__doc__)
    sub = parser.add_subparsers(required=True)

    for name, func, help_text in (("run", _run, "run a plant in the foreground"),
                                  ("start", _start, "start a plant in the background")):
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument("spec", type=pathlib.Path, help="plant spec file (docs/plant-spec.md)")
        cmd.add_argument("--state-dir", type=pathlib.Path, required=True)
        cmd.add_argument("--control-port", type=int, default=0)
        cmd.add_argument("--time-scale", type=float, help="override the spec's time_scale")
        cmd.set_defaults(func=func)

    for name, func, help_text in (("stop", _stop, "stop a background plant"),
                                  ("state", _state, "print the plant's state as JSON"),
                                  ("availability", _availability,
                                   "print each pair's availability gaps as JSON"),
                                  ("redundancy", _redundancy,
                                   "print each pair's windows without redundancy as JSON"),
                                  ("galaxies", _galaxies,
                                   "print each galaxy's engine pairs, failovers and downtime as JSON")):
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument("--state-dir", type=pathlib.Path, required=True)
        cmd.set_defaults(func=func)

    cmd = sub.add_parser("timeline", help="print the timeline as JSON")
    cmd.add_argument("--state-dir", type=pathlib.Path, required=True)
    cmd.add_argument("--host")
    cmd.add_argument("--kind")
    cmd.set_defaults(func=_timeline)

    cmd = sub.add_parser("inject", help="inject a fault: " + "; ".join(
        f"{k}: {v}" for k, v in KINDS.items()))
    cmd.add_argument("--state-dir", type=pathlib.Path, required=True)
    cmd.add_argument("host")
    cmd.add_argument("kind", choices=sorted(KINDS))
    cmd.add_argument("--count", type=int)
    cmd.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                     help="fault parameter; VALUE is parsed as JSON when it can be")
    cmd.set_defaults(func=_inject)

    cmd = sub.add_parser("clear", help="clear faults")
    cmd.add_argument("--state-dir", type=pathlib.Path, required=True)
    cmd.add_argument("--host")
    cmd.add_argument("--kind")
    cmd.set_defaults(func=_clear)
    return parser


def _run(args: argparse.Namespace) -> int:
    plant_spec = spec_module.load(args.spec)
    if args.time_scale is not None:
        plant_spec.time_scale = args.time_scale
    stopped = threading.Event()
    with Plant(plant_spec, args.state_dir) as plant:
        control = ControlServer(plant, args.control_port, on_stop=stopped.set).start()
        info = {"pid": os.getpid(), "control_url": control.url, "ca_cert": str(plant.ca_cert_path),
                "hosts": {n: h["address"] for n, h in plant.state()["hosts"].items()}}
        info_path = args.state_dir / _INFO
        info_path.write_text(json.dumps(info, indent=2), encoding="utf-8")
        signal.signal(signal.SIGTERM, lambda *_: stopped.set())
        signal.signal(signal.SIGINT, lambda *_: stopped.set())
        print(json.dumps(info), flush=True)
        stopped.wait()
        control.stop()
        info_path.unlink(missing_ok=True)
    return 0


def _start(args: argparse.Namespace) -> int:
    """Spawn ``run`` detached and wait until its control port answers."""
    spec_module.load(args.spec)  # fail here, in the caller's terminal, on a bad spec
    args.state_dir.mkdir(parents=True, exist_ok=True)
    (args.state_dir / _INFO).unlink(missing_ok=True)
    command = [sys.executable, "-m", "scada_twin", "run", str(args.spec),
               "--state-dir", str(args.state_dir), "--control-port", str(args.control_port)]
    if args.time_scale is not None:
        command += ["--time-scale", str(args.time_scale)]
    log = open(args.state_dir / "twin.log", "ab")  # noqa: SIM115 - handed to the child
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise OSError(f"the plant exited with {process.returncode}; see "
                          f"{args.state_dir / 'twin.log'}")
        try:
            info = _info(args.state_dir)
            ControlClient(info["control_url"]).state()
        except (OSError, KeyError, ValueError):
            time.sleep(0.1)
            continue
        print(json.dumps(info))
        return 0
    process.terminate()
    raise OSError("the plant did not answer within 30 s")


def _stop(args: argparse.Namespace) -> int:
    info = _info(args.state_dir)
    try:
        ControlClient(info["control_url"], timeout=5).stop()
    except OSError:
        os.kill(info["pid"], signal.SIGTERM)
    deadline = time.monotonic() + 15
    while (args.state_dir / _INFO).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    return 0


def _state(args: argparse.Namespace) -> int:
    return _print(_client(args).state())


def _availability(args: argparse.Namespace) -> int:
    return _print(_client(args).availability())


def _redundancy(args: argparse.Namespace) -> int:
    return _print(_client(args).redundancy())


def _galaxies(args: argparse.Namespace) -> int:
    return _print(_client(args).galaxies())


def _timeline(args: argparse.Namespace) -> int:
    return _print(_client(args).timeline(args.host, args.kind))


def _inject(args: argparse.Namespace) -> int:
    params = dict(_param(p) for p in args.param)
    return _print(_client(args).inject(args.host, args.kind, args.count, **params))


def _clear(args: argparse.Namespace) -> int:
    return _print(_client(args).clear(args.host, args.kind))


def _param(text: str) -> tuple[str, Any]:
    key, sep, value = text.partition("=")
    if not sep:
        raise ValueError(f"--param wants KEY=VALUE, not {text!r}")
    try:
        return key, json.loads(value)
    except ValueError:
        return key, value


def _info(state_dir: pathlib.Path) -> dict[str, Any]:
    path = state_dir / _INFO
    if not path.exists():
        raise OSError(f"no running plant in {state_dir} ({_INFO} is missing)")
    return json.loads(path.read_text(encoding="utf-8"))


def _client(args: argparse.Namespace) -> ControlClient:
    return ControlClient(_info(args.state_dir)["control_url"])


def _print(value: Any) -> int:
    print(json.dumps(value, indent=2, sort_keys=True))
    return 0
