"""Graphics Builder automation as the vendor documents its lists: they end with E_FAIL.

The shipped script ended ProjectFirst/ProjectNext on an empty answer; against the documented
interface that loop never ends normally (InvokeMember throws at the end of the list), which
the first test pins down.
"""

from __future__ import annotations

import pytest

from scada_twin.power_operation.graphics_builder import E_FAIL, ComError, GraphicsBuilder, listed
from support.po_hosts import host_data, make_hosts  # noqa: F401


@pytest.fixture
def application(make_hosts):
    [host] = make_hosts(host_data("po-a", 1))
    po = host.power_operation
    return GraphicsBuilder(po.projects, po.compiler), po.projects


@pytest.fixture
def po(make_hosts):
    [host] = make_hosts(host_data("po-a", 1))
    return host


def test_a_list_ends_with_e_fail_not_an_empty_string(application):
    builder, store = application
    names = [builder.ProjectFirst()]
    with pytest.raises(ComError) as failure:
        while True:
            names.append(builder.ProjectNext())
    assert failure.value.hresult == E_FAIL
    assert "" not in names
    assert sorted(names, key=str.lower) == sorted(store.names(), key=str.lower)


def test_includes_are_those_of_the_selected_project(application):
    builder, store = application
    project = next(n for n in store.names() if store.includes(n))
    assert builder.ProjectSelect(project) == 0
    assert builder.ProjectSelected() == project
    assert listed(builder.ProjectFirstInclude, builder.ProjectNextInclude) == list(store.includes(project))


def test_no_project_selected_or_an_unknown_one_fails(application):
    builder, _ = application
    with pytest.raises(ComError):
        builder.ProjectFirstInclude()
    with pytest.raises(ComError):
        builder.ProjectSelect("NoSuchProject")


def test_project_compile_needs_a_selection(application):
    builder, _ = application
    with pytest.raises(ComError) as failure:
        builder.ProjectCompile()
    assert failure.value.hresult == E_FAIL


def _hook(host, line: str) -> None:
    install = host.power_operation.install
    document = install.ini()
    document.set("CtEdit", "CompileSuccessfulCommand", line)
    install.save_ini(document)


def test_the_compiler_runs_the_success_hook_through_cmd(po):
    """cmd.exe /c with a '>' redirection writes echo's text and a line break to the file."""
    project = po.power_operation.projects.names()[0]
    po.fs.mkdir("C:\\ProgramData\\hooks")
    _hook(po, 'cmd.exe /d /c >"C:\\ProgramData\\hooks\\r.txt" echo ok %CtEnvErrors% %CtEnvWarnings%')
    builder = GraphicsBuilder(po.power_operation.projects, po.power_operation.compiler)
    builder.ProjectSelect(project)
    assert builder.ProjectCompile().success is True
    assert po.fs.read("C:\\ProgramData\\hooks\\r.txt") == b"ok 0 0\r\n"


def test_a_hook_redirected_into_a_missing_folder_writes_nothing(po):
    project = po.power_operation.projects.names()[0]
    _hook(po, 'cmd.exe /d /c >"C:\\NoSuchFolder\\r.txt" echo ok %CtEnvErrors%')
    builder = GraphicsBuilder(po.power_operation.projects, po.power_operation.compiler)
    builder.ProjectSelect(project)
    builder.ProjectCompile()
    assert not po.fs.exists("C:\\NoSuchFolder\\r.txt")
