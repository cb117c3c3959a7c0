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
    return GraphicsBuilder(host.power_operation.projects), host.power_operation.projects


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
