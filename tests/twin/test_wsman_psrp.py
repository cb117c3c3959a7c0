"""The twin's Microsoft.PowerShell endpoint through pypsrp's runspace pools (the client
ansible-core's psrp connection drives): a pool opens, pipelines take input, give output,
errors and exit codes as a remote runspace does, stop on a signal, and count as Windows
counts shells."""

from __future__ import annotations

import pytest
from pypsrp.exceptions import WSManFaultError
from pypsrp.powershell import PowerShell, PSInvocationState, RunspacePool
from pypsrp.host import PSHost
from pypsrp.wsman import WSMan

from test_wsman_pypsrp import client_kwargs
from wsman_support import TwinPlant, cert_dir, make_plant, plant  # noqa: F401

pytestmark = pytest.mark.timeout(60)


def _pool(plant: TwinPlant, **kwargs: object) -> tuple[RunspacePool, PSHost]:
    wsman = WSMan(**client_kwargs(plant, "po-a", False, auth="ntlm", **kwargs))
    host = PSHost(None, None, False, "test host", None, None, None)
    return RunspacePool(wsman, host=host), host


def test_a_pool_opens_and_a_script_gives_its_lines_as_output(plant: TwinPlant) -> None:
    pool, host = _pool(plant)
    with pool:
        ps = PowerShell(pool)
        ps.add_script("echo one two")
        assert ps.invoke() == ["one two"]
        assert (ps.state, ps.had_errors, host.rc) == (PSInvocationState.COMPLETED, False, 0)


def test_input_objects_reach_the_script_and_exit_codes_the_host(plant: TwinPlant) -> None:
    pool, host = _pool(plant)
    with pool:
        ps = PowerShell(pool)
        ps.add_script("cat")
        assert ps.invoke(input=["first", "second"]) == ["first", "second"]
        failing = PowerShell(pool)
        failing.add_script("fail 3")
        assert failing.invoke() == []
        assert host.rc == 3  # exit 3 -> SetShouldExit(3); the pipeline itself completed
        assert failing.state == PSInvocationState.COMPLETED
        assert [str(e) for e in failing.streams.error] == ["it failed"]


def test_a_running_pipeline_stops_on_ctrl_c(plant: TwinPlant) -> None:
    pool, _ = _pool(plant)
    with pool:
        ps = PowerShell(pool)
        ps.add_script("sleep 30")
        ps.begin_invoke()
        ps.stop()
        again = PowerShell(pool)
        again.add_script("echo after")
        assert again.invoke() == ["after"]  # the pool goes on


def test_a_pool_counts_as_a_shell_of_its_user(plant: TwinPlant) -> None:
    plant.hosts["po-a"].spec.windows["winrm"]["Shell\\MaxShellsPerUser"] = 1
    pool, _ = _pool(plant)
    with pool:
        second, _ = _pool(plant)
        with pytest.raises(WSManFaultError) as refused:
            second.open()
        assert "maximum number of 1 concurrent shells" in refused.value.reason


def test_psrp_data_the_endpoint_cannot_read_is_a_fault(plant: TwinPlant) -> None:
    import xml.etree.ElementTree as ET

    from pypsrp.shell import WinRS

    wsman = WSMan(**client_kwargs(plant, "po-a", False, auth="ntlm"))
    creation = ET.Element("creationXml", xmlns="http://schemas.microsoft.com/powershell")
    creation.text = "bm90IGEgZnJhZ21lbnQ="  # "not a fragment"
    shell = WinRS(wsman, "http://schemas.microsoft.com/powershell/Microsoft.PowerShell",
                  input_streams="stdin pr", output_streams="stdout")
    with pytest.raises(WSManFaultError) as refused:
        shell.open(None, creation)
    assert "PSRP" in refused.value.reason or "PSRP" in str(refused.value)
