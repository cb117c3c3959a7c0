"""Run a controller command and measure it: wall time, CPU time, peak memory of its tree.

Peak memory is sampled from /proc every 100 ms as the sum of the proportional set size (PSS)
of the command and all its descendants: ansible forks a worker per host and task, and the
forks share most of their pages with the parent, so summing RSS would count those pages once
per fork. The largest single RSS is reported too. CPU time comes from the kernel's rusage of
the waited-for tree (user + system), so it covers every worker ansible reaped. The sampler is
a process of its own (this file run as a script): scanning /proc in the benchmark's process
would take the GIL from the twin plant running there.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pathlib
import resource
import subprocess
import sys
import time
from typing import Sequence

_SAMPLE_SECONDS = 0.1


@dataclasses.dataclass
class Measurement:
    rc: int
    wall_seconds: float
    cpu_seconds: float
    peak_pss_mib: float
    peak_rss_mib: float
    output: str

    def summary(self) -> dict[str, float]:
        return {"wall_seconds": round(self.wall_seconds, 3), "cpu_seconds": round(self.cpu_seconds, 3),
                "peak_pss_mib": round(self.peak_pss_mib, 1), "peak_rss_mib": round(self.peak_rss_mib, 1)}


def run(command: Sequence[str], env: dict[str, str] | None = None, timeout: float = 3600) -> Measurement:
    """Run ``command`` to its end with its output captured, sampling its memory meanwhile."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    process = subprocess.Popen(list(command), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    sampler = subprocess.Popen([sys.executable, __file__, str(process.pid)], stdout=subprocess.PIPE)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    wall = time.monotonic() - start
    peaks = json.loads(sampler.communicate()[0] or b"{}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    cpu -= peaks.get("own_cpu_seconds", 0.0)  # the sampler was reaped here too
    return Measurement(process.returncode, wall, cpu, peaks.get("pss_kib", 0) / 1024,
                       peaks.get("rss_kib", 0) / 1024, output.decode("utf-8", "replace"))


def sample(root: int) -> dict[str, float]:
    """Peak summed PSS and largest RSS (KiB) of ``root``'s tree, until ``root`` ends."""
    peak_pss = peak_rss = 0
    while _alive(root):
        pss = rss = 0
        for pid in _tree(root):
            found = _memory(pid)
            pss += found[0]
            rss = max(rss, found[1])
        peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
        time.sleep(_SAMPLE_SECONDS)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"pss_kib": peak_pss, "rss_kib": peak_rss, "own_cpu_seconds": usage.ru_utime + usage.ru_stime}


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for the benchmark to reap it."""
    try:
        return pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _tree(root: int) -> list[int]:
    """``root`` and its descendants, from each process's parent in /proc/<pid>/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = pathlib.Path(entry.path, "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        queue.extend(children.get(pid, []))
    return found


def _memory(pid: int) -> tuple[int, int]:
    """(PSS, RSS) in KiB of one process; zeros when it has gone."""
    pss = rss = 0
    try:
        for line in pathlib.Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
            elif line.startswith("Rss:"):
                rss = int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return pss, rss


if __name__ == "__main__":
    print(json.dumps(sample(int(sys.argv[1]))))
