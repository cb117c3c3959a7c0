"""po_revert_archive: which pre-change backup puts a server back."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.scada.redundancy.plugins.filter.po_revert import po_revert_archive

FILES = [{"path": "/b/po-a/PlantProject-20261204T101500Z.ctz"},
         {"path": "/b/po-a/PlantProject-20261204T162739Z.ctz"},
         {"path": "/b/po-a/notes.txt"},
         {"path": "/b/po-a/PlantProject-20261203T090000Z.ctz"}]


def test_the_newest_backup_by_the_time_in_its_name():
    assert po_revert_archive(FILES, "po-a") == {"path": "/b/po-a/PlantProject-20261204T162739Z.ctz",
                                                "taken": "20261204T162739Z"}


def test_the_newest_taken_before_a_time():
    assert po_revert_archive(FILES, "po-a", "20261204T162739Z")["taken"] == "20261204T101500Z"


@pytest.mark.parametrize("files, before, message", [
    ([], "", "no pre-change backup of po-a on the controller"),
    (FILES, "20261201T000000Z", "no pre-change backup of po-a taken before 20261201T000000Z"),
    (FILES, "yesterday", "before must be a UTC time such as 20261204T162739Z"),
])
def test_no_backup_or_a_bad_time_is_refused_naming_the_server(files, before, message):
    with pytest.raises(AnsibleFilterError, match=message):
        po_revert_archive(files, "po-a", before)
