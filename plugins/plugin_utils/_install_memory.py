# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scada.redundancy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading a host's Power Operation install and what its folders hold, in one batch where the
host showed the same install earlier in this ansible-playbook run (``_host_memory``).

A module's first batch reads the install (registry, citect.ini) and its second reads what the
install's folders hold; with the install a host showed a task ago, both go in one batch, and
the install read in that same batch proves the guess (:func:`read_install`): a guess that no
longer holds costs the second batch, never a wrong answer. What is kept is the [CtEdit] folder
keys, the registry's facts and the host facts (no other citect.ini line: it may hold site
settings).
"""

from __future__ import annotations

import typing as t

from ansible_collections.scada.redundancy.plugins.plugin_utils import _host_memory
from ansible_collections.scada.redundancy.plugins.plugin_utils._agent import VerbCall
from ansible_collections.scada.redundancy.plugins.plugin_utils._failures import OperationFailed
from ansible_collections.scada.redundancy.plugins.plugin_utils._po_install import (
    CTEDIT,
    DISCOVERY_CALLS,
    FOLDER_KEYS,
    Install,
    discovery_calls,
    install_from,
    installed,
)

#: The [CtEdit] keys an install's folders come from.
_KEYS = (*FOLDER_KEYS.values(), "Run")


def remember(action: t.Any, install: Install) -> None:
    _host_memory.remember(action, "install", {
        "version": install.version, "ini_path": install.ini_path, "bin_folder": install.bin_folder,
        "ansi": install.ansi, "ctedit": {key: install.ini.get(CTEDIT, key) for key in _KEYS},
        "host_facts": install.host_facts})


def recall(action: t.Any) -> Install | None:
    """The install remembered for the host, with a citect.ini of its [CtEdit] keys only."""
    record = _host_memory.recall(action, "install")
    if record is None:
        return None
    try:
        lines = [f"[{CTEDIT}]"] + [f"{key}={value}" for key, value in record["ctedit"].items()
                                   if value is not None]
        ini = ("\r\n".join(lines) + "\r\n").encode(record["ansi"])
        return Install(record["version"], record["ini_path"], record["bin_folder"], ini,
                       record["ansi"], record["host_facts"])
    except (KeyError, TypeError, AttributeError, LookupError, UnicodeError):
        return None


class InstallRead(t.NamedTuple):
    """What :func:`read_install` read: the install (None when none is registered), the values
    of the extra first calls, and those of the calls built from the install."""

    install: Install | None
    first: list[t.Any]
    more: list[t.Any]

    def required(self, step: str) -> Install:
        """The install, or a ``not_installed`` failure."""
        return installed(step, self.install)


#: Builds the calls that read what an install holds: ``(install, first values)``; with None for
#: the first values, the calls it can build before the first batch has answered.
More = t.Callable[[Install, t.Optional[t.List[t.Any]]], t.List[VerbCall]]


def read_install(action: t.Any, step: str, more: More, *, first: t.Sequence[VerbCall] = (),
                 tolerate: t.Collection[str] = ()) -> InstallRead:
    """The install (with the calls ``first``), then the calls ``more`` builds from it.

    With an install remembered for the host, what ``more`` builds from it goes in the first
    batch; the install read in that batch proves the guess when it builds the same calls, and
    only what needed the first answer follows in a second batch. Otherwise, ``more`` runs in
    a second batch.
    """
    head = discovery_calls() + list(first)
    guess = recall(action)
    try:
        guessed = more(guess, None) if guess is not None else []
    except OperationFailed:  # the remembered folders make no listing: read the install first
        guessed = []
    values = action.verbs(step, head + guessed, tolerate=tolerate)
    install = install_from(step, values)
    extra = values[DISCOVERY_CALLS:len(head)]
    if install is None:
        return InstallRead(None, extra, [])
    remember(action, install)
    wanted = more(install, extra)
    if guessed and more(install, None) == guessed:
        done, wanted = values[len(head):], wanted[len(guessed):]
    else:
        done = []
    return InstallRead(install, extra, done + (action.verbs(step, wanted, tolerate=tolerate) if wanted else []))
