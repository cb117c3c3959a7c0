#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This file only documents the module; the work is done by the action plugin of the same name,
# which runs the collection's agent verbs through the task's WinRM connection.

DOCUMENTATION = r"""
---
module: project_compile
short_description: Compile a Power Operation project with its included projects
version_added: 0.1.0
description:
  - Compiles a project through Graphics Builder automation (ProgID C(GraphicsBuilder.Application),
    C(ProjectSelect) then C(ProjectCompile)), the vendor's documented automation surface.
  - The update procedure asks for a compile even when the project is already compiled, so the
    module B(always compiles) and reports C(changed) whenever it did. In check mode it only
    checks that the project exists and reports that a compile would run.
  - B(Learning the outcome.) C(ProjectCompile) returns no error count. The documented way to
    learn the result is the citect.ini hooks C([CtEdit]CompileSuccessfulCommand) and
    C([CtEdit]CompileUnsuccessfulCommand), command lines the compiler runs after a compile,
    with replacement strings such as C(%CtEnvErrors%) and C(%CtEnvWarnings%). For the run, the
    module points both hooks at a C(cmd.exe) line that writes those numbers to a result file in
    C(<ProgramData>\scada.redundancy), and afterwards puts the original hook lines back exactly, also when the
    compile fails or times out. The original lines are saved first in
    C(<citect.ini>.scada-redundancy-hooks.json), so a run killed half-way is repaired by the
    next one. Hooks you configured yourself do not run for a compile this module makes.
  - B(Messages.) Each compile message has the vendor fields Type (C(ERROR), C(FATAL),
    C(WARNING)), Record, Name, Field, Table, Error and Context. They are read from
    O(messages_file) in the project folder, when the compile wrote it, either a dBASE table with
    those fields, or text lines C(Type | Record | Name | Field | Table | Error | Context).
    Where the real compiler keeps its error list is not publicly documented; point
    O(messages_file) at it.
  - B(Failure.) The task fails when the hook reports an unsuccessful compile or any ERROR or
    FATAL message is listed; the result then carries the messages. Without a hook answer
    (O(hook_wait) passed) the messages decide; without either the task fails with category
    C(compile_unknown).
  - After a successful compile the set fingerprint compiled is recorded for
    M(scada.redundancy.po_info) in C(<[CtEdit]Data>\scada.redundancy\compiled\<project>.json),
    written by the compile's own batch; it counts while no compiled database is newer, and a
    failed compile removes it.
  - B(Lost connection.) Each compile keeps a run record on the host,
    C(<[CtEdit]Data>\scada.redundancy\compile-runs\<run id>.json) (running, with the id and
    start time of the PowerShell process compiling, then its answer); the next compile removes
    it. If the connection drops while the host compiles,
    the module reconnects (for up to O(timeout) seconds) and reports the outcome of that same
    run from its record, waiting while it still runs; it compiles again only when the record
    shows the compile never started, or that the process running it is gone (ended with the
    connection, so its outcome was never learnt). RV(reattached) says which. A host ansible
    cannot reach at all is reported unreachable at once, as by any module.
options:
  project:
    description:
      - The project to compile (any letter case). Its included projects are compiled with it.
      - Default the project C([CtEdit]Run) names, the one the runtime loads next.
    type: str
  timeout:
    description:
      - Seconds to wait for C(ProjectCompile). On a timeout the task fails with category
        C(timeout) and the hooks are restored; Graphics Builder may go on compiling.
    type: int
    default: 1800
  hook_wait:
    description:
      - Seconds to wait, after C(ProjectCompile) returns, for the hook to write its result
        file (whether the compiler runs the hook before or after returning is not documented).
    type: int
    default: 30
  messages_file:
    description:
      - Where the compile messages are, relative to the project folder (see the description).
    type: str
    default: compile.log
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - scada.redundancy.power_operation
attributes:
  check_mode:
    support: full
    details: Checks the project and reports that a compile would run; nothing is compiled.
  diff_mode:
    support: none
  platform:
    platforms: windows
notes:
  - Graphics Builder automation needs a user that may start Graphics Builder as a COM server
    on the host; the WinRM user of the inventory is the one used.
  - Only one compile runs at a time on a server (one Graphics Builder).
seealso:
  - module: scada.redundancy.po_info
  - module: scada.redundancy.po_setup
author:
  - scada.redundancy contributors (@scada-redundancy)
"""

EXAMPLES = r"""
- name: Compile the project the runtime loads next
  scada.redundancy.project_compile:
  register: compile

- name: Compile a named project, waiting up to an hour
  scada.redundancy.project_compile:
    project: PlantProject
    timeout: 3600

- name: Show the warnings
  ansible.builtin.debug:
    msg: "{{ compile.messages | selectattr('Type', 'equalto', 'WARNING') | list }}"
"""

RETURN = r"""
reattached:
  description:
    - The connection was lost during the compile; what its run record on the host showed
      after reconnecting. C(done) is the outcome reported; C(unknown) (the compile never
      started) and C(abandoned) (its process was gone) mean the module compiled again and
      reports that compile.
  returned: when the connection was lost during the compile
  type: str
  choices: [done, unknown, abandoned]
  sample: done
project:
  description: The project compiled.
  returned: always
  type: str
  sample: PlantProject
projects:
  description: The compiled set, the project first, then its includes in include order.
  returned: always
  type: list
  elements: str
  sample: [PlantProject, PLS_Include, Site_Include]
fingerprint:
  description: The set fingerprint of the sources compiled (see M(scada.redundancy.po_info)).
  returned: always
  type: str
  sample: 3f5c0e0d8c5e2b9f7a8e0b6c1d2e3f40516273849a5b6c7d8e9f0a1b2c3d4e5f
compiled:
  description: Whether a compile ran (false in check mode).
  returned: always
  type: bool
  sample: true
success:
  description: Whether the compile succeeded; null in check mode.
  returned: always
  type: bool
  sample: true
error_count:
  description: Number of ERROR and FATAL messages (the larger of the hook's count and the list).
  returned: always
  type: int
  sample: 0
warning_count:
  description: Number of WARNING messages.
  returned: always
  type: int
  sample: 2
messages:
  description: The compile messages with the vendor's field names.
  returned: always
  type: list
  elements: dict
  sample:
    - Type: ERROR
      Record: 12
      Name: FDR01_Ia
      Field: UNIT
      Table: variable.DBF
      Error: I/O device not found
      Context: PlantProject
outcome_source:
  description: What told the outcome, C(hook) or C(messages); null in check mode.
  returned: always
  type: str
  sample: hook
duration:
  description: Seconds the compile took on the host.
  returned: always
  type: float
  sample: 41.3
category:
  description: Why the task failed (C(compile_failed) for a compile with errors).
  returned: failure
  type: str
  sample: compile_failed
"""
