#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This file only documents the module; the work is done by the action plugin of the same name,
# which runs constant agent verbs through the task's WinRM connection.

DOCUMENTATION = r"""
---
module: sp_install
short_description: Install or upgrade AVEVA System Platform silently with a response file, restarting as needed
version_added: 0.2.0
description:
  - Runs System Platform C(setup.exe) silently with a response file built from the options,
    on one node, and waits for it; then restarts the node when setup asks for it and waits
    until WinRM answers again.
  - Idempotent. The installed version is read from the uninstall entry whose display name
    matches O(display_name_pattern); when it equals O(version) nothing is done, not even a
    restart that is pending (RV(reboot_required) says so). A newer installed version fails
    (setup does not downgrade).
  - A restart already pending (Windows' restart markers - Component Based Servicing,
    Windows Update, PendingFileRenameOperations, a computer name change) makes setup stop, so
    the module fails before starting setup unless O(reboot_before=true), which restarts first.
  - The response file holds the installer account's password. It is written on the host only
    for the run, into a new folder under C(%ProgramData%\scada.redundancy\sp_install) readable
    only by SYSTEM and Administrators, and removed as soon as setup exits. The password travels
    only on the agent's stdin (never on a command line, in a result or in a log).
  - Setup runs detached from the WinRM command (started through C(Win32_Process.Create)); the
    controller long-polls it (O(long_poll)), printing progress at C(-v).
  - Restarts follow M(ansible.windows.win_reboot) - C(shutdown.exe /r /t) O(reboot_delay), wait
    for the host to stop answering (or to answer with a new boot time), then for WinRM to answer
    again with a new boot time, resetting the connection between probes.
  - "Vendor facts: upgrading a run-time node undeploys its platforms (Application Server is
    left deployed but shut down) and there is no rollback of an upgrade. Upgrade the standby
    node of a pair first."
  - B(Not confirmed by the vendor), hence options - the switch that passes the response file
    to setup (O(response_switch)), the response file's exact format (written as C(key=value)
    lines, UTF-8 without BOM) and the separator of the feature list (a comma). Setup's exit
    codes are read as Windows Installer's - 0 done, 3010 and 1641 done with a restart needed;
    anything else fails.
options:
  version:
    description:
      - The System Platform version the installed product must have afterwards, as the
        uninstall entry's C(DisplayVersion) shows it (for example V(23.1.100)). Must be the
        version of the setup at O(setup_path).
    type: str
    required: true
  setup_path:
    description:
      - Full path of C(setup.exe) on the node (local or UNC).
    type: str
    required: true
  response_switch:
    description:
      - The setup switch followed by the response file's path. Not confirmed by public vendor
        documentation; check your release's installation guide.
    type: str
    default: /silentinstall
  install_dir:
    description: C(FeatureForm.SInstallDir).
    type: str
  admin_user:
    description: C(AdminUserForm.SUserName), the ArchestrA network account.
    type: str
  admin_password:
    description:
      - C(AdminUserForm.SPassword). Written only into the run's response file on the host.
    type: str
  admin_domain:
    description: C(AdminUserForm.SDomainName).
    type: str
  features:
    description:
      - C(FeatureForm.SFeatureList), joined with commas.
    type: list
    elements: str
  sms_server:
    description:
      - C(Common Platform.ASBRuntime.ManagementServerName), the System Management Server the
        node uses. Required by the vendor from 2023 R2 on every redundant node that historizes
        (see M(scada.redundancy.sms_check)).
    type: str
  sms_port:
    description: C(Common Platform.ASBRuntime.ManagementServerPort).
    type: int
  response_keys:
    description:
      - Further response file keys and values, written after the ones above. Cannot set a key
        that has its own option. C(OutOfSupportRedistConsentForm.SRedistConsent=true) is
        always written (setup fails without it).
    type: dict
    default: {}
  display_name_pattern:
    description:
      - Wildcard (PowerShell C(-like)) of the System Platform uninstall entry's display name.
    type: str
    default: '*System Platform*'
  reboot_before:
    description:
      - Restart the node first when a restart is pending. Without it a pending restart fails
        the task before setup starts.
    type: bool
    default: false
  reboot:
    description:
      - Restart the node after setup when setup asks for it (exit code 3010 or 1641) or a
        restart is pending. With V(false) the result says RV(reboot_required).
    type: bool
    default: true
  reboot_delay:
    description: Seconds C(shutdown.exe /r /t) waits before restarting (0 to 600).
    type: int
    default: 5
  install_timeout:
    description: Seconds to wait for setup to exit.
    type: int
    default: 7200
  shutdown_timeout:
    description: Seconds to wait, after the restart is issued, for the node to stop answering.
    type: int
    default: 600
  reboot_timeout:
    description: Seconds to wait for the node to answer again after it went down.
    type: int
    default: 1800
  long_poll:
    description: Seconds one remote call waits on the node for setup to exit.
    type: int
    default: 60
  poll_interval:
    description:
      - Seconds between probes while restarting (growing up to 30), and the node-side look
        interval while setup runs (at most 5).
    type: float
    default: 5.0
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Reads the installed version and pending restart; reports whether setup would run.
  diff_mode:
    support: none
  platform:
    platforms: windows
notes:
  - Run with C(serial) or one node of a pair at a time - the standby node first.
author:
  - scada.redundancy contributors (@scada-redundancy)
"""

EXAMPLES = r"""
- name: Upgrade the standby node to System Platform 2023 R2 SP1
  scada.redundancy.sp_install:
    version: 23.1.100
    setup_path: D:\Media\SP2023R2SP1\setup.exe
    admin_user: svc_archestra
    admin_password: "{{ vault_archestra_password }}"
    admin_domain: PLANT
    features: [Application Server Runtime]
    sms_server: gr01.plant.local
    sms_port: 443
    reboot_before: true
"""

RETURN = r"""
version:
  description: The target version.
  returned: always
  type: str
  sample: 23.1.100
before:
  description: The product and restart state found first.
  returned: always
  type: dict
  contains:
    installed:
      description: The product is installed.
      type: bool
    version:
      description: The installed version.
      type: str
      sample: "23.0"
    install_location:
      description: The install location of the uninstall entry.
      type: str
    pending_restart:
      description: A restart was pending.
      type: bool
    pending_reasons:
      description: The restart markers found.
      type: list
      elements: str
    boot_id:
      description: The node's last boot time (UTC, ISO 8601).
      type: str
  sample: {installed: true, version: "23.0", install_location: 'C:\Program Files (x86)\ArchestrA\',
           pending_restart: false, pending_reasons: [], boot_id: "2026-11-20T06:01:12.0000000Z"}
after:
  description: The same after setup and any restart (null in check mode); as RV(before) when nothing was done.
  returned: always
  type: dict
  sample: {installed: true, version: 23.1.100, pending_restart: false}
exit_code:
  description: Setup's exit code (null when setup did not run).
  returned: always
  type: int
  sample: 3010
rebooted:
  description: The module restarted the node.
  returned: always
  type: bool
  sample: true
reboot_required:
  description: A restart is still needed (O(reboot=false), or in check mode).
  returned: always
  type: bool
  sample: false
response_keys:
  description: The response file's keys (never the values).
  returned: always
  type: list
  elements: str
  sample: [FeatureForm.SInstallDir, AdminUserForm.SUserName, AdminUserForm.SPassword, OutOfSupportRedistConsentForm.SRedistConsent]
timings:
  description: Seconds, measured on the controller, of C(setup), C(reboot) and C(reboot_before) when they ran.
  returned: always
  type: dict
  sample: {setup: 1214.2, reboot: 201.5}
restarts:
  description:
    - Each restart the module made, in order - C(why) (C(before setup) or C(after setup)),
      C(seconds) (measured on the controller) and C(seen), each change of the node's state as
      the probes saw it, with the seconds into the restart - C(up) (with its boot),
      C(refused) (WinRM stopped), C(no answer) (the node dark while it boots - such a probe
      waits out the connection's read timeout, twice when it reconnects, so a wait can end up
      to that long after O(reboot_timeout)), C(reset), C(slow) or C(answering, not ready).
  returned: always
  type: list
  elements: dict
  sample:
    - why: after setup
      seconds: 201.5
      seen: [{state: up, at: 0.0}, {state: refused, at: 12.3}, {state: no answer, at: 130.0},
             {state: "up, boot 2026-11-20T06:04:40.0000000Z", at: 201.4}]
category:
  description: On failure, its kind - C(pending_restart), C(setup_failed), C(timeout), C(reboot_timeout), C(invalid_parameter), C(not_found).
  returned: failure
  type: str
  sample: pending_restart
"""
