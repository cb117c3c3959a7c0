#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This file only documents the module; the work is done by the action plugin of the same name,
# which runs the GRAccess helper on the Galaxy Repository node through the task's connection.

DOCUMENTATION = r"""
---
module: galaxy_migrate
short_description: Migrate an AVEVA System Platform galaxy after the GR node was upgraded
version_added: 0.2.0
description:
  - After System Platform on the Galaxy Repository (GR) node was upgraded (and the node
    restarted), GRAccess reports C(IGalaxy.UpgradeRequired) and refuses logins until the
    galaxy is migrated. This module calls C(IGalaxy.MigrateGalaxy) when, and only when,
    C(UpgradeRequired) is true, then reads the galaxy again and logs in to prove it is usable.
  - B(Idempotent.) Nothing is done when no upgrade is required.
  - After the migration, the platforms of nodes not yet upgraded are in Software Upgrade
    Pending (see M(scada.redundancy.galaxy_info)). The vendor's procedure then cascade deploys
    the GR platform (M(scada.redundancy.galaxy_deploy)). InTouch ViewApps are migrated
    separately (not by this module).
  - A migration cannot be undone; take a galaxy backup before it.
options: {}
extends_documentation_fragment:
  - scada.redundancy.galaxy
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Reads C(UpgradeRequired) and reports whether a migration would run.
  diff_mode:
    support: none
  platform:
    platforms: windows
author:
  - scada.redundancy contributors (@scada-redundancy)
"""

EXAMPLES = r"""
- name: Migrate the galaxy to the GR node's new version
  scada.redundancy.galaxy_migrate:
    galaxy: Plant
    galaxy_user: admin
    galaxy_password: "{{ vault_galaxy_password }}"
"""

RETURN = r"""
before:
  description: The galaxy before the run.
  returned: success
  type: dict
  contains:
    name:
      description: The galaxy's name.
      type: str
      sample: Plant
    version:
      description: C(IGalaxy.VersionString).
      type: str
      sample: "23.0"
    version_number:
      description: C(IGalaxy.VersionNumber).
      type: int
      sample: 23000000
    upgrade_required:
      description: C(IGalaxy.UpgradeRequired).
      type: bool
      sample: true
after:
  description: The galaxy after the run (as RV(before); the same when nothing was migrated or in check mode).
  returned: success
  type: dict
  sample: {name: Plant, version: 23.1.100, version_number: 23001100, upgrade_required: false}
helper_compiled:
  description: Whether this task compiled the GRAccess helper on the node.
  returned: success
  type: bool
  sample: false
"""
