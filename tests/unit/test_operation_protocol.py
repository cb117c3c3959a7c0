"""The operation protocol's invariants, checked on the shipped files themselves."""

from __future__ import annotations

import base64
import json
import pathlib

import pytest

from ansible_collections.scada.redundancy.plugins.plugin_utils import _operation
from scada_twin import operations

SCRIPTS = pathlib.Path(_operation.__file__).parent / "scripts"
OPERATION_SCRIPTS = sorted(p for p in SCRIPTS.glob("*.ps1") if p.stem != "bootstrap")


def test_command_line_is_the_encoded_bootstrap_under_the_recognised_prefix():
    line = _operation.build_command_line()
    assert line.startswith(_operation.COMMAND_PREFIX)
    decoded = base64.b64decode(line[len(_operation.COMMAND_PREFIX):]).decode("utf-16-le")
    assert decoded == (SCRIPTS / "bootstrap.ps1").read_text(encoding="utf-8")
    assert decoded.startswith(operations.BOOTSTRAP_MARKER)
    # cmd.exe's limit is 8191 characters; WinRS passes the line to CreateProcess unchanged.
    assert len(line) < 8191


def test_request_is_one_ascii_json_line_whatever_the_values():
    hostile = {"a": "x'\n; $(calc) `whoami` é€😀\0"}
    request = _operation.build_request("archive_stat", hostile)
    assert request.endswith(b"\n") and request.count(b"\n") == 1
    decoded = json.loads(request)
    assert decoded["params"] == hostile
    assert decoded["script"] == (SCRIPTS / "archive_stat.ps1").read_text(encoding="utf-8")


@pytest.mark.parametrize("script", OPERATION_SCRIPTS, ids=lambda p: p.stem)
def test_every_operation_script_carries_its_marker_and_has_a_twin_handler(script):
    text = script.read_text(encoding="utf-8")
    assert operations.marker_name(text) == script.stem
    assert script.stem in operations.known_operations()


@pytest.mark.parametrize("stdout, msg", [
    ('{"failed": true, "msg": "drive Q: does not exist", "category": "not_found"}',
     "drive Q: does not exist"),
    ("garbage", "the host did not return a result (rc=1): boom"),
])
def test_failures_carry_the_hosts_message(stdout, msg):
    failure = _operation._failure("host_info", 1, _operation.parse_document(stdout), "boom")
    assert failure.msg == msg


LIBRARIES = sorted((SCRIPTS / "lib").glob("*.ps1"))


@pytest.mark.parametrize("script", OPERATION_SCRIPTS, ids=lambda p: p.stem)
def test_required_libraries_exist_and_travel_with_the_request(script):
    text = script.read_text(encoding="utf-8")
    request = json.loads(_operation.build_request(script.stem, {}))
    names = [lib["name"] for lib in request["libraries"]]
    assert names == _operation.required_libraries(text)
    for library in request["libraries"]:
        assert library["script"].startswith(f"# scada.redundancy:library {library['name']}\n")


@pytest.mark.parametrize("library", LIBRARIES, ids=lambda p: p.stem)
def test_libraries_carry_their_marker(library):
    assert library.read_text(encoding="utf-8").startswith(
        f"# scada.redundancy:library {library.stem}\n")
