"""An AWX workflow of awx/configure.yml, run the way AWX runs it: each job through
ansible-runner (the engine of AWX's job execution) from the site project, the nodes in the
order of the workflow's graph, each job's ``set_stats`` artifacts handed to the nodes after
it as extra variables.

From AWX's source (awx/main/models/workflow.py ``WorkflowJobNode.get_job_kwargs``, commit
e21dd0a0933fd544d1fe2513c54fe41203775eb5): a node's extra variables are its own
``extra_data``, then the artifacts of its ancestors over them, then the workflow's own extra
variables over both; awx/main/tasks/callback.py takes a job's artifacts from the
``artifact_data`` of its events (the ``playbook_on_stats`` event set_stats fills). After a
node, the nodes of ``success_nodes`` run when it succeeded and those of ``failure_nodes``
when it failed; an approval node succeeds when approved and fails when denied.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import sys
from typing import Any, Callable

import ansible_runner
import yaml

from devenv import collection_path
from support.ansible_run import ROOT

AWX = ROOT / "awx"
SITE_PROJECT = AWX / "site-project"


class _Loader(yaml.SafeLoader):
    """Reads Ansible's !unsafe tag as the plain string it marks."""


_Loader.add_constructor("!unsafe", lambda loader, node: loader.construct_scalar(node))


@dataclasses.dataclass
class Job:
    node: str
    status: str            # successful | failed
    rc: int
    artifacts: dict[str, Any]
    extra_vars: dict[str, Any]
    events: list[dict[str, Any]]

    def failed_tasks(self) -> list[tuple[str, str]]:
        return [(e["event_data"].get("host", ""), e["event_data"].get("task", "")) for e in self.events
                if e.get("event") == "runner_on_failed"]


def configuration() -> dict[str, Any]:
    """The vars of awx/configure.yml (templates, workflow nodes)."""
    play = yaml.load((AWX / "configure.yml").read_text(encoding="utf-8"), Loader=_Loader)[0]  # noqa: S506
    workflow = next(t["awx.awx.workflow_job_template"] for t in play["tasks"] if "awx.awx.workflow_job_template" in t)
    return {"vars": play["vars"], "workflow_nodes": workflow["workflow_nodes"]}


def run_job(work: pathlib.Path, name: str, playbook: str, inventory: pathlib.Path, extra_vars: dict[str, Any],
            tags: str = "", env: dict[str, str] | None = None) -> Job:
    """One AWX job: ansible-runner with the site project as its project folder."""
    private = work / f"runner-{name}"
    private.mkdir(parents=True)
    runner = ansible_runner.run(
        private_data_dir=str(private), project_dir=str(SITE_PROJECT), playbook=playbook,
        inventory=str(inventory), extravars=extra_vars, cmdline=f"--tags {tags}" if tags else None,
        envvars={"ANSIBLE_COLLECTIONS_PATH": str(collection_path()), "ANSIBLE_HOST_KEY_CHECKING": "false",
                 "ANSIBLE_LOCAL_TEMP": str(private / "tmp"), "HOME": str(private),
                 # the execution environment's ansible-playbook: this virtualenv's
                 "PATH": f"{pathlib.Path(sys.executable).parent}:{os.environ.get('PATH', '')}", **(env or {})},
        quiet=True, timeout=600)
    events = list(runner.events)
    artifacts: dict[str, Any] = {}
    for event in events:
        artifacts.update(event.get("event_data", {}).get("artifact_data") or {})
    return Job(name, runner.status, runner.rc, artifacts, extra_vars, events)


def run_workflow(product: str, work: pathlib.Path, inventory: pathlib.Path, workflow_vars: dict[str, Any],
                 approve: Callable[[dict[str, Job]], bool], ancestors: dict[str, Any] | None = None,
                 env: dict[str, str] | None = None) -> dict[str, Job | str]:
    """Run the workflow of ``product`` from its root nodes; what each node did (a Job, or
    ``approved`` / ``denied``), in the order they ran."""
    config = configuration()
    template = next(t for t in config["vars"]["_awx_templates"] if t["product"] == product)
    nodes = {n["identifier"]: n for n in config["workflow_nodes"]}
    targets = {t["identifier"] for n in nodes.values() for ts in n.get("related", {}).values() for t in ts}
    pending = [(name, dict(ancestors or {})) for name in nodes if name not in targets]
    done: dict[str, Job | str] = {}
    while pending:
        name, artifacts = pending.pop(0)
        node = nodes[name]
        kind = node["unified_job_template"]["type"]
        if kind == "workflow_approval":
            ok = approve(dict((k, v) for k, v in done.items() if isinstance(v, Job)))
            done[name] = "approved" if ok else "denied"
            passed = artifacts
        else:
            extra = {template["phase_variable"]: "all", **_render(node.get("extra_data"), template)}
            extra.update(artifacts)          # the ancestors' artifacts over the node's extra data
            extra.update(workflow_vars)      # the workflow's extra variables over both
            job = run_job(work, f"{product}-{name}", config["vars"]["awx_playbook"], inventory, extra,
                          tags=product, env=env)
            done[name] = job
            ok = job.status == "successful"
            passed = {**artifacts, **job.artifacts}
        for follow in node.get("related", {}).get("success_nodes" if ok else "failure_nodes", []):
            pending.append((follow["identifier"], passed))
    return done


def _render(extra_data: Any, template: dict[str, Any]) -> dict[str, Any]:
    """The node's extra_data as configure.yml's loop renders it for ``template``."""
    if not extra_data:
        return {}
    text = str(extra_data).strip()
    if text == "{{ {item.phase_variable: item.standby_phase} }}":
        return {template["phase_variable"]: template["standby_phase"]}
    if text == "{{ {item.phase_variable: 'primary'} }}":
        return {template["phase_variable"]: "primary"}
    raise AssertionError(f"extra_data {text!r} of awx/configure.yml is not one this harness renders")
