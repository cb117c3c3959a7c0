#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This file only documents the module; the work is done by the action plugin of the same name,
# which runs constant agent verbs through the task's WinRM connection.

DOCUMENTATION = r"""
---
module: runtime
short_description: Start, stop or restart the Power Operation runtime and wait for its processes
version_added: 0.1.0
description:
  - Controls the EcoStruxure Power Operation (AVEVA Plant SCADA) runtime through its Windows
    service, then waits until every expected Runtime Manager process is C(Running) (or, for
    O(state=stopped), C(Stopped)), reporting how long each process took.
  - O(state=restarted) is the procedure's Runtime Manager B(Restart All). Restart All is a
    button of the Runtime Manager window with no documented automation interface; the module
    restarts the runtime service instead (stop, wait until Stopped, start). In service mode
    stopping the service shuts every runtime process down and starting it starts every process
    of the project C([CtEdit]Run) names, which is what Restart All achieves. Cicode
    C(ServerRestart) is not used; it restarts one named server only and needs a logged-in user.
  - The runtime service is the one service whose display name matches O(service_pattern), or
    the service named O(service_name).
  - Waiting costs few remote commands. Each status call is a long poll on the host; it reads
    the states every O(poll_interval) seconds there and returns as soon as they change, or
    after O(long_poll) seconds; the controller loops over such calls until O(timeout). With
    C(-v) every change of the states is printed as it is seen.
  - A process in C(Exception), or the O(timeout), fails the task with every process and its
    state in the message and in RV(processes).
options:
  state:
    description:
      - V(started) starts the runtime service if it is not running (no change when it runs),
        then waits until every process is C(Running).
      - V(stopped) stops the runtime service if it runs, then waits until every process is
        C(Stopped).
      - V(restarted) always restarts (Restart All), then waits until every process is
        C(Running).
      - Required unless O(wait_only=true).
    type: str
    choices: [started, stopped, restarted]
  wait_only:
    description:
      - Only wait until every process is C(Running); control nothing. For the procedure's
        "confirm all processes show their status as Running" steps.
      - Mutually exclusive with O(state).
    type: bool
    default: false
  service_name:
    description:
      - The exact name of the runtime's Windows service. When set, O(service_pattern) is not used.
    type: str
  service_pattern:
    description:
      - PowerShell wildcards matched against the display names of the services; exactly one
        service must match. The name differs by product and version, hence the list.
    type: list
    elements: str
    default: [Citect Runtime Manager, Plant SCADA Runtime Manager, Power Operation Runtime Manager]
  processes:
    description:
      - The Runtime Manager processes that must reach the target state, as Runtime Manager
        names them. The default is the vendor's list for a server in service mode.
    type: list
    elements: str
    default: [I/O Server, Alarm, Trend, Report, Client, System Services]
  timeout:
    description:
      - Seconds the whole task may take, control action included, before it fails.
    type: int
    default: 600
  poll_interval:
    description:
      - Seconds between two reads of the states on the host; the delay before a change is seen.
      - At most O(long_poll).
    type: float
    default: 2.0
  long_poll:
    description:
      - The longest time, in seconds, one status call waits on the host for a change before it
        returns. Fewer, longer calls cost fewer PowerShell processes; WinRM keeps the command
        alive meanwhile.
    type: int
    default: 30
  ctapi:
    description:
      - How the process states are asked from the runtime through CtAPI (see the notes).
    type: dict
    suboptions:
      dll:
        description: Path of C(CtApi.dll); default C(CtApi.dll) in the C([CtEdit]Bin) folder.
        type: str
      user:
        description: Runtime user for C(ctOpen) when the project's security requires one.
        type: str
      password:
        description: Password of O(ctapi.user). Never logged or returned.
        type: str
      timeout:
        description: Seconds one CtAPI query may take.
        type: int
        default: 30
      powershell:
        description:
          - The C(powershell.exe) that loads the DLL; default the one of the DLL's bitness.
        type: str
      cluster:
        description:
          - Cluster name passed to C(ServerInfoEx); letters, digits and underscores only.
            Omitted by default.
        type: str
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details:
      - Reports whether the runtime would be started, stopped or restarted and changes nothing.
        When nothing would change it still waits (reading only), so O(wait_only) works as usual.
  diff_mode:
    support: none
  platform:
    platforms: windows
notes:
  - Runtime Manager shows the process states only in its window. The module reads them as
    follows, the same way as M(scada.redundancy.po_info). While the service is stopped,
    stopping or starting, every process is C(Stopped), C(Stopping) or C(Starting). While it
    runs, Cicode C(ServerInfoEx) is asked through CtAPI for each server process (I/O Server,
    Alarm, Trend, Report); an answer means C(Running), no answer C(Starting). C(Client) and
    C(System Services) are C(Running) when CtAPI answers. This is the least certain part of the
    module; the CtAPI details are options.
  - C(Exception) cannot be told apart from C(Starting) through these interfaces, so a process
    that never comes up fails the task at the O(timeout), and the message says that a process
    still C(Starting) may be in C(Exception). Should a process ever be reported in
    C(Exception), the task fails at once.
  - Timings are measured on the controller, from the start of the task's action to the first
    status call that saw the process in the target state; they are as precise as
    O(poll_interval) plus one round trip.
  - O(state=started) does not start processes that Runtime Manager shut down while the service
    kept running; use O(state=restarted) for that.
seealso:
  - module: scada.redundancy.notifications
author:
  - scada.redundancy contributors (@scada-redundancy)
"""

EXAMPLES = r"""
- name: Confirm every runtime process is Running before touching the server
  scada.redundancy.runtime:
    wait_only: true
    timeout: 60

- name: Restart All, then wait until every process is Running again
  scada.redundancy.runtime:
    state: restarted
    timeout: 900
  register: restart

- name: Show how long each process took
  ansible.builtin.debug:
    var: restart.timings

- name: Start the runtime of a Plant SCADA server whose service is named explicitly
  scada.redundancy.runtime:
    state: started
    service_name: Citect Runtime Manager
    processes: [I/O Server, Alarm, Trend, Report, Client]
"""

RETURN = r"""
action:
  description: The control action asked for (C(start), C(stop), C(restart)); null with O(wait_only).
  returned: always
  type: str
  sample: restart
service:
  description: The runtime service as last seen.
  returned: when the service was found
  type: dict
  contains:
    name:
      description: Service name.
      type: str
      sample: Citect Runtime Manager
    display_name:
      description: Display name.
      type: str
      sample: Power Operation Runtime Manager
    status:
      description: C(Running), C(Stopped), C(StartPending) or C(StopPending).
      type: str
      sample: Running
    start_type:
      description: C(Automatic), C(AutomaticDelayedStart), C(Manual) or C(Disabled).
      type: str
      sample: Automatic
processes:
  description: Every expected process as last seen, in the order of O(processes).
  returned: when the service was found
  type: list
  elements: dict
  contains:
    name:
      description: The process as Runtime Manager names it.
      type: str
      sample: I/O Server
    state:
      description: C(Starting), C(Running), C(Stopping), C(Stopped) or C(Exception).
      type: str
      sample: Running
    reason:
      description: Why the process is in C(Exception), when known; else null.
      type: str
      sample: null
    seconds:
      description: Seconds from the action until the process was first seen in the target state; null if never.
      type: float
      sample: 21.4
timings:
  description: Seconds each process took to reach the target state, by process name.
  returned: when the service was found
  type: dict
  sample: {"I/O Server": 21.4, "Alarm": 16.2, "Trend": 11.0, "Report": 6.1, "Client": 13.3, "System Services": 6.1}
watch_calls:
  description: How many status calls (remote PowerShell processes) the wait took.
  returned: when the service was found
  type: int
  sample: 6
elapsed:
  description: Seconds the task took.
  returned: when the service was found
  type: float
  sample: 27.9
category:
  description:
    - Why the task failed. C(process_exception) and C(timeout) come from the wait; the host's
      categories include C(not_found) (no service or process), C(ambiguous) (several services
      match), C(service_error) (the Service Control Manager refused) and C(not_installed).
  returned: failure
  type: str
  sample: process_exception
"""
