#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This file only documents the module; the work is done by the action plugin of the same name,
# which runs a constant PowerShell operation through the task's WinRM connection.

DOCUMENTATION = r"""
---
module: sms_check
short_description: Check that a historizing redundant System Platform node uses the System Management Server
version_added: 0.2.0
description:
  - Preflight for a System Platform upgrade to 2023 R2 or later. The vendor requires every
    redundant Application Server run-time node that historizes to be configured to use the
    System Management Server (SMS), since secure HCAP needs it; otherwise data is lost.
  - Reads, on the node, the SMS server name and port the installer's configurator set
    (configurator keys C(Common Platform.ASBRuntime.ManagementServerName) and
    C(Common Platform.ASBRuntime.ManagementServerPort)). B(Where the product stores these on a
    node is not confirmed by public vendor documentation); the registry keys and value names
    read are therefore options, searched in order. Check the default against a node of your
    site (or point O(key_paths) at where your site records it) before relying on the result.
  - Whether a node historizes is not read from the node; give it per node with O(historizing)
    (for example from a host variable). Left out, the node is assumed to historize.
  - Fails, naming the node and quoting the vendor's data-loss warning, when the SMS is
    required (O(redundant) and historizing) but not found and O(fail_on_missing=true);
    otherwise warns. Never changes anything.
options:
  historizing:
    description:
      - Whether the node historizes data. Not read from the node. Left out, it is assumed to
        historize (the check then applies to every redundant node).
    type: bool
  redundant:
    description:
      - Whether the node hosts a redundant AppEngine. A non-redundant node never needs the SMS
        for this check.
    type: bool
    default: true
  fail_on_missing:
    description:
      - Fail the task when the SMS is required but not configured. With V(false) the task
        succeeds with a warning.
    type: bool
    default: true
  key_paths:
    description:
      - Registry keys (HKLM only, C(HKLM\...) or C(HKLM:\...)) searched in order; the first
        holding a non-empty O(server_value) wins.
      - The default is an unconfirmed location; it is an assumption, not vendor documentation.
    type: list
    elements: str
    default: ['HKLM\SOFTWARE\WOW6432Node\ArchestrA\Framework\ASBRuntime']
  server_value:
    description:
      - The registry value holding the SMS server name (the configurator's
        C(ManagementServerName)).
    type: str
    default: ManagementServerName
  port_value:
    description:
      - The registry value holding the SMS port (the configurator's C(ManagementServerPort)).
    type: str
    default: ManagementServerPort
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
- name: Preflight - every historizing redundant node uses the SMS
  scada.redundancy.sms_check:
    historizing: "{{ sp_historizing | default(omit) }}"

- name: Read the SMS settings from a site-specific key, warn only
  scada.redundancy.sms_check:
    key_paths:
      - HKLM:\SOFTWARE\Site\SystemPlatform
      - HKLM\SOFTWARE\WOW6432Node\ArchestrA\Framework\ASBRuntime
    historizing: true
    fail_on_missing: false
"""

RETURN = r"""
sms:
  description: What was found and whether the node passes the check.
  returned: always
  type: dict
  contains:
    configured:
      description: An SMS server name was found.
      type: bool
      sample: true
    server:
      description: The SMS server name found, or null.
      type: str
      sample: GR-NODE
    port:
      description: The SMS port found (a number when numeric), or null.
      type: raw
      sample: 443
    key:
      description: The registry key the settings were found under, or null.
      type: str
      sample: HKLM\SOFTWARE\WOW6432Node\ArchestrA\Framework\ASBRuntime
    searched:
      description: Each key searched, with C(key) and C(exists).
      type: list
      elements: dict
      sample: [{key: 'HKLM\SOFTWARE\WOW6432Node\ArchestrA\Framework\ASBRuntime', exists: true}]
    historizing:
      description: The O(historizing) input (null when not given, then assumed true).
      type: bool
      sample: true
    redundant:
      description: The O(redundant) input.
      type: bool
      sample: true
    required:
      description: The node needs the SMS (redundant and historizing or assumed so).
      type: bool
      sample: true
    ok:
      description: The node passes (the SMS is configured or not required).
      type: bool
      sample: true
"""
