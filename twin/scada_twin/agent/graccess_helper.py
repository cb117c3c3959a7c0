"""The collection's GRAccess helper on a twin host: csc.exe building it, and GRHelper.exe run.

``process_run`` hands two programs here (:mod:`.site_tools`). csc.exe (the .NET Framework 4
compiler; Microsoft, "Command-line build with csc.exe") reads ``/r:`` references and ``/out:``: a missing reference is error CS0006 and exit
code 1; otherwise it writes the exe (timeline ``sp.grhelper.compile``: the source's
``sha256``, its ``folder``, the ``graccess_dll``) and exits 0. ArchestrA.GRAccess.dll is
the file a System Platform node has (:data:`..system_platform.node.GRACCESS_DLL`). GRHelper.exe answers its one JSON request on stdin from the galaxy model
with the JSON shapes of GRHelper.cs (``command``, ``failed``, ``changed``, ``msg``,
``galaxy``, ``calls``, ``results``, ``objects``, ``category``) and its exit codes (0 done, 1 a
GRAccess call failed, 2 invalid request), each GRAccess call (``Deploy`` of one instance, ...)
as one model request waited for, as GRAccess blocks until it is done (AVEVA, "GRAccess
Toolkit"; timeline ``sp.grhelper.run``: ``command``, ``exit_code``).

*Twin conventions*: the galaxy has no security (any login succeeds); the helper answers only
for the galaxy of the node it runs on (the GR node).
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
from typing import TYPE_CHECKING, Any

from ..system_platform import GalaxyError, states

if TYPE_CHECKING:
    from ..host import Host
    from ..system_platform import Galaxy, Operation

COMMANDS = ("galaxy_info", "query", "deploy", "undeploy", "upload", "migrate", "backup")
TEMPLATES = {"$WinPlatform": "platform", "$AppEngine": "engine", "$UserDefined": "object"}
CALL_WAIT = 600.0  # real seconds a GRAccess call may take in the twin
EXE_MAGIC = b"MZ twin GRHelper "


def is_compiler(host: "Host", file_name: str) -> bool:
    """A csc.exe file (every host has the .NET Framework's: :data:`..host.FRAMEWORK_CSC`)."""
    return file_name.lower().endswith("\\csc.exe") and host.fs.is_file(file_name)


def is_helper(host: "Host", file_name: str) -> bool:
    return host.fs.is_file(file_name) and host.fs.read(file_name).startswith(EXE_MAGIC)


def compile_helper(host: "Host", argv: list[str]) -> tuple[int, str]:
    """csc.exe with the helper's arguments: (exit code, its output)."""
    references = [a[3:] for a in argv if a.lower().startswith("/r:")]
    out = next((a[5:] for a in argv if a.lower().startswith("/out:")), "")
    sources = [a for a in argv if not a.startswith("/")]
    for reference in references:
        if reference.lower().endswith(".dll") and "\\" in reference and not _has_graccess(host, reference):
            return 1, f"error CS0006: Metadata file '{reference}' could not be found\r\n"
    if not out or not sources or not all(host.fs.is_file(s) for s in sources):
        return 1, "error CS2001: Source file could not be found\r\n"
    text = host.fs.read(sources[0])
    host.costs.sleep(2.0)  # csc.exe on a ~1,000-line file
    digest = hashlib.sha256(text).hexdigest()
    host.fs.write(out, EXE_MAGIC + digest.encode("ascii"))
    dll = next((r for r in references if "\\" in r), "")
    host.timeline.record(host.name, "sp.grhelper.compile", sha256=digest,
                         folder=sources[0].rpartition("\\")[0], graccess_dll=dll)
    return 0, ""


def run_helper_exe(host: "Host", stdin: str) -> tuple[int, str]:
    """GRHelper.exe with its request on stdin: (exit code, its JSON document and a newline)."""
    code, document = run_helper(host, stdin)
    host.timeline.record(host.name, "sp.grhelper.run", command=document.get("command"),
                         exit_code=code)
    return code, json.dumps(document) + "\r\n"


def _has_graccess(host: "Host", dll: str) -> bool:
    return bool(dll) and host.fs.is_file(dll)


# -- the helper ------------------------------------------------------------------------------
class _BadRequest(Exception):
    pass


def run_helper(host: "Host", text: str) -> tuple[int, dict[str, Any]]:
    """(exit code, document) as GRHelper.exe answers ``text`` on this host."""
    output: dict[str, Any] = {"failed": True, "changed": False}
    try:
        try:
            request = json.loads(text)
        except ValueError as exc:
            raise _BadRequest(f"the request is not valid JSON: {exc}") from None
        if not isinstance(request, dict):
            raise _BadRequest("the request must be one JSON object")
        ok = _Helper(host, request, output).run()
    except _BadRequest as exc:
        output.update(msg=str(exc), category="invalid_request")
        return 2, output
    output["failed"] = not ok
    if ok:
        output.setdefault("msg", f"{output['command']} done")
    return (0 if ok else 1), output


class _Helper:
    def __init__(self, host: "Host", request: dict[str, Any], output: dict[str, Any]) -> None:
        self.host = host
        self.request = request
        self.output = output
        self.calls: list[dict[str, Any]] = []
        self.results: list[dict[str, Any]] = []
        self.galaxy: "Galaxy | None" = None

    # -- request helpers (GRHelper.Request) --------------------------------------------------
    def text(self, key: str, fallback: str | None = None) -> str | None:
        value = self.request.get(key)
        if value is None:
            return fallback
        if not isinstance(value, str):
            raise _BadRequest(f"'{key}' must be text")
        return value

    def required(self, key: str) -> str:
        value = self.text(key)
        if not value:
            raise _BadRequest(f"'{key}' is required")
        return value

    def flag(self, key: str, fallback: bool) -> bool:
        value = self.request.get(key)
        if value is None:
            return fallback
        if not isinstance(value, bool):
            raise _BadRequest(f"'{key}' must be true or false")
        return value

    def names(self, key: str) -> list[str]:
        value = self.request.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise _BadRequest(f"'{key}' must list object names")
        return list(value)

    def objects_required(self) -> list[str]:
        names = self.names("objects")
        if not names:
            raise _BadRequest("'objects' must name at least one object")
        return names

    # -- run ---------------------------------------------------------------------------------
    def run(self) -> bool:
        command = self.required("command")
        if command not in COMMANDS:
            raise _BadRequest(f"unknown command '{command}'; expected one of {', '.join(COMMANDS)}")
        self.galaxy_name = self.required("galaxy")
        self.gr_node = self.text("gr_node", self.host.spec.computer_name) or ""
        self.output["command"] = command
        self.output["calls"] = self.calls
        return getattr(self, f"_{command}")()

    def _galaxy_info(self) -> bool:
        if not self.connect(False):
            return False
        assert self.galaxy is not None
        if self.galaxy.upgrade_required:
            self.output["login"] = "skipped: the galaxy must be migrated first"
            return True
        self.call("Login", self.galaxy_name, True)
        self.output["login"] = "ok"
        return True

    def _query(self) -> bool:
        names = self.names("names")
        conditions = self.request.get("conditions") or []
        if not isinstance(conditions, list) or not all(isinstance(c, dict) for c in conditions):
            raise _BadRequest("'conditions' must list objects")
        if not self.connect(True):
            return False
        assert self.galaxy is not None
        found: list[dict[str, Any]] = []
        seen: set[str] = set()
        if names:
            self.call("QueryObjectsByName", ",".join(names), True)
            self.collect(self.by_name(names), None, found, seen)
        if not conditions and not names:
            conditions = [{"type": "basedOn", "value": self.text("platform_template", "$WinPlatform"),
                           "kind": "platform"},
                          {"type": "basedOn", "value": self.text("engine_template", "$AppEngine"),
                           "kind": "engine"}]
        for condition in conditions:
            items = self.by_condition(condition)
            self.collect(items, condition.get("kind"), found, seen)
        self.output["objects"] = found
        return True

    def _deploy(self) -> bool:
        names = self.objects_required()
        cascade = self.flag("cascade", True)
        mode = self.text("mode", "each")
        if mode not in ("each", "collection"):
            raise _BadRequest("'mode' must be each or collection")
        if mode == "collection" and cascade:
            raise _BadRequest("a collection deploys without a cascade flag: set cascade to "
                              "false or mode to each")
        action = self.text("action", "skipDeploy")
        if action not in ("skipDeploy", "redeployOriginal", "deployChanges"):
            raise _BadRequest("'action' must be skipDeploy, redeployOriginal or deployChanges")
        options = {"action": action, "skip_if_undeployed": self.flag("skip_if_undeployed", False),
                   "on_scan": self.flag("deploy_on_scan", True),
                   "force_off_scan": self.flag("force_off_scan", True),
                   "mark_as_deployed_on_status_mismatch": self.flag(
                       "mark_as_deployed_on_status_mismatch", False)}
        continue_on_error = self.flag("continue_on_error", False)
        if not self.connect(True) or not self.resolve(names):
            return False
        before = self.statuses(names)
        if mode == "collection":
            op = self.model(lambda g: g.deploy(names, cascade=False, **options))
            ok = self.record_op(op, "Deploy", names)
            changed_any = ok
        else:
            ok, changed_any = self.each_instance(
                names, "Deploy", lambda g, n: g.deploy([n], cascade=cascade, **options),
                continue_on_error)
        return self.finish(names, before, ok, changed_any and (cascade or action != "skipDeploy"))

    def _undeploy(self) -> bool:
        names = self.objects_required()
        cascade = self.flag("cascade", True)
        options = {"force_off_scan": self.flag("force_off_scan", True),
                   "mark_as_undeployed_on_failure": self.flag("mark_as_undeployed_on_failure",
                                                              False)}
        continue_on_error = self.flag("continue_on_error", False)
        if not self.connect(True) or not self.resolve(names):
            return False
        before = self.statuses(names)
        ok, changed_any = self.each_instance(
            names, "Undeploy", lambda g, n: g.undeploy([n], cascade=cascade, **options),
            continue_on_error)
        return self.finish(names, before, ok, changed_any and cascade)

    def each_instance(self, names: list[str], verb: str, call: Any,
                      continue_on_error: bool) -> tuple[bool, bool]:
        """One GRAccess call per instance, as GRHelper.cs makes them: (all succeeded, any did).

        Stops at the first failure unless ``continue_on_error``.
        """
        ok, changed_any = True, False
        for name in names:
            op = self.model(lambda g, n=name: call(g, n))
            done = self.record_op(op, verb, [name])
            changed_any = changed_any or done
            ok = ok and done
            if not done and not continue_on_error:
                break
        return ok, changed_any

    def _upload(self) -> bool:
        names = self.objects_required()
        if not self.connect(True) or not self.resolve(names):
            return False
        ok = True
        for name in names:
            op = self.model(lambda g, n=name: g.upload([n]))
            done = self.record_op(op, "Upload", [name])
            self.output["changed"] = self.output["changed"] or done
            ok = ok and done
        self.output["results"] = self.results
        return ok

    def _migrate(self) -> bool:
        if not self.connect(self.flag("login_before_migrate", False)):
            return False
        assert self.galaxy is not None
        if not self.galaxy.upgrade_required:
            self.output["msg"] = f"galaxy '{self.galaxy_name}' does not need a migration"
            return True
        op = self.model(lambda g: g.migrate())
        if not self.record_op(op, "MigrateGalaxy", [self.galaxy_name], per_object=False):
            return self.failed(f"migrating galaxy '{self.galaxy_name}' failed")
        self.output["changed"] = True
        return self.connect(True)

    def _backup(self) -> bool:
        path = self.required("path")
        if not (len(path) > 2 and path[1] == ":" and path[2] == "\\") and not path.startswith("\\\\"):
            raise _BadRequest("'path' must be a full path")
        if self.host.fs.is_dir(path):  # GRAccess, "Backup method": a folder is emptied first
            raise _BadRequest(f"'{path}' is a folder: GRAccess would delete its contents; "
                              f"name a backup file")
        if not self.connect(False):
            return False
        op = self.model(lambda g: g.backup(path))
        if not self.record_op(op, "Backup", [self.galaxy_name], per_object=False):
            return self.failed(f"backing up galaxy '{self.galaxy_name}' failed")
        self.output["changed"] = True
        self.output["backup_path"] = path
        return True

    # -- GRAccess access ---------------------------------------------------------------------
    def connect(self, login: bool) -> bool:
        node = self.host.system_platform
        galaxy = node.galaxy if node is not None and node.role == "gr" else None
        if self.gr_node.lower() not in (self.host.spec.computer_name.lower(),
                                        self.host.name.lower(), "localhost", "."):
            galaxy = None  # the twin serves only the local Galaxy Repository
        if not self.call("QueryGalaxies", self.gr_node, galaxy is not None or node is not None,
                         "" if galaxy is not None else "no Galaxy Repository on this node"):
            return self.failed(f"no galaxies could be read from node '{self.gr_node}'")
        if galaxy is None or galaxy.name.lower() != self.galaxy_name.lower():
            return self.failed(f"galaxy '{self.galaxy_name}' does not exist on node "
                               f"'{self.gr_node}'")
        self.galaxy = galaxy
        info = galaxy.info()
        self.output["galaxy"] = {"name": self.galaxy_name, "version_string": info["version"],
                                 "version_number": version_number(info["version"]),
                                 "upgrade_required": info["upgrade_required"]}
        if login:
            self.call("Login", self.galaxy_name, True)
        return True

    def model(self, start: Any) -> "Operation | str":
        """Start a model request and wait for it; the refusal text when GRAccess refuses."""
        assert self.galaxy is not None
        try:
            op = start(self.galaxy)
        except GalaxyError as exc:
            return str(exc)
        if not op.wait(CALL_WAIT):
            return f"{op.kind} did not finish within {CALL_WAIT:g} seconds"
        return op

    def record_op(self, op: "Operation | str", step: str, names: list[str],
                  per_object: bool = True) -> bool:
        """One CommandResult per named instance (the op's result for it, failures joined)."""
        for name in names:
            if isinstance(op, str):
                ok, text = False, op
            else:
                failures = [f"{r.object}: {r.message}" for r in op.results if not r.successful]
                if op.error:
                    failures.insert(0, op.error)
                mine = op.result(name)
                ok = not failures
                text = "; ".join(failures) if failures else (mine.message if mine else "")
                custom = "; ".join(op.messages)
            self.call(step, name, ok, text, "" if isinstance(op, str) else custom)
            if per_object:
                self.results.append({"object": name, "successful": ok, "id": "" if ok else "1",
                                     "text": text,
                                     "custom_message": "" if isinstance(op, str) else custom})
        return all(r["successful"] for r in self.calls[-len(names):])

    def by_name(self, names: list[str]) -> list[Any]:
        assert self.galaxy is not None
        found = []
        for name in names:
            obj = self.galaxy.lookup(name)
            if obj is not None:
                found.append(obj)
        return found

    def by_condition(self, condition: dict[str, Any]) -> list[Any]:
        assert self.galaxy is not None
        kind, value = condition.get("type"), condition.get("value")
        if kind not in ("namedLike", "deploymentStatusIs", "basedOn", "belongsToArea") \
                or value is None:
            raise _BadRequest("a condition needs a 'type' (an EConditionType member) and a "
                              "'value'")
        if kind == "deploymentStatusIs" and value not in states.GR_DEPLOYMENT_STATUS:
            raise _BadRequest("deploymentStatusIs needs an EDeploymentStatus member")
        self.call("QueryObjects", f"{kind} {value}", True)
        everything = [*self.galaxy.platforms.values(), *self.galaxy.engines.values(),
                      *self.galaxy.objects.values()]
        if kind == "basedOn":
            wanted = TEMPLATES.get(str(value))
            return [o for o in everything if o.kind == wanted]
        if kind == "deploymentStatusIs":
            return [o for o in everything if o.snapshot()["deployment_status"] == value]
        if kind == "namedLike":  # GRAccess takes SQL LIKE patterns (% and _)
            pattern = str(value).replace("%", "*").replace("_", "?").lower()
            return [o for o in everything if fnmatch.fnmatchcase(o.name.lower(), pattern)]
        return []  # areas are not modelled

    def collect(self, items: list[Any], kind: Any, found: list[dict[str, Any]],
                seen: set[str]) -> None:
        for obj in items:
            if obj.name.lower() in seen:
                continue
            seen.add(obj.name.lower())
            found.append(describe(obj, kind))

    def resolve(self, names: list[str]) -> bool:
        self.call("QueryObjectsByName", ",".join(names), True)
        missing = [n for n in names if self.galaxy is None or self.galaxy.lookup(n) is None]
        for name in missing:
            self.results.append({"object": name, "successful": False, "id": "", "text": "",
                                 "custom_message": f"no instance named '{name}' in galaxy "
                                                   f"'{self.galaxy_name}'"})
        if missing:
            self.output["results"] = self.results
            return self.failed(f"some objects do not exist in galaxy '{self.galaxy_name}'")
        return True

    def statuses(self, names: list[str]) -> dict[str, str]:
        return {o.name: o.snapshot()["deployment_status"] for o in self.by_name(names)}

    def finish(self, names: list[str], before: dict[str, str], ok: bool, changed: bool) -> bool:
        self.output["results"] = self.results
        self.call("QueryObjectsByName", ",".join(names), True)
        objects = []
        for obj in self.by_name(names):
            item = describe(obj, None)
            item["previous_status"] = before.get(obj.name)
            changed = changed or item["previous_status"] != item["deployment_status"]
            objects.append(item)
        self.output["objects"] = objects
        self.output["changed"] = changed
        return ok or self.failed(None)

    # -- results -----------------------------------------------------------------------------
    def call(self, step: str, target: str, ok: bool, text: str = "", custom: str = "") -> bool:
        self.calls.append({"step": step, "object": target, "successful": ok,
                           "id": "" if ok else "1", "text": text, "custom_message": custom})
        if not ok and "msg" not in self.output:
            reason = text if not custom else (f"{text} ({custom})" if text else custom)
            self.output["msg"] = f"{step} {target} failed: {reason}"
        return ok

    def failed(self, message: str | None) -> bool:
        if "msg" not in self.output:
            self.output["msg"] = message or "a GRAccess call failed"
        self.output["category"] = "graccess"
        return False


def describe(obj: Any, kind: Any) -> dict[str, Any]:
    return {"tagname": obj.name, "kind": kind, "host": obj.host,
            "deployment_status": obj.snapshot()["deployment_status"]}


def version_number(version: str) -> int:
    """An integer for ``IGalaxy.VersionNumber`` (as tests/support/grstub.py encodes it)."""
    fields = (list(states.parse_version(version)) + [0, 0, 0])[:3]
    return fields[0] * 1_000_000 + fields[1] * 1_000 + fields[2]
