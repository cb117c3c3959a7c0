"""Graphics Builder automation (ProgID ``GraphicsBuilder.Application``) as the Plant SCADA
Graphics Builder automation reference states its project members.

Each list is a First/Next pair that ends WITH AN ERROR, not an empty string: "If no project
exists, an error is returned" (ProjectFirst, ProjectNext; the include pair likewise), and the
error is E_FAIL, "every other error" (Error Handling page), after which the returned string is
undefined. ``ProjectSelect`` returns 0 or fails; ``ProjectSelected`` names the selection.
``ProjectCompile`` compiles the selected project ("Compiles the currently selected project";
whether it returns before the compile ends is not stated: the twin's returns after it, and a
compile the compiler refuses is E_FAIL).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from .errors import PowerOperationError

if TYPE_CHECKING:
    from .compiler import CompileResult, Compiler
    from .projects import ProjectStore

E_FAIL = 0x80004005


class ComError(Exception):
    """A COM exception with its HRESULT, as InvokeMember throws it."""

    def __init__(self, member: str, hresult: int = E_FAIL) -> None:
        super().__init__(f"{member} failed: HRESULT 0x{hresult:08X}")
        self.hresult = hresult


class GraphicsBuilder:
    """One automation session over a server's project store."""

    def __init__(self, store: "ProjectStore", compiler: "Compiler") -> None:
        self._store = store
        self._compiler = compiler
        self._selected = ""
        self._projects: list[str] = []
        self._includes: list[str] = []
        self._at = self._include_at = 0

    def ProjectSelected(self) -> str:  # noqa: N802 - the vendor's member names
        return self._selected

    def ProjectSelect(self, name: str) -> int:  # noqa: N802
        found = next((n for n in self._store.names() if n.lower() == name.lower()), None)
        if found is None:
            raise ComError("ProjectSelect")
        self._selected = found
        return 0

    def ProjectCompile(self) -> "CompileResult":  # noqa: N802
        """The compile of the selection (the twin returns its result for the timeline's
        sake; the real member returns nothing the collection reads)."""
        if not self._selected:
            raise ComError("ProjectCompile")
        try:
            return self._compiler.compile(self._selected)
        except PowerOperationError:
            raise ComError("ProjectCompile") from None

    def ProjectFirst(self) -> str:  # noqa: N802
        self._projects, self._at = sorted(self._store.names(), key=str.lower), 0
        return self._item(self._projects, 0, "ProjectFirst")

    def ProjectNext(self) -> str:  # noqa: N802
        self._at += 1
        return self._item(self._projects, self._at, "ProjectNext")

    def ProjectFirstInclude(self) -> str:  # noqa: N802
        self._includes = list(self._store.includes(self._selected)) if self._selected else []
        self._include_at = 0
        return self._item(self._includes, 0, "ProjectFirstInclude")

    def ProjectNextInclude(self) -> str:  # noqa: N802
        self._include_at += 1
        return self._item(self._includes, self._include_at, "ProjectNextInclude")

    @staticmethod
    def _item(names: list[str], index: int, member: str) -> str:
        if index >= len(names):
            raise ComError(member)  # the list's end is an error, never ""
        return names[index]


def listed(first: Callable[[], str], following: Callable[[], str]) -> list[str]:
    """Names from a First/Next pair, read the documented way: until the call fails."""
    names = []
    member = first
    while True:
        try:
            names.append(member())
        except ComError:
            return names
        member = following
