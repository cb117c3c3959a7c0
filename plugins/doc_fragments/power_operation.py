# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Options every Power Operation module shares, documented once."""

    DOCUMENTATION = r"""
options:
  project_source:
    description:
      - How projects and their includes are listed.
      - C(folders) takes every sub-folder of C([CtEdit]User) that holds a C(.DBF) table (except
        C(*.previous), the copies a restore keeps) and reads its C(include.DBF), as a dBASE
        table (field C(NAME), else its first character field) or, when the file is not a
        table, as one project name per line with C(;) comments. Fast, and needs no vendor tool.
      - C(graphics_builder) asks Graphics Builder automation (C(GraphicsBuilder.Application),
        C(ProjectFirst)/C(ProjectNext), C(ProjectSelect), C(ProjectFirstInclude)/C(ProjectNextInclude)),
        the product's own list; it starts Graphics Builder and re-selects the project that was
        selected before.
      - Which of the two the vendor intends for automation is not documented; C(folders) is
        the default because it is read-only and quick.
    type: str
    choices: [folders, graphics_builder]
    default: folders
"""
