"""The benchmark results as markdown: one table per benchmark, goals checked, machine named."""

from __future__ import annotations

from typing import Any

from .roundtrips import COLUMNS


def markdown(results: dict[str, Any]) -> str:
    lines = [f"Run {results['started_utc']} on {results['machine']['summary']} "
             f"(load average at start {results['machine']['load_average_at_start']}), "
             f"`{results['command']}`, {results['duration_seconds']:.0f} s in all.", ""]
    for title, render, key in (("1. Backup transfer through the controller", _transfer, "transfer"),
                               ("2. Orchestration overhead of one pair's update", _orchestration, "orchestration"),
                               ("3. Fleet: pairs updated in one playbook run", _fleet, "fleet"),
                               ("4. WinRM round trips per module call", _roundtrips, "orchestration")):
        if results.get(key):
            lines += [f"### {title}", "", *render(results[key]), ""]
    return "\n".join(lines)


def _ratio(ratio: float | None, goal: float) -> str:
    return "-" if ratio is None else f"{ratio:.3f}, {_goal(ratio <= goal)}"


def _goal(met: bool) -> str:
    return "met" if met else "**missed**"


def _transfer(runs: list[dict[str, Any]]) -> list[str]:
    lines = ["| archive | time scale | reps | archive_copy median | ansible fetch_file + put_file median "
             "| speedup (goal >= 3) | archive_copy controller peak PSS | ansible controller peak PSS |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for run in runs:
        ours, theirs = run["archive_copy"], run["ansible_fetch_put"]
        lines.append(f"| {run['size_mib']:g} MiB | {run['time_scale']:g} | {run['repetitions']} "
                     f"| {ours['median_wall_seconds']:.1f} s ({ours['mib_per_second']:.2f} MiB/s) "
                     f"| {theirs['median_wall_seconds']:.1f} s ({theirs['mib_per_second']:.2f} MiB/s) "
                     f"| {run['speedup']:.2f}x, {_goal(run['speedup'] >= 3)} "
                     f"| {ours['median_peak_pss_mib']:.0f} MiB, {_goal(ours['median_peak_pss_mib'] < 200)} "
                     f"| {theirs['median_peak_pss_mib']:.0f} MiB |")
    return lines


def _orchestration(run: dict[str, Any]) -> list[str]:
    ratio = run["median_overhead_ratio"]
    lines = ["| pairs | time scale | reps | wall median | modelled critical path | ratio (goal <= 1.15) "
             "| controller CPU | controller peak PSS |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |",
             f"| 1 | {run['time_scale']:g} | {run['repetitions']} | {run['median_wall_seconds']:.1f} s "
             f"| {run['median_modelled_critical_path_seconds']:.1f} s | {ratio:.3f}, {_goal(ratio <= 1.15)} "
             f"| {run['median_cpu_seconds']:.1f} s | {run['median_peak_pss_mib']:.0f} MiB |", "",
             "Time without redundancy (the slowest pair; goal: window / its modelled minimum <= 1.05):", "",
             "| window median | modelled vendor work inside it | ratio |", "| --- | --- | --- |",
             f"| {run['median_redundancy_window_seconds']:.1f} s "
             f"| {run['median_redundancy_window_modelled_minimum_seconds']:.1f} s "
             f"| {_ratio(run['median_redundancy_window_ratio'], 1.05)} |", "",
             "Slowest steps of the first repetition (step_timings):", "",
             "| step | host | seconds |", "| --- | --- | --- |"]
    for step in run["runs"][0]["slowest_steps"]:
        lines.append(f"| {step['step']} | {step['host']} | {step['seconds']:.1f} |")
    return lines


def _fleet(runs: list[dict[str, Any]]) -> list[str]:
    base = runs[0]["median_wall_seconds"]
    lines = ["| pairs | forks | time scale | reps | wall median | vs 1 pair (goal 25 pairs <= 1.5x) "
             "| modelled critical path | controller CPU | controller peak PSS |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for run in runs:
        ratio = run["median_wall_seconds"] / base
        verdict = f", {_goal(ratio <= 1.5)}" if run["pairs"] >= 25 else ""
        lines.append(f"| {run['pairs']} | {run['forks']} | {run['time_scale']:g} | {run['repetitions']} "
                     f"| {run['median_wall_seconds']:.1f} s | {ratio:.2f}x{verdict} "
                     f"| {run['median_modelled_critical_path_seconds']:.1f} s | {run['median_cpu_seconds']:.1f} s "
                     f"| {run['median_peak_pss_mib']:.0f} MiB |")
    return lines


def _roundtrips(run: dict[str, Any]) -> list[str]:
    rows = run.get("roundtrips") or []
    header = " | ".join(f"{name} (median / max)" for name in COLUMNS.values())
    lines = [f"Counted by the twin during the orchestration runs at time scale {run['time_scale']:g}.", "",
             f"| module | calls | {header} |", "| --- | --- |" + " --- |" * len(COLUMNS)]
    for row in rows:
        cells = " | ".join(f"{row[key]['median']:g} / {row[key]['max']:g}" for key in COLUMNS)
        lines.append(f"| {row['module']} | {row['calls']} | {cells} |")
    return lines
