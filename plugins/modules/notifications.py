#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This file only documents the module; the work is done by the action plugin of the same name,
# which runs a constant PowerShell operation through the task's WinRM connection.

DOCUMENTATION = r"""
---
module: notifications
short_description: Put notification services into maintenance and restore them exactly
version_added: 0.1.0
description:
  - The update procedure recommends Event Notification Module "maintenance mode" while a
    redundant pair is updated, and ends by restarting "disabled or stopped notification
    services". Maintenance mode itself is documented only in the module's settings window;
    stopping and restoring the notification Windows services is the scriptable part, and what
    this module does.
  - O(state=maintenance) finds the services whose display names match O(patterns), records
    each one's status and start type, then disables and stops every one that is not already
    stopped and disabled. It returns the record as RV(saved_state), for a role to register.
  - O(state=restored) puts every recorded service back exactly as it was, start type first,
    then status, including services that were already stopped or disabled before the
    maintenance (they stay so).
  - The record is also written on the host, in O(state_path), before any service is changed.
    O(state=restored) without O(saved_state) reads it, so a run after a controller crash still
    restores exactly; a successful restore removes the file. While the file exists a new
    maintenance run keeps its records (they are the states before the first maintenance) and
    only adds services it does not list yet.
  - Idempotent both ways - services already in maintenance, or already as recorded, are left
    alone and reported unchanged.
options:
  state:
    description:
      - V(maintenance) stops and disables the notification services.
      - V(restored) puts them back as O(saved_state) (or the state file) records.
    type: str
    required: true
    choices: [maintenance, restored]
  patterns:
    description:
      - PowerShell wildcards matched against service display names (O(state=maintenance)).
      - The default is deliberately narrow. C(*Notification*) would also match Windows' own
        "Windows Push Notifications System Service" (WpnService), and a pattern that matches
        the WinRM service is refused, since stopping it would cut the connection.
      - No public source names the Event Notification Module's services; check the names on
        a server and adjust.
    type: list
    elements: str
    default: ["Event Notification Module*"]
  saved_state:
    description:
      - The RV(saved_state) a O(state=maintenance) run returned (O(state=restored) only).
      - When omitted, the state file O(state_path) on the host is used; when neither exists
        there is nothing to restore and nothing changes.
    type: dict
  state_path:
    description:
      - The JSON file on the host that keeps the record between maintenance and restore.
    type: str
    default: C:\ProgramData\scada.redundancy\notification-services.json
  timeout:
    description:
      - Seconds each service may take to stop or start before the task fails.
    type: int
    default: 120
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Reports what would change (RV(changes)) and changes nothing, the state file included.
  diff_mode:
    support: none
  platform:
    platforms: windows
notes:
  - A service with running dependent services cannot be stopped; the task fails with Windows'
    message naming them, before later services are changed. Dependent services are never
    stopped silently, because they would not be in the record.
  - Restoring fails before changing anything if a recorded service no longer exists.
seealso:
  - module: scada.redundancy.runtime
author:
  - scada.redundancy contributors (@scada-redundancy)
"""

EXAMPLES = r"""
- name: Notification services into maintenance for the update
  scada.redundancy.notifications:
    state: maintenance
  register: notification_maintenance

- name: Put every notification service back as it was
  scada.redundancy.notifications:
    state: restored
    saved_state: "{{ notification_maintenance.saved_state }}"

- name: After a controller crash, restore from the record kept on the host
  scada.redundancy.notifications:
    state: restored
"""

RETURN = r"""
saved_state:
  description:
    - The record of the services' states before maintenance; also the content of the state
      file. Null when O(state=restored) found nothing to restore.
  returned: always
  type: dict
  contains:
    version:
      description: Format version of the record.
      type: int
      sample: 1
    saved_at:
      description: When the record was first written (UTC).
      type: str
      sample: "2026-03-01T22:10:04Z"
    computer_name:
      description: The host the record belongs to.
      type: str
      sample: PO-SRV-B
    services:
      description: Each service with C(name), C(display_name), C(status) and C(start_type).
      type: list
      elements: dict
      sample: [{"name": "EnmNotificationService", "display_name": "Event Notification Module Service",
                "status": "Running", "start_type": "Automatic"}]
state_path:
  description: The state file on the host.
  returned: always
  type: str
  sample: C:\ProgramData\scada.redundancy\notification-services.json
changes:
  description: Each service this run changed (or would change in check mode), before and after.
  returned: always
  type: list
  elements: dict
  sample: [{"name": "EnmNotificationService", "display_name": "Event Notification Module Service",
            "before": {"status": "Running", "start_type": "Automatic"},
            "after": {"status": "Stopped", "start_type": "Disabled"}}]
services:
  description: The services concerned, as they are after the run (in check mode, as they would be).
  returned: always
  type: list
  elements: dict
  sample: [{"name": "EnmNotificationService", "display_name": "Event Notification Module Service",
            "status": "Stopped", "start_type": "Disabled"}]
msg:
  description: Why nothing was done, when there was nothing to restore.
  returned: when O(state=restored) found no saved state
  type: str
  sample: "no saved state given and none on the host: nothing to restore"
category:
  description:
    - Why the task failed - C(not_found) (a recorded service is missing), C(refused) (the
      patterns match WinRM), C(service_error) (Windows refused a change), C(timeout),
      C(state_file) (the record could not be read or written).
  returned: failure
  type: str
  sample: service_error
"""
