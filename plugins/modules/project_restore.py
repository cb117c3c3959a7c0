#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This file only documents the module; the work is done by the action plugin of the same name,
# which runs the collection's agent verbs through the task's WinRM connection.

DOCUMENTATION = r"""
---
module: project_restore
short_description: Restore a project backup into the current Power Operation project
version_added: 0.1.0
description:
  - Restores an archive written by M(scada.redundancy.project_backup) into the CURRENT project
    of the host, as the procedure uses the vendor's Restore dialog ("To - Current Project", the
    included projects selected except C(PLS_Include), "Configuration files" cleared). A restore
    never creates a project.
  - C(PLS_Include), the Power Operation library project, is never overwritten. A request that
    names it (O(project) or O(include_projects)) fails before anything is touched; the
    controller checks this before contacting the host, and the host checks it again.
  - Before anything changes, the archive is proved. Every member name is safe to unpack
    (no absolute path, drive letter, C(..) or duplicate name), the members are exactly the
    manifest's files, and every member's SHA-256 equals the manifest's. A damaged or altered
    archive is refused with category C(archive_invalid) and the host is left as it was.
  - Each target project's fingerprint is compared with the archive's; projects that already
    match are left alone, so a second run reports C(changed=false).
  - The projects that differ are unpacked into a staging folder next to the projects (each
    file's SHA-256 checked again), then swapped in one by one - the current folder is renamed
    C(<Project>.previous) (an older C(.previous) folder is deleted first) and the staged one
    takes its name. If a swap fails, every project already swapped is put back. The
    C(.previous) folders are the way back (O(state=rolled_back)).
  - After a restore the procedure compiles the project and runs the Computer Setup Wizard;
    this module does neither.
options:
  state:
    description:
      - V(restored) restores O(archive).
      - V(rolled_back) puts back the C(<Project>.previous) content kept by the last restore, for
        the target project and its included projects (or O(include_projects)); projects without
        a previous generation are left alone. Configuration files are not rolled back (their
        C(.previous) copies are next to them).
    type: str
    choices: [restored, rolled_back]
    default: restored
  archive:
    description:
      - Full path of the archive on the host, such as C(D:\Backups\PlantProject.ctz) (see
        M(scada.redundancy.archive_copy) to bring it from the partner server).
      - Required with O(state=restored).
    type: str
  src:
    description:
      - A copy of O(archive) on the controller, read only in check mode and only while
        O(archive) is not on the host yet (an earlier step of the same run would put it
        there). The restore is then planned from this copy, so a dry run still lists what
        would change. Ignored otherwise.
    type: path
  project:
    description:
      - The target project; it must exist. When omitted, the project C([CtEdit]Run) names (the
        current project). The archive's project is restored into it whatever its name in the
        archive; included projects are restored into the projects of the same name.
    type: str
  include_projects:
    description:
      - The included projects of the archive to restore. When omitted, every included project
        in the archive except C(PLS_Include). An empty list restores only the project itself.
      - Each named project must be in the archive and exist on the host. Naming C(PLS_Include)
        fails the task before anything is touched.
    type: list
    elements: str
  configuration_files:
    description:
      - Also restore the archive's configuration files (citect.ini into its registered path,
        the others into C([CtEdit]Config)), keeping a C(.previous) copy of each replaced file.
      - The procedure clears this option; citect.ini holds machine-specific settings.
    type: bool
    default: false
  keep_previous:
    description:
      - Keep the C(<Project>.previous) folders after a successful restore, for
        O(state=rolled_back). When false they are deleted at once.
    type: bool
    default: true
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - scada.redundancy.power_operation
attributes:
  check_mode:
    support: full
    details: The archive is proved and the projects compared; nothing is unpacked or changed.
  diff_mode:
    support: full
    details: Lists per project the files the restore adds, changes and removes.
  platform:
    platforms: windows
notes:
  - Renaming a project folder fails while a program holds files in it open (Power Operation
    Studio, Graphics Builder); the task then fails with every project put back.
  - Compiled databases and other volatile files (C(*.rdb), C(*.log), C(*.lck), C(*.tmp),
    C(~*)) are not in an archive; after a restore they are only in the C(.previous) folder,
    and the project needs a compile.
seealso:
  - module: scada.redundancy.project_backup
  - module: scada.redundancy.archive_copy
author:
  - scada.redundancy contributors (@scada-redundancy)
"""

EXAMPLES = r"""
- name: Restore the standby's backup into the primary's current project, never PLS_Include
  scada.redundancy.project_restore:
    archive: D:\Backups\PlantProject-standby.ctz
  register: restore

- name: Restore only the project itself and one included project
  scada.redundancy.project_restore:
    archive: D:\Backups\PlantProject-standby.ctz
    include_projects: [Site_Include]

- name: Undo the last restore
  scada.redundancy.project_restore:
    state: rolled_back
"""

RETURN = r"""
state:
  description: V(restored) or V(rolled_back).
  returned: always
  type: str
  sample: restored
project:
  description: The target project.
  returned: always
  type: str
  sample: PlantProject
archive:
  description: The archive restored.
  returned: when O(state=restored)
  type: str
  sample: D:\Backups\PlantProject-standby.ctz
archive_project:
  description: The project the archive was made from.
  returned: when O(state=restored)
  type: str
  sample: PlantProject
source_host:
  description: The computer name the archive was made on.
  returned: when O(state=restored)
  type: str
  sample: PO-SRV-B
created_utc:
  description: When the archive was made.
  returned: when O(state=restored)
  type: str
  sample: "2026-01-31T12:00:00Z"
projects:
  description:
    - One entry per target project with C(name), C(source) (its name in the archive),
      C(action) (V(restored) or V(unchanged)), C(fingerprint_before), C(fingerprint_after)
      and the lists C(added), C(changed), C(removed) of relative file paths.
  returned: when O(state=restored)
  type: list
  elements: dict
  sample:
    - name: PlantProject
      source: PlantProject
      action: restored
      fingerprint_before: 1b6e...a0
      fingerprint_after: 9d2c...47
      added: [pages\New.ctg]
      changed: [variable.DBF]
      removed: []
skipped_projects:
  description: Protected projects in the archive that were not restored (C(PLS_Include)).
  returned: when O(state=restored)
  type: list
  elements: str
  sample: [PLS_Include]
configuration_files:
  description: With O(configuration_files), each file with C(name), C(path) and C(action).
  returned: when O(state=restored)
  type: list
  elements: dict
  sample: []
previous_kept:
  description: Whether C(<Project>.previous) folders were kept for a rollback.
  returned: when O(state=restored)
  type: bool
  sample: true
planned_from_src:
  description: In check mode, whether the plan came from O(src) because O(archive) was not on the host yet.
  returned: when O(state=restored)
  type: bool
  sample: false
rolled_back:
  description: Projects whose previous content was put back.
  returned: when O(state=rolled_back)
  type: list
  elements: str
  sample: [PlantProject, Site_Include]
"""
