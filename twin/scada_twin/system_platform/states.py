"""The vendor's state vocabulary, and how the twin compares software versions.

Strings are the ones AVEVA System Platform shows (IDE, SMC, ``RedundancyStatus``); GRAccess
reports an object's deployment as :data:`GR_DEPLOYMENT_STATUS` (``EDeploymentStatus``).

Versions are dotted numbers compared field by field (``23.1.100`` > ``23.1``). The twin's
convention, not a vendor table: ``23.0`` is System Platform 2023, ``23.1`` is 2023 R2 and
``23.1.100`` is 2023 R2 SP1 (the ``host_info`` default).
"""

from __future__ import annotations

import re

# -- deployment (IDE) ----------------------------------------------------------------------
NOT_DEPLOYED = "Not Deployed"
DEPLOYING = "Deploying"
DEPLOYED = "Deployed"
UNDEPLOYING = "Undeploying"
DEPLOYMENT_STATES = (NOT_DEPLOYED, DEPLOYING, DEPLOYED, UNDEPLOYING)
#: Shown in the IDE for a platform whose node runs older software than the galaxy.
SOFTWARE_UPGRADE_PENDING = "Software Upgrade Pending"

#: GRAccess ``EDeploymentStatus`` member names.
GR_NOT_DEPLOYED = "notDeployed"
GR_DEPLOYED = "deployed"
GR_PENDING_CHANGES = "deployedWithPendingChanges"
GR_DEPLOYMENT_STATUS = (GR_NOT_DEPLOYED, GR_DEPLOYED, GR_PENDING_CHANGES)

# -- run time (SMC / object viewer): engine and platform states ----------------------------
NOT_AVAILABLE = "Not Available"
SHUTDOWN = "Shutdown"
SHUTTING_DOWN = "Shutting Down"
STARTING_ON_SCAN = "Starting On Scan"
STARTING_OFF_SCAN = "Starting Off Scan"
RUNNING_ON_SCAN = "Running On Scan"
RUNNING_OFF_SCAN = "Running Off Scan"
RUNTIME_STATES = (NOT_AVAILABLE, NOT_DEPLOYED, DEPLOYING, UNDEPLOYING, SHUTDOWN,
                  "Shutdown - Failed", SHUTTING_DOWN, STARTING_ON_SCAN, STARTING_OFF_SCAN,
                  RUNNING_ON_SCAN, RUNNING_OFF_SCAN)

# -- redundancy status of an AppEngine of a redundant pair ---------------------------------
ACTIVE = "Active"
ACTIVE_STANDBY_NOT_AVAILABLE = "Active - Standby Not Available"
#: "Partner software must be upgraded"; the upgrade procedure calls it
#: "Active - Partner not Upgraded".
ACTIVE_UPGRADE = "Active - Upgrade"
ACTIVE_PARTNER_NOT_UPGRADED = "Active - Partner not Upgraded"
STANDBY_READY = "Standby - Ready"
STANDBY_SYNCING_CODE = "Standby - Syncing Code"
STANDBY_SYNCING_DATA = "Standby - Syncing Data"
STANDBY_NOT_READY = "Standby - Not Ready"
STANDBY_MISSED_HEARTBEATS = "Standby - Missed Heartbeats"
DETERMINING_FAILOVER_STATUS = "Determining Failover Status"
SWITCHING_TO_ACTIVE = "Switching to Active"
REDUNDANCY_STATUSES = (ACTIVE, ACTIVE_STANDBY_NOT_AVAILABLE, ACTIVE_UPGRADE, STANDBY_READY,
                       STANDBY_SYNCING_CODE, STANDBY_SYNCING_DATA, STANDBY_NOT_READY,
                       STANDBY_MISSED_HEARTBEATS, DETERMINING_FAILOVER_STATUS,
                       SWITCHING_TO_ACTIVE)


def is_active(status: str | None) -> bool:
    """Whether a redundancy status serves the pair's objects (every ``Active*`` status)."""
    return bool(status) and status.startswith(ACTIVE)  # type: ignore[union-attr]


def is_standby(status: str | None) -> bool:
    return bool(status) and status.startswith("Standby")  # type: ignore[union-attr]


# -- versions ------------------------------------------------------------------------------
_VERSION = re.compile(r"^\d+(\.\d+)*$")
#: From System Platform 2023 R2 a redundant node that historizes needs the SMS (secure HCAP).
SMS_REQUIRED_FROM = "23.1"
#: CPU load balancing of redundant engines exists from 2023 R2 SP1.
CPU_BALANCING_FROM = "23.1.100"


def parse_version(text: str) -> tuple[int, ...]:
    """``'23.1.100'`` -> ``(23, 1, 100)``; trailing zero fields do not count."""
    text = str(text).strip()
    if not _VERSION.match(text):
        raise ValueError(f"not a dotted version number: {text!r}")
    fields = [int(p) for p in text.split(".")]
    while len(fields) > 1 and fields[-1] == 0:
        fields.pop()
    return tuple(fields)


def older(a: str, b: str) -> bool:
    """Whether version ``a`` is older than ``b``."""
    return parse_version(a) < parse_version(b)
