#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This file only documents the module; the work is done by the action plugin of the same name,
# which runs the GRAccess helper on the Galaxy Repository node through the task's connection.

DOCUMENTATION = r"""
---
module: galaxy_deploy
short_description: Deploy System Platform objects or a platform (cascade) through GRAccess
version_added: 0.2.0
description:
  - Deploys galaxy instances with GRAccess C(IInstance.Deploy), one call per selected instance
    in the order given, and checks each call's C(CommandResult).
  - B(Idempotent.) The module first queries the selected instances and, with O(cascade), every
    instance they host (engines of a platform, objects of an engine). When all of them are
    C(deployed) (no C(notDeployed), no C(deployedWithPendingChanges)) nothing is deployed and
    the task reports no change. Otherwise the selection is deployed with O(action) for the
    instances already deployed (default C(deployChanges), so only pending changes are deployed and
    nothing is redeployed needlessly).
  - B(Redundant engines, as the vendor documents them and the galaxy enforces them.)
    Deploying a redundant engine whose partner's platform is in Software Upgrade Pending is
    always a cascade deploy. A backup engine whose primary's platform is in SUP extracts the
    primary's objects and deploys them with itself at the newer version (the primary then
    shows undeployed). A redundant engine whose partner is deployed but not reachable, or not
    ready to sync, fails to deploy; the task then fails with the galaxy's message for the
    engine in RV(results). A partner with older software is stopped and unregistered, and the
    deployed engine becomes C(Active - Partner not Upgraded).
  - Deploy one platform at a time (O(platform)) for the upgrade procedure; a multi-selection
    cascade (several O(objects)) makes the galaxy skip an engine whose partner is in SUP (it
    logs a message), which shows in RV(remaining) and a warning.
  - Run it against the Galaxy Repository host; the galaxy must not need a migration
    (M(scada.redundancy.galaxy_migrate) first).
options:
  objects:
    description:
      - Tagnames of the instances to deploy, in this order. Mutually exclusive with O(platform).
    type: list
    elements: str
  platform:
    description:
      - Tagname of one platform to deploy (with O(cascade), everything on it).
    type: str
  cascade:
    description:
      - Deploy what each selected instance hosts too (GRAccess C(ECascade.doCascade)).
    type: bool
    default: true
  action:
    description:
      - GRAccess C(EActionForCurrentlyDeployedObjects) for instances already deployed.
    type: str
    choices: [skipDeploy, redeployOriginal, deployChanges]
    default: deployChanges
  deploy_on_scan:
    description: GRAccess C(EDeployOnScan) - objects start on scan.
    type: bool
    default: true
  force_off_scan:
    description: GRAccess C(EForceOffScan) - take deployed objects off scan to redeploy them.
    type: bool
    default: true
  skip_if_undeployed:
    description: GRAccess C(ESkipIfCurrentlyUndeployed).
    type: bool
    default: false
  mark_as_deployed_on_status_mismatch:
    description: GRAccess C(markAsDeployedOnStatusMismatch).
    type: bool
    default: false
  continue_on_error:
    description:
      - Go on with the next selected instance after one fails (the task fails all the same).
    type: bool
    default: false
  force:
    description:
      - Deploy even when everything is deployed (with O(action=redeployOriginal) this
        redeploys).
    type: bool
    default: false
extends_documentation_fragment:
  - scada.redundancy.galaxy
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Queries the galaxy and reports RV(pending) and whether a deploy would run; deploys nothing.
  diff_mode:
    support: none
  platform:
    platforms: windows
author:
  - scada.redundancy contributors (@scada-redundancy)
"""

EXAMPLES = r"""
- name: Cascade deploy the upgraded standby platform
  scada.redundancy.galaxy_deploy:
    galaxy: Plant
    platform: P2
    galaxy_user: admin
    galaxy_password: "{{ vault_galaxy_password }}"

- name: Deploy pending changes of two objects, without cascade
  scada.redundancy.galaxy_deploy:
    galaxy: Plant
    objects: [Pump_001, Pump_002]
    cascade: false
"""

RETURN = r"""
pending:
  description: The instances in scope that were (or in check mode would be) deployed because they were not deployed or had pending changes.
  returned: success
  type: list
  elements: str
  sample: [P2, E1b]
platform:
  description: The platform deployed, when O(platform) was given.
  returned: when O(platform) was given
  type: str
  sample: P2
objects:
  description: The selected instances after the deploy, with their status before.
  returned: success
  type: list
  elements: dict
  contains:
    name:
      description: Tagname.
      type: str
      sample: P2
    host:
      description: C(IInstance.Host) (empty for a platform).
      type: str
      sample: ""
    deployment_status:
      description: GRAccess C(EDeploymentStatus) now.
      type: str
      sample: deployed
    previous_status:
      description: The status before the deploy.
      type: str
      sample: notDeployed
results:
  description: One entry per GRAccess C(Deploy) call (its C(CommandResult)); also returned when the task fails.
  returned: always
  type: list
  elements: dict
  contains:
    object:
      description: Tagname.
      type: str
      sample: P2
    successful:
      description: C(CommandResult.Successful).
      type: bool
      sample: true
    id:
      description: C(CommandResult.ID).
      type: str
      sample: ""
    text:
      description: C(CommandResult.Text).
      type: str
      sample: ""
    custom_message:
      description: C(CommandResult.CustomMessage).
      type: str
      sample: ""
remaining:
  description: Instances of RV(pending) still not C(deployed) after the deploy (the galaxy skipped them).
  returned: when a deploy ran
  type: list
  elements: str
  sample: []
messages:
  description: The galaxy's messages for the deploy (for example a cascade it forced or an engine it skipped).
  returned: when a deploy ran
  type: list
  elements: str
  sample: []
helper_compiled:
  description: Whether this task compiled the GRAccess helper on the node.
  returned: success
  type: bool
  sample: false
"""
