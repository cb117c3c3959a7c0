#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This file only documents the module; the work is done by the action plugin of the same name,
# which runs the GRAccess helper on the Galaxy Repository node through the task's connection.

DOCUMENTATION = r"""
---
module: galaxy_upload_runtime_changes
short_description: Upload the run-time changes of System Platform objects to the galaxy
version_added: 0.2.0
description:
  - Calls GRAccess C(IInstance.Upload) for each named instance (checked-out objects of other
    users and objects with pending updates are skipped, as GRAccess is asked to), saving
    changes made at run time into the galaxy database. The vendor's upgrade procedure makes
    this an optional first step before the Galaxy Repository is upgraded.
  - B(Caution, from the vendor.) Any configured default values, such as set points, that were
    modified at run time will be overwritten in the galaxy by the uploaded run-time values.
    Upload only objects whose run-time values should become their configured values.
  - B(Not idempotent by nature.) GRAccess does not say whether an object had run-time changes,
    so a successful upload always reports a change.
  - Run it against the Galaxy Repository host, before the GR is upgraded.
options:
  objects:
    description:
      - Tagnames of the deployed instances whose run-time changes to upload.
    type: list
    elements: str
    required: true
extends_documentation_fragment:
  - scada.redundancy.galaxy
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Checks that the instances exist and reports a change; uploads nothing.
  diff_mode:
    support: none
  platform:
    platforms: windows
author:
  - scada.redundancy contributors (@scada-redundancy)
"""

EXAMPLES = r"""
- name: Save run-time changes before upgrading the GR (overwrites configured set points)
  scada.redundancy.galaxy_upload_runtime_changes:
    galaxy: Plant
    objects: [E1_Obj001, E1_Obj002]
    galaxy_user: admin
    galaxy_password: "{{ vault_galaxy_password }}"
"""

RETURN = r"""
uploaded:
  description: The instances whose upload succeeded.
  returned: success
  type: list
  elements: str
  sample: [E1_Obj001]
results:
  description: One GRAccess C(CommandResult) per instance (C(object), C(successful), C(id), C(text), C(custom_message)); also returned when the task fails.
  returned: always
  type: list
  elements: dict
  sample:
    - {object: E1_Obj001, successful: true, id: "", text: "1 run-time change(s) uploaded", custom_message: ""}
helper_compiled:
  description: Whether this task compiled the GRAccess helper on the node.
  returned: success
  type: bool
  sample: false
"""
