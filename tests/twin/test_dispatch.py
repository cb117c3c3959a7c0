"""The twin's command-line dispatcher: what it decodes, what it runs, what it refuses.

Every command line is built by ansible-core's own code (see winrs_harness), in the forms WinRS
delivers: program + arguments (2.19 exec, every version's put/fetch) and one whole line with
no arguments (2.20/2.21 exec_command).
"""

from __future__ import annotations

import base64
import json

import pytest
from ansible._internal._powershell import _script
from ansible.executor.powershell.module_manifest import _bootstrap_powershell_script

from ansible_collections.scada.redundancy.plugins.plugin_utils import _agent
from ansible_collections.scada.redundancy.plugins.plugin_utils import _verbs as verbs
from scada_twin.costs import CostModel
from scada_twin.shell import cmdline

from winrs_harness import (REPO, USER, bootstrap_wrapper_2_19, encode_script_2_19, make_host,
                           payload_stdin, powershell_shell, run, winrm_connection)

SERVED = "the twin only runs ansible-core's file transfer and the scada.redundancy agent"


def _encoded(script: str) -> str:
    return base64.b64encode(script.encode("utf-16-le")).decode()


def _expand_user_command() -> tuple[list[str], bytes]:
    """ansible-core 2.21's expand_user: bootstrap wrapper + manifest, as a program + args."""
    script, stdin = _bootstrap_powershell_script("powershell_expand_user.ps1", {"Path": "~"})
    return _script.get_pwsh_encoded_cmdline(script, override_execution_policy=True), stdin


# -- refusals ----------------------------------------------------------------------------------
def test_unsupported_command_names_itself():
    result = run(make_host(), "ipconfig", [])
    assert (result.rc, result.stdout) == (1, b"")
    assert result.stderr == (f"scada twin: unsupported command 'ipconfig': {SERVED}\r\n").encode()


@pytest.mark.parametrize(("command", "arguments", "expected"), [
    ("cmd /c dir", [], "unsupported command 'cmd /c dir': " + SERVED),
    ("cmd.exe", ["/c", "dir"], "unsupported command 'cmd.exe /c dir': " + SERVED),
    ("powershell", ["-Command", "Get-Date"], "unsupported command 'powershell -Command Get-Date'"),
    ("powershell -c Get-Date", [], "PowerShell -c (only -EncodedCommand is run)"),
    ("powershell -File C:\\x.ps1", [], "PowerShell -File (only -EncodedCommand is run)"),
    ("PowerShell Get-Date", [], "PowerShell script text 'Get-Date' on the command line"),
    ("PowerShell -NoProfile -NonInteractive", [], "PowerShell without -EncodedCommand"),
    ("PowerShell -EncodedCommand", [], "PowerShell switch -EncodedCommand has no value"),
    ("PowerShell -EncodedCommand not-base64!", [], "-EncodedCommand is not base64 of UTF-16-LE"),
    ("PowerShell -Bogus x", [], "unknown PowerShell switch '-Bogus'"),
    ("", [], "the command line is empty"),
])
def test_commands_other_than_encoded_powershell_are_refused(command, arguments, expected):
    result = run(make_host(), command, arguments)
    assert (result.rc, result.stdout) == (1, b"")
    text = result.stderr.decode()
    assert text.startswith("scada twin: ") and text.endswith("\r\n") and text.count("\n") == 1
    assert expected in text


def test_encoded_script_the_twin_does_not_model_is_refused_by_its_first_line():
    command = _script.get_pwsh_encoded_cmdline("\n  Get-Date\nGet-Process",
                                              override_execution_policy=True)
    result = run(make_host(), command[0], command[1:])
    assert result.rc == 1
    assert result.stderr.decode() == (f"scada twin: unsupported PowerShell script starting "
                                      f"'Get-Date': {SERVED}\r\n")


def test_a_long_refused_command_line_is_shortened():
    line = "PowerShell -EncodedCommand " + "A" * 500 + "!"
    message = run(make_host(), line, []).stderr.decode()
    assert "..." in message and len(message) < 300


def test_manifest_action_other_than_file_transfer_is_refused_by_name():
    # What a module run would send: the wrapper with a module_wrapper.ps1 action.
    script, stdin = _bootstrap_powershell_script(
        "module_wrapper.ps1", {"Script": "ansible.windows.win_ping.ps1"})
    command = _script.get_pwsh_encoded_cmdline(script, override_execution_policy=True)
    result = run(make_host(), command[0], command[1:], payload_stdin(stdin))
    assert (result.rc, result.stdout) == (1, b"")
    text = result.stderr.decode()
    assert "unsupported ansible-core action 'module_wrapper.ps1'" in text
    assert "ansible.windows.win_ping.ps1" in text and "winrm_put_file.ps1" in text


def test_bootstrap_wrapper_reading_an_input_file_is_refused():
    script, _ = _bootstrap_powershell_script("powershell_expand_user.ps1", {"Path": "~"})
    command = _script.get_pwsh_encoded_cmdline(script, args=["C:\\Windows\\Temp\\in.txt"],
                                              override_execution_policy=True)
    result = run(make_host(), command[0], command[1:], [(b"", True)])
    assert result.rc == 1 and b"-InputFile" in result.stderr


def test_bootstrap_wrapper_with_garbage_on_stdin_fails_clearly():
    command, _ = _expand_user_command()
    result = run(make_host(), command[0], command[1:], [(b"hello\n", True)])
    assert result.rc == 1
    assert b"bootstrap input on stdin is not JSON" in result.stderr


# -- delivery forms and PowerShell's switch syntax --------------------------------------------
def _expand_user_variants() -> list[tuple[str, list[str]]]:
    command, _ = _expand_user_command()
    b64 = command[-1]
    full_path = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"
    joined = powershell_shell().join(command)  # 2.21's exec_command line, maybe quoting b64
    return [
        (command[0], command[1:]),                                   # put/fetch style
        (joined, []),                                                # 2.21 exec_command
        (" ".join(command).split(" ")[0], " ".join(command).split(" ")[1:]),  # 2.19 exec
        ("powershell.exe", ["-EncodedCommand", b64]),
        ("POWERSHELL.EXE -noprofile -enc " + b64, []),
        (full_path, ["-e", b64]),
        (f"& '{full_path}' -ec '{b64}'", []),
        ("powershell", ["-EncodedCommand", b64, "-NonInteractive", "-ExecutionPolicy", "Bypass"]),
        (f"powershell /NoProfile /EncodedCommand {b64} -ep Unrestricted -InputFormat Text", []),
        ('powershell -EncodedCommand "' + b64 + '"', []),
    ]


@pytest.mark.parametrize(("command", "arguments"), _expand_user_variants())
def test_every_delivery_form_and_spelling_runs_the_same_script(command, arguments):
    _, stdin = _expand_user_command()
    result = run(make_host(), command, arguments, payload_stdin(stdin))
    assert (result.rc, result.stderr) == (0, b"")
    assert result.stdout == f"C:\\Users\\{USER}\r\n".encode()


def test_whole_line_form_with_quoted_base64_decodes():
    script = "Write-Output hi!"  # its base64 ends in '=': ansible's join quotes it
    line = powershell_shell().join(_script.get_pwsh_encoded_cmdline(script))
    assert line.endswith("'")
    assert cmdline.decode(line).script == script


def test_encoded_arguments_are_decoded_from_ansible_clixml():
    values = ["plain", "with space", "it's", "_x0041_ literal", "snow\u2603", "face\U0001F600",
              "tab\tnew\nline", ""]
    command = _script.get_pwsh_encoded_cmdline("$args", args=values)
    decoded = cmdline.decode(command[0], command[1:])
    assert decoded.script == "$args"
    assert list(decoded.arguments) == values


def test_split_line_follows_powershell_single_quotes_and_windows_double_quotes():
    assert cmdline.split_line("a 'b c' 'it''s' \"d \"\"e\"\"\" f\\\"g  ") == \
        ["a", "b c", "it's", 'd "e"', 'f"g']


# -- the collection's agent -----------------------------------------------------------------
def _answer(stdout: bytes) -> dict:
    """The agent's answer: its last line; a first line says the request arrived whole."""
    lines = stdout.decode().splitlines()
    assert lines[0] == '{"agent":"request read"}' or len(lines) == 1, lines
    return json.loads(lines[-1])


def _agent_request(path: str, **overrides) -> bytes:
    request = json.loads(_agent.build_request("probe", [verbs.path_test(path)]))
    request.update(overrides)
    return json.dumps(request, separators=(",", ":")).encode() + b"\n"


def test_the_agent_through_ansible_exec_command_reaches_run_agent():
    host = make_host()
    path = "C:\\it's \"quoted\"; Remove-Item C:\\ -Recurse"
    rc, stdout, stderr = winrm_connection(host).exec_command(
        _agent.agent_command_line(), in_data=_agent_request(path), sudoable=False)
    assert (rc, stderr) == (0, b"")
    assert _answer(stdout)["results"] == [{"ok": True, "value": {"exists": False, "kind": None,
                                                                     "size": None}}]
    [event] = host.timeline.events(kind="operation")
    assert (event.data["operation"], event.data["verbs"]) == ("probe", ["path_test"])


def test_the_agent_as_program_and_arguments_reaches_run_agent():
    host = make_host()
    words = _agent.agent_command_line().split(" ")  # how 2.19's exec_command sends it
    result = run(host, words[0], words[1:], payload_stdin(_agent_request("C:\\Windows")))
    assert result.rc == 0
    assert _answer(result.stdout)["results"][0]["value"]["kind"] == "directory"


def test_a_verb_the_collection_does_not_ship_is_refused():
    host = make_host()
    request = _agent_request("C:\\x", verbs=[{"name": "nope", "script": "# scada.redundancy:verb nope\n"}])
    result = run(host, _agent.agent_command_line(), [], payload_stdin(request))
    assert result.rc == 1
    assert _answer(result.stdout)["category"] == "unsupported"


def test_a_request_without_a_key_the_core_reads_fails_as_strict_mode_does():
    """The launcher and core run under Set-StrictMode -Version 2.0: reading a property the
    request object lacks throws (about_Set-StrictMode), as the shipped project_compile once did
    with $Params.attach; the twin refuses such a request the same way."""
    request = json.loads(_agent_request("C:\\x"))
    del request["record"]
    result = run(make_host(), _agent.agent_command_line(), [],
                 payload_stdin(json.dumps(request).encode() + b"\n"))
    answer = _answer(result.stdout)
    assert result.rc == 1 and answer["category"] == "protocol" and "record" in answer["msg"]


# -- ansible-core 2.19's wrapper text ---------------------------------------------------------
@pytest.mark.parametrize("strict_mode", [False, True])
def test_2_19_bootstrap_wrapper_text_is_recognised(strict_mode):
    _, stdin = _expand_user_command()
    command = encode_script_2_19(bootstrap_wrapper_2_19(), strict_mode)
    result = run(make_host(), command[0], command[1:], payload_stdin(stdin))
    assert (result.rc, result.stdout) == (0, f"C:\\Users\\{USER}\r\n".encode())


# -- what starting PowerShell costs ------------------------------------------------------------
class _CountingCosts(CostModel):
    def __init__(self) -> None:
        super().__init__(time_scale=0.0)
        self.slept: list[float] = []

    def sleep(self, modelled_seconds, cancel=None):
        self.slept.append(modelled_seconds)
        return super().sleep(modelled_seconds, cancel)


def test_powershell_start_is_paid_once_per_started_process():
    costs = _CountingCosts()
    host = make_host(costs)
    command, stdin = _expand_user_command()
    run(host, command[0], command[1:], payload_stdin(stdin))
    assert costs.slept == [costs.powershell_start]
    run(host, _agent.agent_command_line(), [], payload_stdin(_agent_request("C:\\x")))
    assert costs.slept == [costs.powershell_start] * 2
    run(host, "ipconfig", [])
    assert costs.slept == [costs.powershell_start] * 2


# -- the agent in a remote runspace (PSRP): no console ----------------------------------------
def _in_runspace(host, script: str, request: bytes):
    process = host.start_script(script, [], USER)
    process.send_stdin(request, True)
    stdout, stderr = b"", b""
    while True:
        output = process.receive(30)
        stdout, stderr = stdout + output.stdout, stderr + output.stderr
        if output.done:
            return output.exit_code, stdout, stderr


def _bootstrap() -> str:
    return base64.b64decode(_agent.agent_command_line().split(" ")[-1]).decode("utf-16-le")


def test_the_agent_in_a_runspace_answers_without_starting_powershell():
    host = make_host()
    rc, stdout, stderr = _in_runspace(host, _bootstrap(), _agent_request("C:\\Windows"))
    assert (rc, stderr) == (0, b"")
    assert _answer(stdout)["results"][0]["value"]["kind"] == "directory"
    assert host.stats.snapshot().get("powershell_processes", 0) == 0


def test_a_bootstrap_that_sets_console_encodings_unguarded_fails_without_a_console():
    """ansible-core's exec_wrapper guards the line for the same reason: under PSRP there is no
    console host, and setting [Console]::OutputEncoding throws (the shipped bootstrap once did)."""
    unguarded = _bootstrap().replace("$console = $Host.Name -eq 'ConsoleHost'", "$console = $true")
    rc, stdout, stderr = _in_runspace(make_host(), unguarded, _agent_request("C:\\Windows"))
    assert (rc, stdout) == (1, b"")
    assert stderr == b'Exception setting "OutputEncoding": "The handle is invalid."\r\n'
    # the same script under a console host (WinRS) is fine
    result = run(make_host(), "PowerShell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted "
                 "-EncodedCommand " + _encoded(unguarded), [], payload_stdin(_agent_request("C:\\Windows")))
    assert result.rc == 0
