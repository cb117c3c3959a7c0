# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
name: ctz_manifest
short_description: Read and verify the manifest of a project backup on the controller
version_added: 0.1.0
description:
  - Opens a C(.ctz) project backup made by M(scada.redundancy.project_backup) on the
    controller, proves it intact (safe member names, members equal to the manifest, the
    SHA-256 of every member) and returns its manifest with the archive's own SHA-256.
  - The Power Operation update role uses it to learn, before anything changes, which
    projects a change archive holds and the content fingerprints they must have afterwards.
options:
  _terms:
    description: Paths of archives on the controller.
    required: true
    type: list
    elements: path
author:
  - scada.redundancy contributors (@scada-redundancy)
"""

EXAMPLES = r"""
- name: Learn what the change archive will install
  ansible.builtin.set_fact:
    change: "{{ lookup('scada.redundancy.ctz_manifest', '/srv/changes/PlantProject-ews.ctz') }}"
"""

RETURN = r"""
_raw:
  description: One manifest per archive.
  type: list
  elements: dict
  contains:
    path:
      description: The archive's path on the controller.
      type: str
    sha256:
      description: SHA-256 of the archive file.
      type: str
    project:
      description: The project the archive was made from.
      type: str
    includes:
      description: Its included projects, in include order.
      type: list
      elements: str
    projects:
      description: Each project saved, with C(name), C(fingerprint), C(files) and C(bytes).
      type: list
      elements: dict
    fingerprints:
      description: The content fingerprint of each project, by name.
      type: dict
    source_host:
      description: The computer the archive was made on.
      type: str
    product_version:
      description: The Power Operation version that made it.
      type: str
    created_utc:
      description: When the archive was made.
      type: str
"""

import dataclasses

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

from ansible_collections.scada.redundancy.plugins.plugin_utils._archive import (
    ArchiveError,
    sha256_file,
    verify_archive,
)


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        return [self._manifest(path) for path in terms]

    @staticmethod
    def _manifest(path: str) -> dict:
        try:
            manifest = verify_archive(path)
        except ArchiveError as exc:
            raise AnsibleLookupError(f"ctz_manifest: {exc}") from None
        return {
            "path": path,
            "sha256": sha256_file(path),
            "project": manifest.project,
            "includes": list(manifest.includes),
            "projects": [dataclasses.asdict(p) for p in manifest.projects],
            "fingerprints": manifest.fingerprints(),
            "source_host": manifest.source_host,
            "product_version": manifest.product_version,
            "created_utc": manifest.created_utc,
        }
