#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This file only documents the module; the work is done by the action plugin of the same name,
# which runs the GRAccess helper on the Galaxy Repository node through the task's connection.

DOCUMENTATION = r"""
---
module: galaxy_backup
short_description: Back up an AVEVA System Platform galaxy on its Galaxy Repository node
version_added: 0.3.0
description:
  - Backs the galaxy up with GRAccess C(IGalaxy.Backup) (Application Server GRAccess
    reference, "Backup method") to a cabinet file on the Galaxy Repository (GR) node, proves
    the file (it exists, is not empty and begins with the cabinet signature C(MSCF)), and
    returns its size and SHA-256. With O(fetch) the file is brought to the controller in
    bounded chunks with an end-to-end SHA-256.
  - A galaxy migration cannot be undone; the M(scada.redundancy.galaxy_migrate) step of the
    role C(scada.redundancy.system_platform_upgrade) runs only after this backup.
  - The backup needs no galaxy login (the helper does not log in for it) and works on a
    galaxy that must still be migrated as far as GRAccess allows it.
  - B(Idempotent) with O(backup_name) - an existing backup under that name is kept (and
    fetched when asked) unless O(force). Without O(backup_name) every run takes a new backup
    named by the galaxy, its version and the time.
options:
  destination:
    description:
      - Folder on the GR node for the backup file (created when missing). A full local path.
      - GRAccess deletes the contents of a folder given as the backup file name; the
        module always passes a file name and the helper refuses a path that is a folder.
    type: str
    default: C:\ProgramData\scada.redundancy\galaxy_backups
  backup_name:
    description:
      - File name of the backup in O(destination). C(.cab) is appended when it has no
        extension, as GRAccess does.
      - Default C(<galaxy>-<version>-<UTC time>.cab), a new file each run.
    type: str
  force:
    description:
      - Take the backup again when a file named O(backup_name) exists (it is replaced).
    type: bool
    default: false
  fetch:
    description:
      - Bring the backup file to O(fetch_dest) on the controller. An identical file there is
        left alone; a partial transfer is resumed.
    type: bool
    default: false
  fetch_dest:
    description:
      - Controller folder for the fetched file. Required with O(fetch).
    type: path
  chunk_size:
    description:
      - Bytes per transferred chunk when fetching (64 KiB to 64 MiB).
    type: int
    default: 4194304
extends_documentation_fragment:
  - scada.redundancy.galaxy
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Reads the galaxy and an existing backup under O(backup_name); reports the path it would write. Nothing is written.
  diff_mode:
    support: none
  platform:
    platforms: windows
author:
  - scada.redundancy contributors (@scada-redundancy)
"""

EXAMPLES = r"""
- name: Back up the galaxy before its migration and keep a copy on the controller
  scada.redundancy.galaxy_backup:
    galaxy: Plant
    galaxy_user: admin
    galaxy_password: "{{ vault_galaxy_password }}"
    fetch: true
    fetch_dest: /srv/scada-backups/galaxy
  register: galaxy_backup

- name: A named backup, taken once (a rerun keeps it)
  scada.redundancy.galaxy_backup:
    galaxy: Plant
    backup_name: Plant-before-2023R2SP1.cab
"""

RETURN = r"""
path:
  description: The backup file on the GR node.
  returned: always
  type: str
  sample: C:\ProgramData\scada.redundancy\galaxy_backups\Plant-23.0-20261204T193000Z.cab
backup_name:
  description: Its file name.
  returned: always
  type: str
  sample: Plant-23.0-20261204T193000Z.cab
galaxy:
  description: The galaxy's name.
  returned: always
  type: str
  sample: Plant
galaxy_version:
  description: The galaxy's version when it was backed up (C(IGalaxy.VersionString)).
  returned: always
  type: str
  sample: "23.0"
size:
  description: The backup file's size in bytes; null in check mode when no file exists yet.
  returned: always
  type: int
  sample: 52428800
sha256:
  description: SHA-256 of the backup file on the GR node; null in check mode when no file exists yet.
  returned: always
  type: str
  sample: 3f79bb7b435b05321651daefd374cdc681dc06faa65e374e38337b88ca046dea
created_utc:
  description: When this run took the backup (UTC); null when an existing backup was kept or in check mode.
  returned: always
  type: str
  sample: "2026-12-04T19:30:00Z"
fetched:
  description: The controller copy.
  returned: when O(fetch)
  type: dict
  contains:
    path:
      description: Path on the controller.
      type: str
    changed:
      description: Whether this run transferred (or would transfer) the file.
      type: bool
    sha256:
      description: SHA-256 of the controller copy, equal to RV(sha256) when the transfer is done.
      type: str
    size:
      description: Its size in bytes.
      type: int
helper_compiled:
  description: Whether this task compiled the GRAccess helper on the node.
  returned: always
  type: bool
  sample: false
"""
