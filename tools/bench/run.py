"""``make bench`` / ``make bench-smoke``: run the benchmarks, write results.json and results.md.

    python tools/bench/run.py [--smoke] [--out build/bench] [--only transfer,orchestration,fleet]

The full run uses the twin's cost model at time scale 1.0 (real modelled durations) for the
transfer and the orchestration overhead, and ``--fleet-scale`` for the fleet (documented in
docs/performance.md). The smoke run is the same code on tiny inputs and small time scales,
for ``make test``: it proves the benchmarks work, not how fast anything is.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import pathlib
import platform
import shlex
import shutil
import sys
import time
from typing import Any

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from bench import report, transfer, update  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
# Third octets of 127.0.x.y per benchmark (the range 70-79 is the benchmarks' own).
OCTETS = {"transfer": 70, "orchestration": 71, "fleet": 72, "smoke": 79}
BENCHMARKS = ("transfer", "orchestration", "fleet")


def options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny, seconds-long version for make test")
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "build" / "bench")
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated subset of " + ", ".join(BENCHMARKS))
    parser.add_argument("--transfer", default="50x3,500x1", help="SIZE_MIBxREPETITIONS,... (default 50x3,500x1)")
    parser.add_argument("--scale", type=float, default=1.0, help="time scale of transfer and orchestration")
    parser.add_argument("--update-reps", type=int, default=3)
    parser.add_argument("--fleet", default="1,10,25", help="pair counts (default 1,10,25)")
    parser.add_argument("--fleet-reps", type=int, default=1)
    parser.add_argument("--fleet-scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    if args.smoke:
        args.transfer, args.scale, args.update_reps = "4x1", 0.02, 1
        args.fleet, args.fleet_reps, args.fleet_scale = "1", 1, 0.02
    args.only = [name for name in args.only.split(",") if name]
    unknown = set(args.only) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    return args


def machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    memory = next((int(line.split()[1]) // 1024 for line in _read("/proc/meminfo").splitlines()
                   if line.startswith("MemTotal:")), 0)
    from ansible import __version__ as ansible_version

    summary = (f"{os.cpu_count()} x {cpu}, {memory / 1024:.0f} GiB RAM, {platform.system()} "
               f"{platform.release()}, Python {platform.python_version()}, ansible-core {ansible_version}")
    return {"summary": summary, "cpus": os.cpu_count(), "cpu_model": cpu, "memory_mib": memory,
            "load_average_at_start": " ".join(f"{v:.2f}" for v in os.getloadavg()),
            "python": platform.python_version(), "ansible_core": ansible_version}


def _read(path: str) -> str:
    try:
        return pathlib.Path(path).read_text(encoding="utf-8")
    except OSError:
        return ""


def main(argv: list[str]) -> int:
    args = options(argv)
    out: pathlib.Path = args.out
    work = out / "work"
    shutil.rmtree(work, ignore_errors=True)
    started = time.monotonic()
    results: dict[str, Any] = {
        "started_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "make bench-smoke" if args.smoke else "python tools/bench/run.py " + shlex.join(argv),
        "machine": machine(), "smoke": args.smoke}
    octet = (lambda name: OCTETS["smoke"]) if args.smoke else (lambda name: OCTETS[name])
    if "transfer" in args.only:
        results["transfer"] = []
        for item in args.transfer.split(","):
            size, reps = item.split("x")
            print(f"bench: transfer {size} MiB x {reps} at time scale {args.scale:g}", flush=True)
            results["transfer"].append(transfer.run(float(size), int(reps), args.scale, octet("transfer"),
                                                    work / f"transfer-{size}"))
            write(results, out, started)
    if "orchestration" in args.only or "fleet" in args.only:
        print(f"bench: orchestration, 1 pair x {args.update_reps} at time scale {args.scale:g}", flush=True)
        results["orchestration"] = update.run(1, args.update_reps, args.scale, octet("orchestration"),
                                              work / "orchestration", count_roundtrips=True)
        write(results, out, started)
    if "fleet" in args.only:
        results["fleet"] = []
        for pairs in (int(p) for p in args.fleet.split(",")):
            if pairs == 1 and args.fleet_scale == args.scale:
                results["fleet"].append(results["orchestration"])  # the same runs, not measured twice
                continue
            print(f"bench: fleet of {pairs} pair(s) x {args.fleet_reps} at time scale {args.fleet_scale:g}", flush=True)
            results["fleet"].append(update.run(pairs, args.fleet_reps, args.fleet_scale, octet("fleet"),
                                               work / f"fleet-{pairs}"))
            write(results, out, started)
    table = write(results, out, started)
    print(table)
    print(f"\nbench: wrote {out / 'results.json'} and {out / 'results.md'}")
    return 0


def write(results: dict[str, Any], out: pathlib.Path, started: float) -> str:
    """Write results.json and results.md (also after each benchmark, so a long run that is
    stopped keeps what it measured); returns the markdown."""
    results["duration_seconds"] = round(time.monotonic() - started, 1)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    table = report.markdown(results)
    (out / "results.md").write_text(table + "\n", encoding="utf-8")
    return table


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (RuntimeError, OSError) as exc:
        sys.exit(f"bench: {exc}")
