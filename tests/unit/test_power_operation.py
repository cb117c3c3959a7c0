"""The controller-side checks of plugin_utils/_power_operation.py."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.scada.redundancy.plugins.plugin_utils import _power_operation as po


def test_none_means_the_default():
    params = po.po_info_params({"cluster": None, "ctapi_dll": None, "projects": []})
    assert params["cluster"] == "" and params["ctapi_dll"] == ""


@pytest.mark.parametrize("name", ["PlantProject", "Site Include 2", "a-b_c", "é€"])
def test_project_names_that_are_folder_names_pass(name):
    assert po.check_project_name(name, "project") == name


@pytest.mark.parametrize("name", ["", "a\\b", "a/b", "a:b", "x*", " lead", "trail ", "dot.",
                                  "..", "tab\tx", "x" * 129])
def test_project_names_that_cannot_be_folders_fail(name):
    with pytest.raises(AnsibleActionFail):
        po.check_project_name(name, "project")


@pytest.mark.parametrize("value", ['Cluster1"); Shutdown("', "a b", "x.y", "^"])
def test_cicode_arguments_must_be_plain_names(value):
    with pytest.raises(AnsibleActionFail, match="letters, digits and underscores"):
        po.po_info_params({"cluster": value})
