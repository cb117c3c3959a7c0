#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This file only documents the module; the work is done by the action plugin of the same name,
# which runs a constant PowerShell operation through the task's WinRM connection.

DOCUMENTATION = r"""
---
module: engine_redundancy
short_description: Read AppEngines' redundancy status with a site command, or wait for an expected status
version_added: 0.2.0
description:
  - Reads the run-time redundancy status of System Platform AppEngines and, with O(expect),
    waits until each engine shows one of its expected statuses (for example the upgraded
    node's engine C(Active) and its partner C(Standby - Ready) before the next step).
  - B(System Platform documents no automation surface for the run-time redundancy status)
    (GRAccess reads configuration and deployment, not it). The status is therefore read with a
    command your site provides, O(command) - an argument list run directly on the node (no
    shell), once per engine, with C({engine}) replaced by the engine's name, that prints the
    status (for example a site query tool reading the engine's C(Redundancy.Status) through
    an MX/OI client). The first output line equal (ignoring case and surrounding spaces) to a
    known status is the engine's status.
  - "Known statuses (the vendor's strings): Active, Active - Standby Not Available,
    Active - Upgrade, Active - Partner Not Upgraded (the upgrade procedure's wording),
    Determining Failover Status, Standby - Ready, Standby - Missed Heartbeats,
    Standby - Not Ready, Standby - Syncing Code, Standby - Syncing Data, Switching to Active;
    and the engine states a tool may print for an engine that does not run: Not Available,
    Not Deployed, Deploying, Undeploying, Shutdown, Shutdown - Failed, Shutting Down,
    Starting On Scan, Starting Off Scan, Running On Scan, Running Off Scan. Add a site's
    wording with O(extra_statuses)."
  - Waiting is a long poll - one remote call reads every O(poll_interval) seconds on the node
    and returns when a status changes or after O(long_poll) seconds; each change is printed
    at C(-v). Read-only.
options:
  command:
    description:
      - The program and its arguments; C({engine}) (required in at least one argument) is
        replaced by each engine's name. Each element reaches the program as exactly one
        argument. Exit code 0 is required for the output to count.
    type: list
    elements: str
    required: true
  engines:
    description:
      - Engines to read. Engines named in O(expect) are read as well.
    type: list
    elements: str
    default: []
  expect:
    description:
      - Engine name to the status (a string) or statuses (a list, any of them) to wait for.
        Left empty, the statuses are read once.
    type: dict
    default: {}
  timeout:
    description: Seconds to wait for every O(expect) to hold; the task fails after it.
    type: int
    default: 600
  long_poll:
    description: Seconds one remote call waits on the node for a change.
    type: int
    default: 30
  poll_interval:
    description: Seconds between reads on the node (0.2 to 60).
    type: float
    default: 5.0
  command_timeout:
    description: Seconds one run of O(command) may take; it is killed after that.
    type: int
    default: 60
  extra_statuses:
    description: Further status strings to recognise (a site tool's own wording).
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Read-only; runs the same in check mode.
  diff_mode:
    support: none
  platform:
    platforms: windows
author:
  - scada.redundancy contributors (@scada-redundancy)
"""

EXAMPLES = r"""
- name: Wait until E1b is active and E1 is a ready standby
  scada.redundancy.engine_redundancy:
    command: ['C:\Site\Tools\EngineStatus.exe', '--engine', '{engine}']
    expect:
      E1b: Active
      E1: Standby - Ready
    timeout: 900

- name: Read the statuses
  scada.redundancy.engine_redundancy:
    command: ['C:\Site\Tools\EngineStatus.exe', '{engine}']
    engines: [E1, E1b]
  register: redundancy
"""

RETURN = r"""
engines:
  description: One row per engine.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The engine.
      type: str
      sample: E1b
    status:
      description: The status recognised in the command's output, or null.
      type: str
      sample: Active
    expected:
      description: The statuses waited for, or null when not waited for.
      type: list
      elements: str
      sample: [Active]
    matched:
      description: The status is an expected one (null when not waited for).
      type: bool
      sample: true
    seconds:
      description: Seconds after the task began when the expected status was (last) first seen.
      type: float
      sample: 42.5
    output:
      description: The command's output (at most 2000 characters).
      type: str
      sample: Active
    exit_code:
      description: The command's exit code.
      type: int
      sample: 0
statuses:
  description: Engine name to status (null when not recognised).
  returned: always
  type: dict
  sample: {E1: Standby - Ready, E1b: Active}
history:
  description:
    - Every status as the task saw it change, in order, the first read included - C(seconds)
      after the task started, C(name), C(status) (null when not recognised). The run report
      draws the engines' lanes from it.
  returned: always
  type: list
  elements: dict
  sample: [{seconds: 0.4, name: E1b, status: Standby - Ready}, {seconds: 12.1, name: E1b, status: Active}]
elapsed:
  description: Seconds the task took.
  returned: always
  type: float
  sample: 43.1
"""
