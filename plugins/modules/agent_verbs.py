#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This file only documents the module; the work is done by the action plugin of the same name,
# which runs constant agent verbs through the task's WinRM connection.

DOCUMENTATION = r"""
---
module: agent_verbs
short_description: Run the collection's agent verbs on a Windows host, as they are
version_added: 0.2.0
description:
  - Runs a list of the agent's verbs (each one Windows or vendor call, documented with its
    arguments, results and error categories in C(docs/agent-verbs.md)) in one PowerShell on
    the host, and returns each call's value or its categorised failure.
  - The other modules decide what to call and what the answers mean; this one decides nothing,
    so it is what the conformance suite (C(tests/integration/targets), C(docs/windows-lab.md))
    uses to hold every verb to its contract on a real host, and what a site engineer uses to
    look at a host the way the collection sees it.
  - Arguments travel as JSON data, bound to the verb's parameters by PowerShell, and are never
    written into script text. An unknown, missing or mistyped argument fails with category
    C(invalid_arguments), as PowerShell refuses it.
options:
  calls:
    description:
      - The verbs to run, in order. The batch stops at the first failure.
    type: list
    elements: dict
    required: true
    suboptions:
      verb:
        description: The verb's name, one of those in C(docs/agent-verbs.md).
        type: str
        required: true
      args:
        description: The verb's arguments by name.
        type: dict
        default: {}
  tolerate:
    description:
      - When V(true), a failing verb does not fail the task; its entry in RV(results) carries
        the category and the message, and the calls after it have C(ran=false).
    type: bool
    default: false
  step:
    description: The name the task's failure message and the host's records give this batch.
    type: str
    default: agent_verbs
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: partial
    details:
      - Verbs that only read or wait run in check mode; a batch with any verb that changes the
        host runs nothing and reports C(changed=true).
  diff_mode:
    support: none
  platform:
    platforms: windows
notes:
  - The verbs that change the host (writing files, services, registry, processes, reboot) do
    exactly what they are told; the collection's other modules are the safe way to change a
    plant.
seealso:
  - name: The agent's verbs and their contracts
    description: Arguments, results, error categories and the vendor or Microsoft page each verb relies on.
    link: https://github.com/scada-redundancy/scada.redundancy/blob/main/docs/agent-verbs.md
  - name: Running the conformance suite on a Windows lab host
    description: The one command, what it touches and how to report a disagreement.
    link: https://github.com/scada-redundancy/scada.redundancy/blob/main/docs/windows-lab.md
author:
  - scada.redundancy contributors (@scada-redundancy)
"""

EXAMPLES = r"""
- name: See the host and its data drive as the collection does
  scada.redundancy.agent_verbs:
    calls:
      - verb: host_facts
      - verb: volume_get
        args:
          drive: 'D:'
  register: seen

- name: Hash a backup and read the start of it, tolerating a missing file
  scada.redundancy.agent_verbs:
    tolerate: true
    calls:
      - verb: file_hash
        args:
          path: 'D:\Backups\PlantProject.ctz'
      - verb: file_read_range
        args:
          path: 'D:\Backups\PlantProject.ctz'
          offset: 0
          length: 1024
"""

RETURN = r"""
results:
  description: One entry per call, in order.
  returned: always
  type: list
  elements: dict
  contains:
    verb:
      description: The verb called.
      type: str
      sample: file_hash
    ran:
      description: Whether the call ran (false after an earlier call failed).
      type: bool
      sample: true
    ok:
      description: Whether it succeeded; null when it did not run.
      type: bool
      sample: true
    value:
      description: Its value as C(docs/agent-verbs.md) documents it; null after a failure.
      type: raw
      sample: {"exists": true, "size": 5, "hashed": 5, "sha256": "4fd1c3bd2d5e1ef8c1bd0f2a3b8b04b1d8b0e8d0a1e0d0a7f3c1b0e4d5c6a7b8"}
    category:
      description: The failure's category (for example C(not_found), C(invalid_arguments), C(corrupt)).
      type: str
      sample: not_found
    msg:
      description: The failure's message as the host gave it.
      type: str
      sample: "Could not find file 'D:\\Backups\\x.ctz'."
"""
