"""The GRAccess helper, run under mono against the fake GRAccess with state from the twin.

What the helper asks GRAccess for is replayed on the twin's System Platform model, so the
upgrade procedure's galaxy steps (migrate, cascade deploys) are driven through the helper's
JSON protocol end to end: request in, CommandResults checked, one JSON document out.
"""

from __future__ import annotations

import pytest

from scada_twin.system_platform import states
from support import grstub
from support.sp_hosts import NEW, RESPONSE, WAIT, done, make_galaxy, settle  # noqa: F401

pytestmark = pytest.mark.skipif(
    grstub.MCS is None or grstub.MONO is None,
    reason="mcs and mono (Debian packages mono-mcs, mono-runtime) are not installed; "
           "`make deps` installs them")

SECRET = "Galaxy-Passw0rd!"


@pytest.fixture(scope="module")
def helper_exe(tmp_path_factory):
    return grstub.build(tmp_path_factory.mktemp("grhelper"))


@pytest.fixture
def helper(helper_exe, tmp_path, make_galaxy):
    """(galaxy, hosts, runner, base request) for the default three-node plant."""
    galaxy, hosts = make_galaxy()
    runner = grstub.Runner(helper_exe, tmp_path)
    runner.write_state(grstub.state_from_galaxy(galaxy, users={"admin": SECRET}))
    base = {"galaxy": galaxy.name, "gr_node": "GR", "user": "admin", "password": SECRET}
    return galaxy, hosts, runner, base


def _export(runner, galaxy, **extra):
    runner.write_state(grstub.state_from_galaxy(galaxy, users={"admin": SECRET}, **extra))


def test_galaxy_info_logs_in_and_reports_the_version(helper):
    galaxy, _, runner, base = helper
    rc, doc, stdout = runner.run({**base, "command": "galaxy_info"})
    assert rc == 0 and doc["failed"] is False and doc["changed"] is False
    assert doc["galaxy"] == {"name": galaxy.name, "version_string": galaxy.version,
                             "version_number": grstub.version_number(galaxy.version),
                             "upgrade_required": False}
    assert doc["login"] == "ok"
    assert [(c["step"], c["successful"]) for c in doc["calls"]] == [
        ("QueryGalaxies", True), ("Login", True)]
    assert SECRET not in stdout


def test_query_lists_platforms_and_engines_with_host_and_status(helper):
    galaxy, _, runner, base = helper
    rc, doc, _ = runner.run({**base, "command": "query"})
    assert rc == 0
    assert [(o["tagname"], o["kind"], o["host"], o["deployment_status"]) for o in doc["objects"]] == [
        ("P0", "platform", "", "deployed"), ("P1", "platform", "", "deployed"),
        ("P2", "platform", "", "deployed"), ("E1", "engine", "P1", "deployed"),
        ("E1b", "engine", "P2", "deployed")]
    rc, doc, _ = runner.run({**base, "command": "query", "names": ["E1_Obj001"],
                             "conditions": [{"type": "deploymentStatusIs",
                                             "value": "notDeployed"}]})
    assert rc == 0 and [o["tagname"] for o in doc["objects"]] == ["E1_Obj001"]


def test_the_procedures_galaxy_steps_through_the_helper(helper):
    galaxy, hosts, runner, base = helper
    gr = hosts["gr"].system_platform
    done(gr.install(NEW, RESPONSE))
    done(gr.reboot())
    _export(runner, galaxy)

    rc, doc, _ = runner.run({**base, "command": "galaxy_info"})
    assert rc == 0 and doc["galaxy"]["upgrade_required"] is True
    assert doc["login"].startswith("skipped")

    rc, doc, _ = runner.run({**base, "command": "migrate"})
    assert rc == 0 and doc["changed"] is True
    assert doc["galaxy"]["version_string"] == NEW and doc["galaxy"]["upgrade_required"] is False
    (op,) = grstub.replay(galaxy, runner.calls(), WAIT)
    assert op.succeeded and galaxy.version == NEW

    _export(runner, galaxy)
    rc, doc, _ = runner.run({**base, "command": "migrate"})
    assert rc == 0 and doc["changed"] is False and "does not need" in doc["msg"]

    # the GR platform was undeployed by setup: cascade deploy it
    rc, doc, _ = runner.run({**base, "command": "deploy", "objects": ["P0"]})
    assert rc == 0 and doc["changed"] is True
    assert doc["objects"] == [{"tagname": "P0", "kind": None, "host": "",
                               "deployment_status": "deployed",
                               "previous_status": "notDeployed"}]
    (op,) = grstub.replay(galaxy, runner.calls("Deploy"), WAIT)
    assert op.succeeded and galaxy.platform("P0").deployment == states.DEPLOYED

    # the standby node, then a cascade deploy of its platform
    node = hosts["sp-b"].system_platform
    done(node.install(NEW, RESPONSE))
    done(node.reboot())
    _export(runner, galaxy)
    rc, doc, _ = runner.run({**base, "command": "deploy", "objects": ["P2"], "cascade": True})
    assert rc == 0
    deploy = runner.calls("Deploy")[0]
    assert deploy["object"] == "P2" and deploy["args"]["cascade"] == "doCascade"
    (op,) = grstub.replay(galaxy, runner.calls("Deploy"), WAIT)
    assert op.succeeded, op.as_dict()
    settle(*hosts.values())
    assert galaxy.engine("E1b").redundancy_status == states.ACTIVE_UPGRADE


def test_a_failed_deploy_reports_the_command_result(helper):
    galaxy, _, runner, base = helper
    _export(runner, galaxy, failures=[{"call": "Deploy", "object": "E1b", "id": 7,
                                       "text": "Deploy failed",
                                       "custom_message": "partner E1 is not reachable"}])
    rc, doc, _ = runner.run({**base, "command": "deploy", "objects": ["E1b", "E1"],
                             "action": "redeployOriginal"})
    assert rc == 1 and doc["failed"] is True and doc["category"] == "graccess"
    assert doc["msg"] == "Deploy E1b failed: Deploy failed (partner E1 is not reachable)"
    assert doc["results"] == [{"object": "E1b", "successful": False, "id": "7",
                               "text": "Deploy failed",
                               "custom_message": "partner E1 is not reachable"}]
    assert [c["object"] for c in runner.calls("Deploy")] == ["E1b"]  # stopped at the failure
    rc, doc, _ = runner.run({**base, "command": "deploy", "objects": ["E1b", "E1"],
                             "action": "redeployOriginal", "continue_on_error": True})
    assert rc == 1 and [r["successful"] for r in doc["results"]] == [False, True]


def test_a_collection_deploy_reads_every_command_result(helper):
    galaxy, _, runner, base = helper
    done(galaxy.undeploy(["E1b"]))
    _export(runner, galaxy)
    rc, doc, _ = runner.run({**base, "command": "deploy", "objects": ["E1b", "P1"],
                             "mode": "collection", "cascade": False})
    assert rc == 0
    assert [r["object"] for r in doc["results"]] == ["E1b", "P1"]
    assert doc["calls"][-2] == {"step": "Deploy", "object": "collection", "successful": True,
                                "text": "CompletelySuccessful"}


def test_a_backup_calls_igalaxy_backup_without_a_login(helper):
    galaxy, hosts, runner, base = helper
    path = "C:\\Backups\\Galaxy-23.0.cab"
    rc, doc, stdout = runner.run({**base, "command": "backup", "path": path})
    assert rc == 0 and doc["changed"] is True and doc["backup_path"] == path
    assert [c["step"] for c in doc["calls"]] == ["QueryGalaxies", "Backup"]  # no Login
    (call,) = runner.calls("Backup")
    assert call["object"] == galaxy.name and call["args"]["path"] == path
    assert call["args"]["gr_node"] == "GR" and call["args"]["process_id"] > 0
    assert SECRET not in stdout
    (op,) = grstub.replay(galaxy, runner.calls(), WAIT)
    assert op.succeeded and hosts["gr"].fs.read(path).startswith(b"MSCF")


def test_a_failed_backup_reports_the_command_result(helper):
    galaxy, _, runner, base = helper
    _export(runner, galaxy, failures=[{"call": "Backup", "object": galaxy.name, "id": 3,
                                       "text": "Backup failed", "custom_message": "disk full"}])
    rc, doc, _ = runner.run({**base, "command": "backup", "path": "C:\\B\\g.cab"})
    assert rc == 1 and doc["category"] == "graccess" and doc["changed"] is False
    assert doc["msg"] == "Backup Galaxy failed: Backup failed (disk full)"


@pytest.mark.parametrize("request_, message", [
    ({"command": "backup", "galaxy": "Galaxy"}, "'path' is required"),
    ({"command": "backup", "galaxy": "Galaxy", "path": "galaxy.cab"}, "must be a full path"),
    ({"command": "backup", "galaxy": "Galaxy", "path": "\\galaxy.cab"}, "must be a full path"),
    ('not json', "not valid JSON"),
    ('["query"]', "one JSON object"),
    ({"command": "query"}, "'galaxy' is required"),
    ({"command": "format_disk", "galaxy": "Galaxy"}, "unknown command"),
    ({"command": "deploy", "galaxy": "Galaxy", "objects": []}, "at least one object"),
    ({"command": "deploy", "galaxy": "Galaxy", "objects": ["P1"], "mode": "collection"},
     "without a cascade flag"),
    ({"command": "deploy", "galaxy": "Galaxy", "objects": ["P1"], "action": "force"},
     "'action' must be"),
    ({"command": "deploy", "galaxy": "Galaxy", "objects": "P1"}, "must be a list"),
])
def test_an_invalid_request_exits_2_before_touching_graccess(helper, request_, message):
    _, _, runner, _ = helper
    rc, doc, _ = runner.run(request_)
    assert rc == 2 and doc["failed"] is True and doc["category"] == "invalid_request"
    assert message in doc["msg"]
    assert runner.calls() == []


def test_a_wrong_password_or_a_missing_object_fails_with_exit_1(helper):
    _, _, runner, base = helper
    rc, doc, stdout = runner.run({**base, "command": "query", "password": "wrong"})
    assert rc == 1 and doc["msg"] == "Login Galaxy failed: Login failed (invalid user name or password)"
    assert "wrong" not in stdout and SECRET not in stdout
    rc, doc, _ = runner.run({**base, "command": "undeploy", "objects": ["E1", "Nope"]})
    assert rc == 1 and "some objects do not exist" in doc["msg"]
    assert doc["results"] == [{"object": "Nope", "successful": False, "id": "", "text": "",
                               "custom_message": "no instance named 'Nope' in galaxy 'Galaxy'"}]
    assert runner.calls("Undeploy") == []
    rc, doc, _ = runner.run({**base, "command": "galaxy_info", "gr_node": "OTHER"})
    assert rc == 1
    assert doc["msg"] == "QueryGalaxies OTHER failed: node OTHER is not a Galaxy Repository"
