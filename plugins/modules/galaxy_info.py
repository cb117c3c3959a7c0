#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This file only documents the module; the work is done by the action plugin of the same name,
# which runs the GRAccess helper on the Galaxy Repository node through the task's connection.

DOCUMENTATION = r"""
---
module: galaxy_info
short_description: Read an AVEVA System Platform galaxy's version, platforms and engines
version_added: 0.2.0
description:
  - Reads, through GRAccess on the Galaxy Repository (GR) node, the galaxy's version
    (C(IGalaxy.VersionString), C(VersionNumber)), whether it must be migrated
    (C(UpgradeRequired)), and its platforms (instances based on C($WinPlatform)) and engines
    (based on C($AppEngine)) with their host and GRAccess deployment status
    (C(notDeployed), C(deployed), C(deployedWithPendingChanges)).
  - Run it against the GR host. Nothing is changed in the galaxy; the GRAccess helper is
    compiled on the node the first time (see the notes).
  - B(Software Upgrade Pending (SUP).) GRAccess exposes no member for SUP nor for the software
    version installed on a node. A platform is in SUP when the System Platform software on its
    node is older than the galaxy; this module compares the versions given in
    O(node_versions) (for each platform, the C(DisplayVersion) of the node's System Platform
    uninstall entry, as M(scada.redundancy.host_info) reports it in
    C(products.system_platform.version)) with the galaxy's C(VersionString). Whether the two
    strings use the same numbering on a real galaxy is not documented by the vendor; compare
    them on a test galaxy before relying on it. Without a version for a platform,
    RV(galaxy_info.platforms[].software_upgrade_pending) is null.
  - B(Redundancy status.) An engine's run-time redundancy status is not part of GRAccess
    (a configuration interface); M(scada.redundancy.engine_redundancy) reads it.
  - While the galaxy must be migrated GRAccess refuses the login, so only the version facts
    are read (RV(galaxy_info.objects_read) is false) and the task warns.
options:
  node_versions:
    description:
      - Installed System Platform version of each platform's node, keyed by platform tagname,
        for example P1 with 23.0 and P2 with 23.1.100, built from M(scada.redundancy.host_info) results
        of the nodes. Which node carries which platform is site configuration.
    type: dict
    default: {}
extends_documentation_fragment:
  - scada.redundancy.galaxy
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Reads only; the same in check mode (the helper may still be compiled).
  diff_mode:
    support: none
  platform:
    platforms: windows
author:
  - scada.redundancy contributors (@scada-redundancy)
"""

EXAMPLES = r"""
- name: Read the galaxy, with the nodes' installed versions for SUP
  scada.redundancy.galaxy_info:
    galaxy: Plant
    galaxy_user: admin
    galaxy_password: "{{ vault_galaxy_password }}"
    node_versions:
      P1: "{{ hostvars['sp-a'].host.products.system_platform.version }}"
      P2: "{{ hostvars['sp-b'].host.products.system_platform.version }}"
  register: galaxy

- name: Migrate first when the GR was upgraded
  ansible.builtin.debug:
    msg: "migrate {{ galaxy.galaxy_info.name }}"
  when: galaxy.galaxy_info.upgrade_required
"""

RETURN = r"""
galaxy_info:
  description: The galaxy's facts.
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
      sample: 23.1.100
    version_number:
      description: C(IGalaxy.VersionNumber) (its encoding is not documented).
      type: int
      sample: 23001100
    upgrade_required:
      description: C(IGalaxy.UpgradeRequired) - the GR software is newer than the galaxy; migrate it.
      type: bool
      sample: false
    objects_read:
      description: Whether platforms and engines were read (not while the galaxy must be migrated).
      type: bool
      sample: true
    platforms:
      description: The platform instances.
      type: list
      elements: dict
      contains:
        name:
          description: Tagname.
          type: str
          sample: P1
        deployment_status:
          description: GRAccess C(EDeploymentStatus).
          type: str
          sample: deployed
        deployed:
          description: Deployed (with or without pending changes).
          type: bool
          sample: true
        software_version:
          description: The node's installed version from O(node_versions); null when not given.
          type: str
          sample: "23.0"
        software_upgrade_pending:
          description: The node runs older software than the galaxy (SUP); null when unknown.
          type: bool
          sample: true
        engines:
          description: Tagnames of the engines this platform hosts.
          type: list
          elements: str
          sample: [E1]
    engines:
      description: The engine instances.
      type: list
      elements: dict
      contains:
        name:
          description: Tagname.
          type: str
          sample: E1
        platform:
          description: The hosting platform (C(IInstance.Host)).
          type: str
          sample: P1
        deployment_status:
          description: GRAccess C(EDeploymentStatus).
          type: str
          sample: deployed
        deployed:
          description: Deployed (with or without pending changes).
          type: bool
          sample: true
helper_compiled:
  description: Whether this task compiled the GRAccess helper on the node (first use of this helper version).
  returned: success
  type: bool
  sample: false
"""
