"""Passwords never leak: the WinRM password, the galaxy (GRAccess) password, the installer's
administrator password and the CtAPI password are searched for, in every form a leak could take
(support/secrets.py), in the whole output of -vvvvv runs (all of -vvvv, plus the WinRM
exchanges), in every file the runs wrote (the ansible log, results, step timings, the run
report, backups and their members, ansible's temp dirs) and on the twin hosts' disks
afterwards. Failure paths run too: that is where messages echo values.
"""

from __future__ import annotations

import base64
import json
import pathlib
import secrets as random_secrets
import tempfile

import pytest

from support import secrets as leaks
from support.ansible_run import ROOT, PlaybookRun, run_playbook
from support.lab import lab_inventory, lab_spec
from support.plants import USER, inventory
from support.sp_plant import GALAXY, sp_plant_spec

PLAYBOOKS = ROOT / "playbooks"
#: One more than the -vvvv asked for: ansible-core's winrm plugin adds its WinRM exchanges.
VERBOSITY = "-vvvvv"
SETUP = "C:\\Media\\SP2023R2SP1\\setup.exe"


def _secret(label: str) -> str:
    """A password with a quote, a backslash and a non-ASCII letter, unique to this run."""
    return f'{label}-"S3c\\ré-{random_secrets.token_hex(6)}'


WINRM, WRONG_WINRM, GALAXY_PASSWORD, ADMIN, CTAPI = (
    _secret("WinRM"), _secret("Wrong"), _secret("Galaxy"), _secret("Admin"), _secret("CtApi"))
SECRETS = {"WinRM password": WINRM, "wrong WinRM password": WRONG_WINRM,
           "galaxy password": GALAXY_PASSWORD, "installer password": ADMIN, "CtAPI password": CTAPI}
VARIABLE = {name: "secret_" + name.lower().replace(" ", "_") for name in SECRETS}


def test_the_search_finds_each_form_a_leak_could_take():
    command = "$p = '" + WINRM + "'; Connect-Thing -Password $p"
    for offset in range(3):
        stream = b"x" * offset + base64.b64encode(("prefix" * offset + command).encode("utf-16-le"))
        assert "WinRM password as text utf-16-le base64 offset" in " ".join(leaks.find_in_bytes(stream, SECRETS))
    assert leaks.find_in_bytes(repr({"msg": WINRM}).encode(), SECRETS)
    document = json.dumps({"password": WINRM})
    assert leaks.find_in_bytes(document.encode(), SECRETS)
    assert leaks.find_in_bytes(base64.b64encode(("x" + document).encode("utf-16-le")), SECRETS)
    assert leaks.find_in_bytes(WINRM.encode("utf-16-le"), SECRETS)
    assert not leaks.find_in_bytes(b"no secret here " * 100, SECRETS)


def _environment(tmp_path):
    """Every output ansible and the collection's callbacks can write, under tmp_path."""
    callbacks = ["record_results", "scada.redundancy.step_timings"]
    if (ROOT / "plugins" / "callback" / "run_report.py").exists():
        callbacks.append("scada.redundancy.run_report")
    return {"ANSIBLE_LOG_PATH": str(tmp_path / "ansible.log"),
            "ANSIBLE_CALLBACKS_ENABLED": ",".join(callbacks),
            "SCADA_REDUNDANCY_TIMINGS_FILE": str(tmp_path / "timings.json"),
            "SCADA_REDUNDANCY_REPORT_DIR": str(tmp_path / "report"),
            "ANSIBLE_HOME": str(tmp_path / "ansible-home"),
            "TMPDIR": str(_short_tmp(tmp_path))}


def _short_tmp(tmp_path):
    """The runs' TMPDIR: a short path, since ansible-core 2.21 binds a unix socket there (its
    local RPC server) and a socket path over 107 bytes cannot be bound; searched like tmp_path."""
    marker = tmp_path / "tmpdir.txt"
    if not marker.exists():
        marker.write_text(tempfile.mkdtemp(prefix="scs-", dir="/tmp"), encoding="utf-8")
    return pathlib.Path(marker.read_text(encoding="utf-8"))


def _inputs(tmp_path):
    """Where the user's files go (inventory, plays, the secrets file a vault would be): the
    secrets are there by design, so this folder is not searched."""
    folder = tmp_path / "inputs"
    folder.mkdir(exist_ok=True)
    return folder


def _secrets_file(tmp_path):
    """The secrets as variables, as a vault file holds them; plays and inventory name the
    variables (a password written literally in a play is shown by ansible-core 2.19+ in the
    source lines it prints around a failing task)."""
    import yaml

    path = _inputs(tmp_path) / "secrets.yml"
    path.write_text(yaml.safe_dump({VARIABLE[name]: value for name, value in SECRETS.items()},
                                   allow_unicode=True), encoding="utf-8")
    return path


def _start(make_plant, tmp_path, spec):
    """A plant whose hosts take the WinRM secret; its inventory names the secret's variable."""
    for host in spec["hosts"]:
        host["accounts"] = [{"user": USER, "password": WINRM}]
    return make_plant(spec), {"ansible_password": _var("WinRM password")}


def _var(name):
    return "{{ " + VARIABLE[name] + " }}"


def _run(tmp_path, playbook, hosts, *args):
    return run_playbook(playbook, hosts, tmp_path, VERBOSITY, "-e", f"@{_secrets_file(tmp_path)}", *args,
                        env=_environment(tmp_path))


def _play(tmp_path, name, hosts, tasks):
    import yaml

    path = _inputs(tmp_path) / f"{name}.yml"
    path.write_text(yaml.safe_dump([{"hosts": hosts, "gather_facts": False, "tasks": tasks}],
                                   allow_unicode=True), encoding="utf-8")
    return path


def _assert_nothing_leaked(plant, tmp_path, runs: list[PlaybookRun]):
    # not searched: the twin's own state (the simulated hosts' accounts) and the user's inputs
    skip = [*tmp_path.glob("plant-*"), _inputs(tmp_path)]
    found = [f"output of run {n}: {leak}" for n, run in enumerate(runs)
             for leak in leaks.find_in_bytes(run.output.encode("utf-8"), SECRETS)]
    found += leaks.find_in_files(tmp_path, SECRETS, skip=skip)
    found += leaks.find_in_files(_short_tmp(tmp_path), SECRETS)
    found += leaks.find_on_hosts(plant, SECRETS)
    assert not found, "secrets leaked:\n" + "\n".join(found)
    log = (tmp_path / "ansible.log").read_text(encoding="utf-8")
    assert "ESTABLISH WINRM CONNECTION" in log, "the log must hold the -vvvv connection details"
    written = leaks.files_written(tmp_path, skip=skip)
    assert written >= 5
    print(f"\nsecrets: {len(SECRETS)} secrets x {len(leaks.leak_forms(WINRM))} forms searched in "
          f"{sum(len(r.output) for r in runs)} characters of output, {written} files and "
          f"{sum(len(list(h.fs.walk_files('C:' + chr(92)))) for h in plant.hosts.values())} files on C: of the hosts")


@pytest.mark.timeout(900)
def test_the_redundant_update_at_vvvv_leaks_no_password(make_plant, tmp_path):
    plant, login = _start(make_plant, tmp_path, lab_spec())
    hosts = lab_inventory(plant, _inputs(tmp_path) / "inventory.yml", **login)
    change = _run(tmp_path, PLAYBOOKS / "change_from_workstation.yml", hosts, "-e", f"change_dir={tmp_path / 'change'}")
    assert change.rc == 0, change.output[-3000:]
    archive = next((tmp_path / "change").glob("*.ctz"))
    update = _run(tmp_path, PLAYBOOKS / "redundant_update.yml", hosts,
                  "-e", f"power_operation_update_change_archive={archive}",
                  "-e", f"power_operation_update_backup_dir={tmp_path / 'backups'}")
    assert update.rc == 0, update.output[-3000:]
    ctapi = {"user": "ctuser", "password": _var("CtAPI password"), "timeout": 10}
    modules = _run(tmp_path, _play(tmp_path, "ctapi", "po-a", [
        {"name": "po_info with a CtAPI login", "scada.redundancy.po_info": {
            "ctapi_user": "ctuser", "ctapi_password": _var("CtAPI password")}},
        {"name": "runtime with a CtAPI login", "scada.redundancy.runtime": {
            "state": "started", "timeout": 30, "ctapi": ctapi}},
        {"name": "a CtAPI library that is missing", "scada.redundancy.po_info": {
            "ctapi_user": "ctuser", "ctapi_password": _var("CtAPI password"), "ctapi_dll": "C:\\nowhere\\CtApi.dll"}},
        {"name": "a CtAPI login refused on the controller", "scada.redundancy.runtime": {
            "state": "started", "ctapi": {**ctapi, "cluster": "not a name!"}}, "ignore_errors": True}]), hosts)
    assert modules.task("po_info with a CtAPI login")["status"] == "ok", modules.output[-3000:]
    assert modules.task("runtime with a CtAPI login")["status"] == "ok", modules.output[-3000:]
    assert modules.task("a CtAPI library that is missing")["result"]["warnings"]
    assert modules.task("a CtAPI login refused on the controller")["status"] == "failed"
    _assert_nothing_leaked(plant, tmp_path, [change, update, modules])


@pytest.mark.timeout(900)
def test_galaxy_and_installer_passwords_at_vvvv_leak_nowhere(make_plant, tmp_path):
    plant, login = _start(make_plant, tmp_path, sp_plant_spec())
    for host in plant.hosts.values():
        host.fs.write(SETUP, b"MZ setup")
    hosts = inventory(plant, _inputs(tmp_path) / "inventory.yml", **login)
    _add_host_with_wrong_password(hosts, plant)
    galaxy = {"galaxy": GALAXY, "galaxy_user": "admin", "galaxy_password": _var("galaxy password")}
    install = {"version": "23.1.100", "setup_path": SETUP, "admin_user": "svc_archestra",
               "admin_password": _var("installer password"), "admin_domain": "PLANT", "poll_interval": 0.3,
               "long_poll": 5, "reboot_delay": 1}
    plant.inject("sp-a", "sp_install_fails", message="setup failed: 1603")
    runs = [
        _run(tmp_path, _play(tmp_path, "galaxy", "gr", [
            {"name": "galaxy_info", "scada.redundancy.galaxy_info": galaxy},
            {"name": "galaxy_deploy", "scada.redundancy.galaxy_deploy": {**galaxy, "platform": "P0"}},
            {"name": "galaxy_deploy of nothing", "scada.redundancy.galaxy_deploy": {**galaxy, "objects": ["Nope"]},
             "ignore_errors": True}]), hosts),
        _run(tmp_path, _play(tmp_path, "install", "sp-a:sp-b", [
            {"name": "sp_install", "scada.redundancy.sp_install": install, "ignore_errors": True}]), hosts),
        _run(tmp_path, _play(tmp_path, "wrong", "wrong-password", [
            {"name": "host_info", "scada.redundancy.host_info": {}}]), hosts),
    ]
    galaxy_run, install_run, wrong_run = runs
    assert galaxy_run.task("galaxy_info")["status"] == "ok", galaxy_run.output[-3000:]
    assert galaxy_run.task("galaxy_deploy")["status"] == "ok", galaxy_run.output[-3000:]
    assert galaxy_run.task("galaxy_deploy of nothing")["status"] == "failed"
    assert install_run.task("sp_install", "sp-b")["status"] == "ok", install_run.output[-3000:]
    assert install_run.task("sp_install", "sp-a")["status"] == "failed", install_run.output[-3000:]
    assert wrong_run.task("host_info")["status"] == "unreachable", wrong_run.output[-3000:]
    _assert_nothing_leaked(plant, tmp_path, runs)


def _add_host_with_wrong_password(path, plant):
    """A second name for the GR node whose login is refused: the refusal must not echo it."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    gr = plant.hosts["gr"]
    data["all"]["hosts"]["wrong-password"] = {"ansible_host": gr.address, "ansible_port": gr.spec.http_port,
                                              "ansible_password": _var("wrong WinRM password")}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
