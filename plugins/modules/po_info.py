#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This file only documents the module; the work is done by the action plugin of the same name,
# which runs a constant PowerShell operation through the task's WinRM connection.

DOCUMENTATION = r"""
---
module: po_info
short_description: Read the Power Operation install, projects, runtime and redundancy role
version_added: 0.1.0
description:
  - Reads, without changing anything, what an update of a redundant EcoStruxure Power Operation
    (AVEVA Plant SCADA) pair needs to know about one server.
  - B(Install.) The first subkey of C(HKLM:\SOFTWARE\WOW6432Node\Citect\SCADA Installs) names
    the version and holds C(DefaultINIPath) (citect.ini) and C(BinFolder). The folders come
    from the C([CtEdit]) keys of citect.ini (C(User), C(Config), C(Data), C(Backup), C(Logs),
    C(Bin), C(Copy), C(Deploy)); C([CtEdit]Run) is the folder of the project the next runtime
    start loads.
  - B(Projects.) A project is a folder under C([CtEdit]User). See O(project_source) for how they
    and their included projects are listed. RV(po_info.project_set) is the C([CtEdit]Run)
    project followed by everything it includes, transitively, depth first in include order.
  - B(Fingerprints.) With O(fingerprints), each project's content fingerprint is computed on the
    host (SHA-256 over its files' SHA-256 values, compile outputs, logs and lock files left out),
    so two servers, or a server and a backup, can be compared without copying files.
  - B(Compiled state.) A project is compiled while compiled databases (C(*.RDB)) are in its
    folder. The product records no fingerprint of what was compiled; RV(po_info.projects.compiled_fingerprint)
    is what M(scada.redundancy.project_compile) recorded in
    C(<[CtEdit]Data>\scada.redundancy\compiled\<project>.json), and is null for a compile made
    any other way.
  - B(Runtime.) The runtime's Windows service is found by display name (O(runtime_service_pattern)).
    Runtime Manager's process states (Starting, Running, Stopping, Stopped, Exception) have no
    documented programming interface; this module reads them through CtAPI (O(ctapi)) as
    follows. With the service stopped or pending, every process is C(Stopped) (or C(Stopping)
    / C(Starting)) and the role is C(offline). With the service running, one CtAPI connection
    asks Cicode C(ServerInfoEx) about each server process, as the Plant SCADA Cicode reference
    defines it. C(ServerInfoEx("Alarm", 0, "Alarm"[, <cluster>])) (likewise C(Trend),
    C(Report)) answers the active flag, 1 on the active server and 0 on an inactive one, and
    means C(Running); the I/O server has no primary or standby (I/O redundancy is per device),
    so C(ServerInfoEx("Server", 0, "IOServer")) is asked, whose answer is the server's name and
    means C(Running). No answer (the call is redirected to the process holding the component,
    and a hardware alarm is all there is when none does) means C(Starting). C(Client) and
    C(System Services) are C(Running) when CtAPI, which the runtime serves, connects.
    C(Exception) cannot be observed this way. The decisions are made on the controller; the
    host only runs the Cicode calls (the C(ctapi_cicode) agent verb).
  - B(Redundancy role.) The active flag of O(redundancy_component) gives
    RV(po_info.redundancy.role) C(active) (1) or C(standby) (0); no answer means C(offline).
    Without CtAPI (O(ctapi=false)) or when it cannot connect to a running service, the role is
    C(unknown) and the task warns. Which server is I(primary) is configuration; which is
    I(active) is this live state.
  - B(CtAPI on the host.) The connection is local, so C([CtAPI]Remote=1) is not needed.
    C(CtApi.dll) must be loaded by a process of its own bitness, while WinRM runs 64-bit
    PowerShell and a Power Operation install under C(Program Files (x86)) ships a 32-bit DLL;
    the calls therefore run in a child C(powershell.exe) of the DLL's bitness (the SysWOW64 one
    for a 32-bit DLL), chosen from the DLL's PE header or set with O(ctapi_powershell).
  - The module runs as an action plugin over the task's own connection (WinRM).
options:
  projects:
    description:
      - Names of the projects to report. An empty list reports every project.
      - A name that is not a project fails the task.
    type: list
    elements: str
    default: []
  fingerprints:
    description:
      - Compute RV(po_info.projects.fingerprint) and RV(po_info.projects.set_fingerprint).
      - This reads every file of the reported projects and of the projects they include.
    type: bool
    default: false
  runtime_service_pattern:
    description:
      - PowerShell wildcards matched against Windows service display names to find the runtime
        service. Names differ by product and version; the first matching service (by name) is
        reported.
    type: list
    elements: str
    default: ["Citect Runtime Manager", "Plant SCADA Runtime Manager", "Power Operation Runtime Manager"]
  processes:
    description:
      - Runtime Manager processes to report, in this order.
    type: list
    elements: str
    default: ["I/O Server", "Alarm", "Trend", "Report", "Client", "System Services"]
  ctapi:
    description:
      - Ask the running runtime through CtAPI for process states and the redundancy role.
      - When false, RV(po_info.runtime.processes) is empty (unless the service is stopped) and
        RV(po_info.redundancy.role) is C(unknown) (or C(offline) when the service is stopped).
    type: bool
    default: true
  ctapi_dll:
    description:
      - Path of C(CtApi.dll) on the host. Default C(<Bin folder>\CtApi.dll).
      - Point it at the 64-bit DLL of an install that has one to avoid the 32-bit helper.
    type: str
  ctapi_powershell:
    description:
      - The C(powershell.exe) that runs the CtAPI calls. Default the one matching the DLL's
        bitness (C(%SystemRoot%\SysWOW64\WindowsPowerShell\v1.0\powershell.exe) for a 32-bit DLL).
    type: str
  ctapi_user:
    description:
      - User for C(ctOpen), when the runtime requires one. Default none (local connection).
    type: str
  ctapi_password:
    description:
      - Password for O(ctapi_user). Sent to the host on standard input, never logged.
    type: str
  ctapi_timeout:
    description:
      - Seconds the CtAPI helper may take before it is stopped and the role reported C(unknown).
    type: int
    default: 60
  redundancy_component:
    description:
      - The server whose C(ServerInfoEx) active flag gives the role, C(Alarm), C(Trend) or
        C(Report), the only servers the vendor gives an active flag (an I/O server has no
        primary or standby).
    type: str
    choices: [Alarm, Trend, Report]
    default: Alarm
  cluster:
    description:
      - Cluster name passed to C(ServerInfoEx). Default none, which makes Cicode use the
        server's own cluster.
    type: str
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - scada.redundancy.power_operation
attributes:
  check_mode:
    support: full
    details: The module only reads; it behaves the same in check mode.
  diff_mode:
    support: none
  platform:
    platforms: windows
notes:
  - Other action plugins of the collection read the same facts through
    C(plugin_utils/_power_operation.py) C(read_install()).
  - In multi-process mode a component that is configured on another server, or not at all,
    gives no C(ServerInfoEx) answer and is reported C(Starting); list only the processes this
    server runs in O(processes).
  - Whether C(ServerInfoEx) raises or returns an empty string for a component that does not run
    is not documented; both count as no answer.
seealso:
  - module: scada.redundancy.project_compile
  - module: scada.redundancy.po_setup
  - module: scada.redundancy.host_info
author:
  - scada.redundancy contributors (@scada-redundancy)
"""

EXAMPLES = r"""
- name: Learn which server of the pair is active
  scada.redundancy.po_info:
  register: po

- name: Start with the standby server
  ansible.builtin.debug:
    msg: "{{ inventory_hostname }} is {{ po.po_info.redundancy.role }}"

- name: Compare the project set of both servers
  scada.redundancy.po_info:
    fingerprints: true
    ctapi: false
  register: sources

- name: Read a 64-bit CtAPI with a cluster name
  scada.redundancy.po_info:
    ctapi_dll: C:\Program Files (x86)\Schneider Electric\Power Operation\v2024\bin\Bin (x64)\CtApi.dll
    cluster: Cluster1
"""

RETURN = r"""
po_info:
  description: The facts read from the host.
  returned: success
  type: dict
  contains:
    installed:
      description: Whether the registry names a Power Operation install.
      type: bool
      sample: true
    version:
      description: The name of the install's registry subkey (the product version).
      type: str
      sample: "2024"
    ini_path:
      description: The citect.ini the install uses (C(DefaultINIPath)).
      type: str
      sample: C:\ProgramData\Schneider Electric\Power Operation\v2024\Config\citect.ini
    bin_folder:
      description: The Bin folder (C([CtEdit]Bin), else the registry's C(BinFolder)).
      type: str
      sample: C:\Program Files (x86)\Schneider Electric\Power Operation\v2024\bin
    paths:
      description: Folders from citect.ini C([CtEdit]); null when a key is missing.
      type: dict
      sample:
        user: C:\ProgramData\Schneider Electric\Power Operation\v2024\User
        config: C:\ProgramData\Schneider Electric\Power Operation\v2024\Config
        data: C:\ProgramData\Schneider Electric\Power Operation\v2024\Data
        backup: C:\ProgramData\Schneider Electric\Power Operation\v2024\Backup
        logs: C:\ProgramData\Schneider Electric\Power Operation\v2024\Logs
        bin: C:\Program Files (x86)\Schneider Electric\Power Operation\v2024\bin
        copy: C:\ProgramData\Schneider Electric\Power Operation\v2024\Copy
        deploy: C:\ProgramData\Schneider Electric\Power Operation\v2024\Deploy
    run_project:
      description: The project C([CtEdit]Run) points to; null when it names no project.
      type: str
      sample: PlantProject
    run_path:
      description: The C([CtEdit]Run) value.
      type: str
      sample: C:\ProgramData\Schneider Electric\Power Operation\v2024\User\PlantProject
    projects:
      description: One entry per reported project, by name.
      type: dict
      contains:
        path:
          description: The project folder.
          type: str
        includes:
          description: The projects it includes directly, in include order.
          type: list
          elements: str
        compiled:
          description: Whether compiled databases (C(*.RDB)) are in the project folder.
          type: bool
        compiled_fingerprint:
          description:
            - The set fingerprint M(scada.redundancy.project_compile) compiled, while no
              compiled database (C(*.RDB)) is newer than its record; else null.
          type: str
        compiled_at:
          description:
            - When M(scada.redundancy.project_compile) recorded that compile, right after it
              (UTC, round-trip format); null with RV(po_info.projects.compiled_fingerprint). A runtime whose
              service started earlier (C(started) in RV(po_info.runtime.service)) does not run it yet.
          type: str
        fingerprint:
          description: The project's content fingerprint. Only with O(fingerprints).
          type: str
          returned: when O(fingerprints=true)
        set_fingerprint:
          description:
            - The fingerprint of the project with everything it includes, as a compile sees
              it; compare it with RV(po_info.projects.compiled_fingerprint).
          type: str
          returned: when O(fingerprints=true)
      sample:
        PlantProject:
          path: C:\ProgramData\Schneider Electric\Power Operation\v2024\User\PlantProject
          includes: [PLS_Include, Site_Include]
          compiled: true
          compiled_fingerprint: null
    project_set:
      description: The run project followed by its includes, transitively, in include order.
      type: list
      elements: str
      sample: [PlantProject, PLS_Include, Site_Include]
    runtime:
      description: The runtime service and its processes.
      type: dict
      contains:
        service:
          description:
            - The runtime's Windows service; null when no display name matches.
            - C(started) is when the service's process started (UTC, round-trip format; from
              C(Win32_Service) C(ProcessId) and the process's start time), null while it is
              stopped. Restart All restarts the service, and the runtime loads the compiled
              project as it starts.
          type: dict
          sample:
            name: Citect Runtime Manager
            display_name: Power Operation Runtime Manager
            status: Running
            start_type: Automatic
            started: "2026-01-31T12:00:04.1234567Z"
        processes:
          description:
            - One entry per O(processes) name, with C(state) (C(Running), C(Starting),
              C(Stopping), C(Stopped)) and, for server processes read through CtAPI, C(active)
              (whether this server is the active one for that component).
          type: list
          elements: dict
          sample:
            - {name: I/O Server, state: Running, active: true}
            - {name: Client, state: Running, active: null}
        ctapi:
          description: Whether CtAPI was used, whether it connected, and its error.
          type: dict
          sample: {used: true, connected: true, error: null}
    redundancy:
      description: The live redundancy role.
      type: dict
      contains:
        role:
          description: C(active), C(standby), C(offline) or C(unknown) (see the description).
          type: str
          sample: active
        server_info_ex:
          description: The C(ServerInfoEx) answer (1 or 0), null when there was none.
          type: int
          sample: 1
        component:
          description: The component asked (O(redundancy_component)).
          type: str
          sample: Alarm
        cluster:
          description: The cluster passed, null when none.
          type: str
          sample: null
"""
