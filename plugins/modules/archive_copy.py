#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This file only documents the module; the work is done by the action plugin of the same name,
# which runs constant agent verbs through WinRM connections.

DOCUMENTATION = r"""
---
module: archive_copy
short_description: Copy a project backup from one server of a pair to the other
version_added: 0.1.0
description:
  - Copies a file, normally an archive of M(scada.redundancy.project_backup), from the other
    server of a pair (O(source_host)) to the task's host, proving it by SHA-256 at both ends.
  - With O(via=controller) the file travels through the controller in chunks of O(chunk_size)
    bytes, each read by one batch of agent verbs on the source and appended by one on the
    destination; neither end nor the controller holds more than one chunk. The module opens
    the connection to O(source_host) itself, with that host's inventory variables (connection,
    address, port, user, password, transport), as ansible does for C(delegate_to); credentials
    are never logged or returned.
  - With O(via=share) the task's host reads the file from O(share_path), a share path such as
    C(\\PO-SRV-B\D$\Backups\PlantProject.ctz); the SHA-256 of the source is taken on
    O(source_host) when given, else read through the share.
  - The destination writes C(<dest>.partial) and moves it to O(dest) only when its size and
    SHA-256 equal the source's and, with O(validate), the archive is proved against its
    manifest. A file already at O(dest) with the same SHA-256 is left alone (C(changed=false));
    a different one is replaced.
  - An interrupted transfer through the controller (a broken connection, a failed chunk)
    leaves C(<dest>.partial) on the destination. With O(resume), the next run continues it when
    its SHA-256 equals that of the source's first bytes, and starts over otherwise. A failed
    share copy removes its partial file.
options:
  src:
    description:
      - A file on the controller to upload to this server instead, for example a change
        archive backed up from an engineering workstation. Sent in bounded chunks, resumable,
        checked by SHA-256 at both ends like a copy between servers.
      - Mutually exclusive with O(source_host) and O(share_path).
    type: path
    version_added: 0.1.0
  source_host:
    description:
      - The inventory name of the server that holds the file. Its connection must be C(winrm)
        (or C(psrp)). Required with O(via=controller).
    type: str
  source_path:
    description:
      - Full path of the file on O(source_host). Required with O(source_host).
    type: str
  dest:
    description:
      - Full path of the file on the task's host. A path ending in a backslash is a folder; the
        file keeps the name of O(source_path) (or O(share_path)). Folders are created.
    type: str
    required: true
  via:
    description:
      - V(controller) streams the file through the controller.
      - V(share) lets the task's host read O(share_path) itself.
    type: str
    choices: [controller, share]
    default: controller
  share_path:
    description:
      - With O(via=share), the share path of the file as the task's host reaches it.
      - The share is read with the connection's own Windows logon. Over WinRM with NTLM that
        logon cannot authenticate to a third machine (the "double hop"), so the share must
        grant read access to the destination server's computer account, or the connection must
        use Kerberos delegation or CredSSP.
    type: str
  chunk_size:
    description:
      - Bytes per chunk with O(via=controller) (65536 to 67108864). Each chunk costs one
        PowerShell start at each end; larger chunks are faster and use more memory per call.
    type: int
    default: 4194304
  resume:
    description:
      - Continue a C(<dest>.partial) left by an interrupted transfer when it matches the
        source's first bytes.
    type: bool
    default: true
  validate:
    description:
      - Prove the copied archive against its manifest (every member's SHA-256) on the
        destination before it takes its name. Turn off for files that are not the collection's
        archives.
    type: bool
    default: true
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Both ends are inspected (existence, size, SHA-256); nothing is copied.
  diff_mode:
    support: none
  platform:
    platforms: windows
notes:
  - A failure on the source host is reported as a failure of the task, naming that host; an
    unreachable source host does not mark the task's own host unreachable.
seealso:
  - module: scada.redundancy.project_backup
  - module: scada.redundancy.project_restore
author:
  - scada.redundancy contributors (@scada-redundancy)
"""

EXAMPLES = r"""
- name: Back up the standby
  scada.redundancy.project_backup:
    archive_name: PlantProject-standby.ctz
    destination: D:\Backups
  delegate_to: po-srv-b
  register: backup

- name: Upload a change archive from the controller
  scada.redundancy.archive_copy:
    src: /srv/changes/PlantProject-ews.ctz
    dest: D:\Backups\

- name: Bring the standby's backup to the primary through the controller
  scada.redundancy.archive_copy:
    source_host: po-srv-b
    source_path: "{{ backup.path }}"
    dest: D:\Backups\

- name: Or let the primary read it from the standby's administrative share
  scada.redundancy.archive_copy:
    via: share
    share_path: \\PO-SRV-B\D$\Backups\PlantProject-standby.ctz
    source_host: po-srv-b
    source_path: D:\Backups\PlantProject-standby.ctz
    dest: D:\Backups\PlantProject-standby.ctz
"""

RETURN = r"""
dest:
  description: Full path of the file on the task's host.
  returned: always
  type: str
  sample: D:\Backups\PlantProject-standby.ctz
via:
  description: How the file travelled.
  returned: always
  type: str
  sample: controller
size:
  description: Size of the file in bytes.
  returned: always
  type: int
  sample: 7340032
sha256:
  description: SHA-256 of the file, equal at both ends.
  returned: always
  type: str
  sample: 0c5b0f4a7bbf2b6a0d1f7c3b6c70c1b0f85b5d9c1b8e54e4a5bb56c8a4c7d2e1
resumed_from:
  description: Bytes of an earlier partial copy that were kept (0 when the copy started over).
  returned: always
  type: int
  sample: 0
bytes_sent:
  description: Bytes copied by this run.
  returned: always
  type: int
  sample: 7340032
chunks:
  description: Chunks copied through the controller.
  returned: always
  type: int
  sample: 2
partial:
  description: The partial file left on the destination by a failed transfer.
  returned: on failure of a transfer through the controller
  type: str
  sample: D:\Backups\PlantProject-standby.ctz.partial
"""
