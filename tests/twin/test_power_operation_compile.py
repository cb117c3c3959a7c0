"""Compiling: outputs, injected errors, the ini hooks, staleness and the modelled duration."""

from __future__ import annotations

import threading
import time

import pytest

from scada_twin.costs import CostModel
from scada_twin.power_operation import ProjectNotFound, compile_hooks
from scada_twin.power_operation.compiler import CompileCancelled, CompileMessage
from support.po_hosts import TIME_SCALE, host_data, make_hosts  # noqa: F401  (fixture)

SUCCESS_HOOK = "cmd /c echo %CtEnvProject% %CtEnvErrors% %CtEnvWarnings%>^%TEMP^%\\r.txt"


def test_compile_succeeds_writes_outputs_and_records_the_fingerprint(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1))
    po = host.power_operation
    po.projects.apply_change("PlantProject", {"variable.DBF": b"NAME,TYPE\r\nNew,REAL\r\n"})
    started = time.monotonic()
    result = po.compiler.compile("plantproject")
    assert time.monotonic() - started >= 40 * TIME_SCALE
    assert result.success and result.errors == 0 and result.warnings == 0
    assert result.projects == ("PlantProject", "PLS_Include", "Site_Include")
    status = po.compiler.status("PlantProject")
    assert status.compiled and not status.stale
    assert status.compiled_fingerprint == result.fingerprint == status.fingerprint
    assert "variable.RDB" in po.projects.files("PlantProject", include_volatile=True)
    assert result.hook is None  # no hook configured
    events = host.timeline.events("po-a", "po.compile")
    assert [e.data["state"] for e in events] == ["started", "succeeded"]


def test_injected_errors_fail_the_compile_and_reach_the_unsuccessful_hook(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1))
    po = host.power_operation
    po.install.set_ctedit("CompileSuccessfulCommand", SUCCESS_HOOK)
    po.install.set_ctedit("CompileUnsuccessfulCommand",
                          "cmd /c echo %CtEnvProject% %CtEnvErrors%")
    messages = [{"type": "ERROR", "record": 12, "name": "Feeder_kW", "field": "ADDR",
                 "table": "variable", "error": "Bad address", "context": "Site_Include"},
                {"Type": "WARNING", "Error": "Unused tag"}]
    host.faults.inject("po-a", "compile_error", count=1, project="Site_Include",
                       messages=messages)
    result = po.compiler.compile("PlantProject")
    assert not result.success and (result.errors, result.warnings) == (1, 1)
    assert result.messages[0].as_dict() == {
        "Type": "ERROR", "Record": 12, "Name": "Feeder_kW", "Field": "ADDR",
        "Table": "variable", "Error": "Bad address", "Context": "Site_Include"}
    assert result.messages[1] == CompileMessage("WARNING", error="Unused tag",
                                                context="Site_Include")
    assert result.hook.key == "CompileUnsuccessfulCommand"
    assert result.hook.command == "cmd /c echo PlantProject 1"
    assert "CtEnvWarnings" not in result.hook.values
    assert po.compiler.compiled("PlantProject") is None  # no usable compiled databases
    assert "variable.RDB" not in po.projects.files("PlantProject", include_volatile=True)
    # The fault was for one compile only: the next one succeeds and runs the success hook.
    again = po.compiler.compile("PlantProject")
    assert again.success
    assert again.hook.command == "cmd /c echo PlantProject 0 0>%TEMP%\\r.txt"
    assert again.hook.values["CtEnvIncludeProjects"] == "PLS_Include,Site_Include"


def test_warnings_alone_do_not_fail_a_compile(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1))
    host.faults.inject("po-a", "compile_error", count=1,
                       messages=[{"type": "WARNING"}, {"type": "WARNING"}])
    result = host.power_operation.compiler.compile("PlantProject")
    assert result.success and result.warnings == 2


def test_an_undefined_replacement_string_skips_the_hook_with_a_warning(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1))
    po = host.power_operation
    po.install.set_ctedit("CompileUnsuccessfulCommand", "log.cmd %CtEnvWarnings%")
    host.faults.inject("po-a", "compile_error", count=1)
    hook = po.compiler.compile("PlantProject").hook
    assert hook.command is None and "CtEnvWarnings" in hook.warning


def test_a_missing_included_project_is_fatal(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1))
    po = host.power_operation
    po.projects.apply_change("PlantProject", {"include.DBF": b"PLS_Include\r\nGone\r\n"})
    result = po.compiler.compile("PlantProject")
    assert not result.success
    assert [(m.type, m.name) for m in result.messages] == [("FATAL", "Gone")]


def test_compiled_becomes_stale_when_sources_change_and_fresh_after_a_compile(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1))
    po = host.power_operation
    assert not po.compiler.status("PlantProject").stale
    po.projects.apply_change("Site_Include", {"Site_Include.ci": b"// changed"})
    status = po.compiler.status("PlantProject")
    assert status.compiled and status.stale
    host.fs.write(po.projects.path("PlantProject") + "\\compile.log", b"volatile")
    assert po.compiler.status("PlantProject").stale  # still: only sources count
    po.compiler.compile("PlantProject")
    assert not po.compiler.status("PlantProject").stale


def test_unknown_project_and_cancelled_compile(make_hosts):
    (host,) = make_hosts(host_data("po-a", 1))
    compiler = host.power_operation.compiler
    with pytest.raises(ProjectNotFound):
        compiler.compile("Nope")
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(CompileCancelled):
        compiler.compile("PlantProject", cancel)
    assert compiler.compiled("PlantProject") is not None  # the old compile still stands


def test_duration_comes_from_the_cost_model_and_grows_with_size(make_hosts):
    costs = CostModel(time_scale=TIME_SCALE, operations={"compile": 10.0, "compile_per_mib": 8.0})
    (host,) = make_hosts(host_data("po-a", 1), costs=costs)
    compiler = host.power_operation.compiler
    small = compiler.duration("PlantProject")
    assert 10.0 < small < 10.1
    host.power_operation.projects.apply_change("PlantProject", {"big.ctg": b"x" * 2**20})
    assert compiler.duration("PlantProject") == pytest.approx(small + 8.0)


def test_hook_expansion_rules():
    values = {"CtEnvProject": "P", "CtEnvErrors": "0"}
    assert compile_hooks.expand("a %ctenvproject% ^%x^% %CtEnvErrors%", values) == \
        ("a P %x% 0", None)
    line, warning = compile_hooks.expand("%CtEnvWarnings%", values)
    assert line is None and "CtEnvWarnings" in warning
