"""The agent protocol end to end on a twin host: the shipped bootstrap's command line, the
request the controller builds, the twin binding arguments as PowerShell binds a splat.
"""

from __future__ import annotations

import base64
import json

import pytest

from ansible_collections.scada.redundancy.plugins.plugin_utils import _agent, _verbs
from scada_twin import agent

from winrs_harness import make_host, run


def _agent_run(host, calls, step="test_step", request=None):
    line = _agent.agent_command_line()
    stdin = request if request is not None else _agent.build_request(step, calls)
    result = run(host, line, [], [(stdin, True)])
    return result, json.loads(result.stdout.decode().splitlines()[-1])


def test_command_line_is_the_encoded_agent_under_the_recognised_prefix():
    line = _agent.agent_command_line()
    decoded = base64.b64decode(line.split()[-1]).decode("utf-16-le")
    assert decoded.startswith(agent.AGENT_MARKER)
    assert len(line) < 8191  # cmd.exe's limit


def test_request_is_one_ascii_json_line_whatever_the_values():
    hostile = "x'\n; $(calc) `whoami` é€😀\0"
    request = _agent.build_request("s", [_verbs.volume_get(hostile), _verbs.volume_get("C:")])
    assert request.endswith(b"\n") and request.count(b"\n") == 1
    decoded = json.loads(request)
    assert [v["name"] for v in decoded["verbs"]] == ["volume_get"], "each verb travels once"
    assert decoded["verbs"][0]["script"] == _agent.verb_script("volume_get")
    assert decoded["calls"][0]["args"] == {"drive": hostile}


def test_a_batch_answers_each_call_in_order():
    host = make_host()
    result, answer = _agent_run(host, [_verbs.host_facts(), _verbs.volume_get(""),
                                       _verbs.volume_get("Q:")])
    assert result.rc == 0
    facts, system, missing = (r["value"] for r in answer["results"])
    assert facts["computer_name"] == "SCADA1"
    assert system["drive"] == "C:" and system["exists"] is True
    assert missing == {"drive": "Q:", "exists": False, "free_bytes": None, "size_bytes": None}
    assert host.stats.snapshot()["powershell_processes"] == 1


@pytest.mark.parametrize("args, message", [
    ({"drive": "C:", "bogus": 1}, "A parameter cannot be found that matches parameter name 'bogus'"),
    ({"names": []}, "missing mandatory parameters: path"),
    ({"path": ""}, "Cannot bind argument to parameter 'path' because it is an empty string"),
])
def test_arguments_the_script_does_not_declare_are_refused_as_powershell_would(args, message):
    verb = "volume_get" if "drive" in args else "registry_subkeys"
    result, answer = _agent_run(make_host(), [_agent.VerbCall(verb, args), _verbs.host_facts()])
    assert result.rc == 0
    assert len(answer["results"]) == 1, "the calls after a failed one do not run"
    failure = answer["results"][0]
    assert failure["ok"] is False and failure["category"] is None
    assert _agent.exception_category(failure["type"]) == "invalid_arguments"
    assert message in failure["msg"]


def test_a_verb_the_collection_does_not_ship_is_refused():
    request = json.loads(_agent.build_request("s", [_verbs.host_facts()]))
    request["verbs"] = [{"name": "format_disk", "script": "# scada.redundancy:verb format_disk\nparam()\n"}]
    request["calls"] = [{"verb": "format_disk", "args": {}}]
    result, answer = _agent_run(make_host(), [], request=json.dumps(request).encode() + b"\n")
    assert result.rc == 1 and answer["category"] == "unsupported"
    assert b"unsupported verb 'format_disk'" in result.stderr


def test_a_script_whose_marker_names_another_verb_is_refused():
    request = json.loads(_agent.build_request("s", [_verbs.host_facts()]))
    request["verbs"][0]["script"] = _agent.verb_script("volume_get")
    result, answer = _agent_run(make_host(), [], request=json.dumps(request).encode() + b"\n")
    assert result.rc == 1 and answer["category"] == "unsupported"


def test_an_unreadable_request_is_a_protocol_failure():
    result, answer = _agent_run(make_host(), [], request=b"not json\n")
    assert result.rc == 1 and answer["category"] == "protocol"


def test_a_core_that_is_not_the_shipped_one_is_refused():
    request = json.loads(_agent.build_request("s", [_verbs.host_facts()]))
    request["core"] = "Remove-Item C:\\ -Recurse"
    result, answer = _agent_run(make_host(), [], request=json.dumps(request).encode() + b"\n")
    assert result.rc == 1 and answer["category"] == "unsupported"


def test_a_repeated_batch_answers_at_once_when_its_answer_changed_and_waits_when_not():
    host = make_host()
    calls = [_verbs.volume_get("C:")]
    _, first = _agent_run(host, calls)
    changed = _agent.build_request("s", calls, _agent.Repeat("not-this-digest", 30.0, 1.0))
    _, again = _agent_run(host, [], request=changed)
    assert again["digest"] == first["digest"] and again["waited"] == 0.0
    same = _agent.build_request("s", calls, _agent.Repeat(first["digest"], 0.05, 0.01))
    _, waited = _agent_run(host, [], request=same)
    assert waited["digest"] == first["digest"]
    assert host.stats.snapshot()["verb.volume_get"] > 3, "the host polled until max_wait"


def test_a_reference_takes_a_value_from_an_earlier_call_or_skips_the_call():
    host = make_host()
    host.registry.set_value("HKLM\\SOFTWARE\\Vendor\\Installs\\8.2", "Ini", "C:\\Cfg\\a.ini")
    host.fs.write("C:\\Cfg\\a.ini", b"[A]")
    result, answer = _agent_run(host, [
        _verbs.registry_subkeys("HKLM:\\SOFTWARE\\Vendor\\Installs", ["Ini"]),
        _verbs.file_read(_agent.ref(0, "SUBKEYS", 0, "values", "Ini")),
        _verbs.registry_subkeys("HKLM:\\SOFTWARE\\Vendor\\Missing", ["Ini"]),
        _verbs.file_read(_agent.ref(2, "subkeys", 0, "values", "Ini")),
        _verbs.host_facts()])
    assert result.rc == 0
    found, skipped, facts = answer["results"][1], answer["results"][3], answer["results"][4]
    assert base64.b64decode(found["value"]["base64"]) == b"[A]"
    assert skipped == {"ok": True, "skipped": True, "value": None}
    assert facts["ok"] and facts["value"]["ansi_code_page"] == 1252


def test_tree_list_walks_breadth_first_to_its_depth_and_skips_top_folders():
    host = make_host()
    for path, content in {"P\\a.DBF": b"a", "P\\sub\\deep.txt": b"d", "P.previous\\a.DBF": b"old",
                          "include.DBF": b"x", "P\\include.DBF": b"Site"}.items():
        host.fs.write(f"C:\\U\\{path}", content)
    dummy, answer = _agent_run(host, [
        _verbs.tree_list("C:\\U", depth=2, sha256=True, read=["include.dbf"], skip=["*.previous"]),
        _verbs.tree_list("C:\\U\\P", depth=-1, max_read=0, read=["*"]),
        _verbs.tree_list("C:\\Nowhere")])
    shallow, deep, missing = (r["value"] for r in answer["results"])
    assert [e["path"] for e in shallow["entries"]] == ["include.DBF", "P", "P\\a.DBF", "P\\include.DBF", "P\\sub"]
    by_path = {e["path"]: e for e in shallow["entries"]}
    assert base64.b64decode(by_path["P\\include.DBF"]["base64"]) == b"Site"
    assert by_path["P\\a.DBF"]["sha256"] == host.fs.sha256("C:\\U\\P\\a.DBF") and by_path["P\\sub"]["dir"]
    assert "sub\\deep.txt" in [e["path"] for e in deep["entries"]]
    assert all(e["base64"] is None and e["sha256"] is None for e in deep["entries"])
    assert missing == {"exists": False, "entries": []}


def test_an_expected_hash_keeps_a_write_from_overwriting_a_changed_file():
    host = make_host()
    host.fs.write("C:\\Cfg\\a.ini", b"first")
    first = host.fs.sha256("C:\\Cfg\\a.ini")
    host.fs.write("C:\\Cfg\\a.ini", b"changed meanwhile")
    dummy, answer = _agent_run(host, [_verbs.file_write_atomic("C:\\Cfg\\a.ini", "eA==", first)])
    assert answer["results"][0]["category"] == "changed"
    assert host.fs.read("C:\\Cfg\\a.ini") == b"changed meanwhile"
    dummy, answer = _agent_run(host, [_verbs.file_write_atomic(
        "C:\\Cfg\\a.ini", "eA==", host.fs.sha256("C:\\Cfg\\a.ini"))])
    assert answer["results"][0]["ok"] and host.fs.read("C:\\Cfg\\a.ini") == b"x"


def test_the_launcher_says_the_request_arrived_before_anything_runs():
    """The first line, printed before the core runs: a controller whose Send failed knows
    from it whether the batch could have started (docs/design.md, "A batch sent again")."""
    result, answer = _agent_run(make_host(), [_verbs.path_test("C:\\Windows")])
    first, *_ = result.stdout.decode().splitlines()
    assert json.loads(first) == _agent.ARRIVED_DOCUMENT == json.loads(agent.ARRIVED)
    assert answer["results"][0]["ok"] is True
    with pytest.raises(TimeoutError):  # half a request: nothing printed, nothing run
        run(make_host(), _agent.agent_command_line(), [],
            [(_agent.build_request("s", [_verbs.path_test("C:\\x")])[:40], False)], timeout=0.5)
