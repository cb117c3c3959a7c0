"""awx/configure.yml asks AWX for what the awx.awx modules accept and what the roles read.

No AWX server runs here, so the playbook's tasks are checked against the awx.awx modules' own
documented options (ansible-lint cannot: awx.awx's modules subclass AnsibleModule, which its
argument check does not see), and the workflow and credential type against the roles'
argument specs and the example inventory. `make awx-check` runs this with awx.awx installed
(tools/install_awx_collection.py) and ANSIBLE_COLLECTIONS_PATH naming it.
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
from typing import Any

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
AWX = ROOT / "awx"


class _Loader(yaml.SafeLoader):
    """Reads Ansible's !unsafe tag as the plain string it marks."""


_Loader.add_constructor("!unsafe", lambda loader, node: loader.construct_scalar(node))


def _load(path: pathlib.Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - SafeLoader subclass


PLAY = _load(AWX / "configure.yml")[0]
TASKS = [(task["name"], module, args) for task in PLAY["tasks"]
         for module, args in task.items() if module.startswith("awx.awx.")]


def _role_options(role: str) -> dict[str, Any]:
    specs = yaml.safe_load((ROOT / "roles" / role / "meta" / "argument_specs.yml").read_text(encoding="utf-8"))
    return specs["argument_specs"]["main"]["options"]


@pytest.fixture(scope="module")
def module_docs() -> dict[str, dict[str, Any]]:
    names = sorted({module for dummy, module, dummy in TASKS})
    done = subprocess.run([str(pathlib.Path(sys.executable).parent / "ansible-doc"), "-t", "module", "--json", *names],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    docs = json.loads(done.stdout)
    assert sorted(docs) == names, f"awx.awx lacks {sorted(set(names) - set(docs))}: run make awx-check"
    return {name: doc["doc"]["options"] for name, doc in docs.items()}


def _problems(args: dict[str, Any], options: dict[str, Any], where: str) -> list[str]:
    """Unknown option names, literal values outside the choices, and missing required options."""
    names = {alias: name for name, spec in options.items() for alias in [name, *spec.get("aliases", [])]}
    problems = [f"{where}: {name} is required" for name, spec in options.items()
                if spec.get("required") and not {name, *spec.get("aliases", [])} & set(args)]
    for key, value in args.items():
        if key not in names:
            problems.append(f"{where}: no option {key}")
            continue
        spec = options[names[key]]
        choices = spec.get("choices")
        if choices and isinstance(value, (str, int, bool)) and "{{" not in str(value) and value not in choices:
            problems.append(f"{where}.{key}: {value!r} is not one of {list(choices)}")
        sub = spec.get("suboptions")
        items = value if isinstance(value, list) else [value]
        if sub:
            for index, item in enumerate(items):
                if isinstance(item, dict):
                    problems.extend(_problems(item, sub, f"{where}.{key}[{index}]"))
    return problems


@pytest.mark.parametrize("name,module,args", TASKS, ids=[t[0] for t in TASKS])
def test_every_task_uses_options_its_module_has(module_docs, name: str, module: str, args: dict[str, Any]) -> None:
    assert not _problems(args, module_docs[module], module)


def _workflow_and_templates() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    (workflow,) = [args for dummy, module, args in TASKS if module == "awx.awx.workflow_job_template"]
    return workflow, PLAY["vars"]["_awx_templates"]


def test_the_workflow_puts_an_approval_between_the_standby_and_the_primary_phase() -> None:
    workflow, dummy = _workflow_and_templates()
    nodes = {node["identifier"]: node for node in workflow["workflow_nodes"]}
    assert nodes["standby"]["related"]["success_nodes"] == [{"identifier": "approval"}]
    assert nodes["approval"]["unified_job_template"]["type"] == "workflow_approval"
    assert nodes["approval"]["related"]["success_nodes"] == [{"identifier": "primary"}]
    # nothing else leads to the primary phase: a failed standby phase or a denial stops there
    leads = [(n, kind) for n, node in nodes.items() for kind, targets in node.get("related", {}).items()
             if {"identifier": "primary"} in targets]
    assert leads == [("approval", "success_nodes")]
    assert "related" not in nodes["primary"]


@pytest.mark.parametrize("role,variable", [("power_operation_update", "power_operation_update_phase"),
                                           ("system_platform_upgrade", "system_platform_upgrade_phase")])
def test_each_phase_the_workflow_sets_is_one_the_role_has(role: str, variable: str) -> None:
    dummy, templates = _workflow_and_templates()
    (template,) = [t for t in templates if t["phase_variable"] == variable]
    choices = _role_options(role)[variable]["choices"]
    assert {template["standby_phase"], "primary", "all"} <= set(choices)


def test_the_credential_type_injects_variables_the_inventory_and_roles_read() -> None:
    (credential_type,) = [args for dummy, module, args in TASKS if module == "awx.awx.credential_type"]
    injected = set(credential_type["injectors"]["extra_vars"])
    connection = (ROOT / "inventories" / "example" / "group_vars" / "all" / "connection.yml").read_text(encoding="utf-8")
    read = {name for name in injected if "{{ " + name + " }}" in connection}
    defaults = (ROOT / "roles" / "system_platform_upgrade" / "defaults" / "main.yml").read_text(encoding="utf-8")
    read |= {name for name in injected if f"{{{{ {name} | default('') }}}}" in defaults}
    assert injected == read, f"nothing reads {sorted(injected - read)}"
    # a role variable injected as an extra variable would replace the inventory's value, blank or not
    assert not injected & set(_role_options("system_platform_upgrade")), injected
    fields = {field["id"] for field in credential_type["inputs"]["fields"]}
    (credential,) = [args for dummy, module, args in TASKS if module == "awx.awx.credential"]
    assert set(credential["inputs"]) == fields


def test_the_job_templates_run_a_playbook_of_the_site_project() -> None:
    playbook = PLAY["vars"]["awx_playbook"]
    imported = _load(AWX / "site-project" / playbook)
    assert [play["ansible.builtin.import_playbook"] for play in imported] == ["scada.redundancy.redundant_update"]
    wanted = _load(AWX / "site-project" / "collections" / "requirements.yml")["collections"]
    galaxy = yaml.safe_load((ROOT / "galaxy.yml").read_text(encoding="utf-8"))
    assert wanted == [{"name": "scada.redundancy", "version": galaxy["version"]}]


def test_each_job_template_runs_its_products_play() -> None:
    plays = yaml.safe_load((ROOT / "playbooks" / "redundant_update.yml").read_text(encoding="utf-8"))
    tags = {tag for play in plays for tag in play.get("tags", [])}
    (template,) = [args for name, module, args in TASKS if module == "awx.awx.job_template" and "job_tags" in args]
    assert template["job_tags"] == "{{ item.product }}"
    dummy, templates = _workflow_and_templates()
    assert {t["product"] for t in templates} <= tags, tags


def test_the_other_job_templates_run_playbooks_of_the_site_project_that_import_the_collections() -> None:
    others = PLAY["vars"]["_awx_other_templates"]
    for other in others:
        imported = _load(AWX / "site-project" / other["playbook"])
        assert [play["ansible.builtin.import_playbook"] for play in imported] == [
            "scada.redundancy." + other["playbook"].removesuffix(".yml")]
        assert (ROOT / "playbooks" / other["playbook"]).is_file()


def test_the_survey_never_sends_the_version_the_inventory_sets() -> None:
    dummy, templates = _workflow_and_templates()
    (sp,) = [t for t in templates if t["product"] == "system_platform"]
    asked = {question["variable"] for question in sp["survey"]}
    assert "system_platform_upgrade_version" not in asked
    assert asked <= set(_role_options("system_platform_upgrade")), asked


def test_every_job_template_asks_for_the_limit_and_has_a_timeout() -> None:
    for dummy, module, args in TASKS:
        if module == "awx.awx.job_template":
            assert args["ask_limit_on_launch"] is True and args["timeout"] == "{{ awx_job_timeout }}"


def test_the_site_project_enables_the_run_report() -> None:
    import configparser

    config = configparser.ConfigParser()
    config.read(AWX / "site-project" / "ansible.cfg")
    enabled = [name.strip() for name in config["defaults"]["callbacks_enabled"].split(",")]
    assert "scada.redundancy.run_report" in enabled
    assert (ROOT / "plugins" / "callback" / "run_report.py").is_file()
