#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This file only documents the module; the work is done by the action plugin of the same name,
# which runs the collection's agent verbs through the task's WinRM connection.

DOCUMENTATION = r"""
---
module: project_backup
short_description: Back up a Power Operation project into a verified .ctz archive
version_added: 0.1.0
description:
  - Backs up a project of EcoStruxure Power Operation (AVEVA Plant SCADA) into a
    C(.ctz)-compatible zip archive on the host, with the choices of the vendor's Backup dialog
    (O(include_projects) is "Save Included Projects", O(subdirectories) is "Save
    sub-directories", O(configuration_files) is "Save configuration files").
  - The archive holds one C(<Project>/...) folder per saved project, C(Config/...) for
    configuration files, and C(scada-redundancy-manifest.json), which lists every file with
    its size and SHA-256, the fingerprint of each saved project, the source host, the product
    version, the creation time (UTC) and the options used. M(scada.redundancy.project_restore)
    proves an archive against this manifest before it changes anything.
  - The archive is written as C(<name>.partial), re-opened and every member checked against
    the manifest, and only then given its name; its own SHA-256 is returned. The manifest is
    made from the files' SHA-256 as listed before the write, and every file's stored bytes must
    hash to it; a project file that changes meanwhile fails the task with category C(changed)
    (run it again). A failure (a full disk, for example) removes the partial file and fails the
    task with category C(disk_full) or C(io).
  - Files the project fingerprint leaves out are not saved (compiled databases C(*.rdb), logs,
    lock and temporary files); the procedure compiles after every restore.
  - No public documentation of the vendor's backup command line exists. The built-in writer
    produces a zip that M(scada.redundancy.project_restore) restores; the vendor notes that
    unpacking by hand is no substitute for its Restore across product versions, which does not
    arise between the two servers of a pair running the same version. A site that has its own
    backup tool names it in O(command_template).
  - A backup always writes a new archive and reports C(changed=true), except that with
    O(archive_name) given and an intact archive of identical content (same files, same
    SHA-256 values, same options) already at that name, nothing is written and the task
    reports C(changed=false).
options:
  project:
    description:
      - The project to back up. When omitted, the project C([CtEdit]Run) in citect.ini names
        (the project the runtime starts), as the procedure's "active project".
    type: str
  include_projects:
    description:
      - Also save the projects the project includes, transitively (the dialog's "Save
        Included Projects", which the procedure asks for). Included names that are not
        projects on the host are skipped.
    type: bool
    default: true
  subdirectories:
    description:
      - Also save files in sub-folders of each project folder ("Save sub-directories").
    type: bool
    default: true
  configuration_files:
    description:
      - Also save citect.ini and the files in the C([CtEdit]Config) folder that match
        O(configuration_patterns), under C(Config/) in the archive ("Save configuration
        files").
    type: bool
    default: false
  configuration_patterns:
    description:
      - PowerShell wildcards (case-insensitive) of the C([CtEdit]Config) files saved with
        O(configuration_files), besides citect.ini.
      - The default matches the deployment service C(.exe.config) files the vendor lists for an
        offline backup; which files a site needs is not documented further, so this is an option.
    type: list
    elements: str
    default: ["*.exe.config"]
  destination:
    description:
      - Folder on the host for the archive, a full path such as C(D:\Backups). Created when
        missing.
      - When omitted, the C([CtEdit]Backup) folder from citect.ini.
    type: str
  archive_name:
    description:
      - File name of the archive in O(destination).
      - When omitted, C(<project>-<yyyyMMddTHHmmssZ>.ctz) with the host's UTC time, so every run
        writes a new archive.
    type: str
  command_template:
    description:
      - The argument list of a site's own backup tool, used instead of the built-in writer. The
        first element is the tool's full path on the host.
      - In each element, the placeholders C({project}), C({project_path}), C({destination}) (the
        archive's full path), C({archive_name}), C({backup_folder}), C({ini_path}) and
        C({bin_folder}) are replaced by their values. The tool is started directly, each element
        passed as exactly one argument (Windows command-line quoting); no shell or PowerShell
        ever parses the values.
      - After the tool exits with code 0, the module checks that C({destination}) exists, opens
        as a zip with safe member names, and (when the tool wrote the collection's manifest) is
        intact; then it returns its SHA-256. With a tool the task always reports
        C(changed=true).
    type: list
    elements: str
  command_timeout:
    description:
      - Seconds the tool of O(command_template) may run before it is stopped and the task fails.
    type: int
    default: 3600
  fetch:
    description:
      - Also bring the archive to the controller folder O(fetch_dest), in chunks of
        O(chunk_size) bytes (the controller never holds more than one chunk), with the SHA-256
        compared end to end and the archive proved against its manifest there.
      - An identical file already in O(fetch_dest) is not fetched again. An interrupted fetch
        leaves C(<name>.partial) in O(fetch_dest); the next run resumes it when it matches.
    type: bool
    default: false
  fetch_dest:
    description:
      - Controller folder for O(fetch). Created when missing.
    type: path
  retention:
    description:
      - With O(fetch), keep only the newest O(retention) backups of the project in
        O(fetch_dest) and delete older ones. A file counts as a backup of the project only when
        it is a readable archive whose manifest names the project; nothing else is touched.
    type: int
  chunk_size:
    description:
      - Bytes per chunk when fetching (65536 to 67108864).
    type: int
    default: 4194304
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - scada.redundancy.power_operation
attributes:
  check_mode:
    support: full
    details: Reports what would be saved (files, bytes, the archive path) and writes nothing.
  diff_mode:
    support: none
  platform:
    platforms: windows
notes:
  - Runs as an action plugin over the task's own WinRM connection; the host runs the
    collection's constant agent verbs with the values sent as data, and every decision is
    made on the controller (see the collection's design notes).
  - Needs Windows PowerShell 5.1 and .NET Framework 4.5 or later on the host
    (C(System.IO.Compression)).
seealso:
  - module: scada.redundancy.project_restore
  - module: scada.redundancy.archive_copy
  - module: scada.redundancy.po_info
author:
  - scada.redundancy contributors (@scada-redundancy)
"""

EXAMPLES = r"""
- name: Back up the standby's active project with its included projects
  scada.redundancy.project_backup:
  register: backup

- name: Back up under a fixed name and keep the five newest copies on the controller
  scada.redundancy.project_backup:
    archive_name: "{{ inventory_hostname }}-before-update.ctz"
    destination: D:\Backups
    fetch: true
    fetch_dest: "{{ playbook_dir }}/backups/{{ inventory_hostname }}"
    retention: 5

- name: Let the site's own backup tool write the archive
  scada.redundancy.project_backup:
    command_template:
      - C:\Tools\SiteBackup.exe
      - /project={project}
      - /out
      - "{destination}"
"""

RETURN = r"""
path:
  description: Full path of the archive on the host.
  returned: always
  type: str
  sample: C:\ProgramData\Schneider Electric\Power Operation\v2024\Backup\PlantProject-20260131T120000Z.ctz
archive_name:
  description: File name of the archive.
  returned: always
  type: str
  sample: PlantProject-20260131T120000Z.ctz
folder:
  description: Folder of the archive on the host.
  returned: always
  type: str
  sample: C:\ProgramData\Schneider Electric\Power Operation\v2024\Backup
project:
  description: The project backed up.
  returned: always
  type: str
  sample: PlantProject
includes:
  description: The projects the project includes, transitively, in include order.
  returned: always
  type: list
  elements: str
  sample: [PLS_Include, Site_Include]
projects:
  description:
    - The projects saved, each with C(name), C(files) and C(bytes), and C(fingerprint) (the
      content fingerprint of its saved files) once the archive is written or found.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "PlantProject", "files": 10, "bytes": 20480, "fingerprint": "3f1c...e9"}]
files:
  description: Number of files in the archive, besides the manifest.
  returned: always
  type: int
  sample: 17
bytes:
  description: Total size of the files saved (uncompressed).
  returned: always
  type: int
  sample: 48211
size:
  description: Size of the archive file; null in check mode when no archive was written.
  returned: always
  type: int
  sample: 9210
sha256:
  description: SHA-256 of the archive file; null in check mode when no archive was written.
  returned: always
  type: str
  sample: 0c5b0f4a7bbf2b6a0d1f7c3b6c70c1b0f85b5d9c1b8e54e4a5bb56c8a4c7d2e1
created_utc:
  description: Creation time of the archive from its manifest.
  returned: when an archive was written or found
  type: str
  sample: "2026-01-31T12:00:00Z"
method:
  description: V(builtin) (the collection's writer) or V(command) (O(command_template)).
  returned: always
  type: str
  sample: builtin
manifest:
  description: Whether the archive carries the collection's manifest.
  returned: always
  type: bool
  sample: true
options:
  description: The options the archive was made with.
  returned: always
  type: dict
  sample: {"include_projects": true, "subdirectories": true, "configuration_files": false}
source_host:
  description: The host's computer name, as recorded in the manifest.
  returned: always
  type: str
  sample: PO-SRV-B
product_version:
  description: The Power Operation version (the C(SCADA Installs) registry subkey).
  returned: always
  type: str
  sample: "2024"
fetched:
  description:
    - With O(fetch), the controller copy; C(path), C(changed), C(sha256) (equal to RV(sha256)),
      C(size).
  returned: when O(fetch=true)
  type: dict
  sample: {"path": "/srv/backups/po-b/PlantProject.ctz", "changed": true, "sha256": "0c5b...d2e1", "size": 9210}
retention_removed:
  description: Controller files deleted by O(retention).
  returned: when O(fetch=true)
  type: list
  elements: str
  sample: ["/srv/backups/po-b/PlantProject-20260101T120000Z.ctz"]
"""
