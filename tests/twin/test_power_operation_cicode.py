"""The twin's Cicode, as the Plant SCADA Cicode reference states it (ServerInfoEx,
ServiceGetList), and the CtAPI verb that carries it.

These are the contracts the collection's standby detection rests on. The first test is the
one that would have caught the shipped defect: ``ServerInfoEx("Server", 0, ...)`` is no active
flag, so code that reads 1/0 from it finds no server active.
"""

from __future__ import annotations

import time

import pytest

from scada_twin.power_operation import wire
from scada_twin.power_operation.cicode import CicodeError, evaluate
from support.po_hosts import TIME_SCALE, WAIT, host_data, make_hosts, settle  # noqa: F401

PAIR = "PO-PAIR"


@pytest.fixture
def pair(make_hosts):
    primary, standby = make_hosts(host_data("po-a", 1, pair=PAIR, configured_role="primary"),
                                  host_data("po-b", 2, pair=PAIR, configured_role="standby"))
    wire([primary, standby])
    return primary.power_operation, standby.power_operation


def test_server_type_0_is_the_servers_name_not_an_active_flag(pair):
    active, standby = pair
    for po in pair:
        answer = evaluate(po, 'ServerInfoEx("Server", 0, "IOServer")')
        assert answer not in ("0", "1") and answer, answer
    # the old call's answer reads as neither active nor standby on both servers
    assert evaluate(active, 'ServerInfoEx("Server", 0, "Alarm")') != "1"


@pytest.mark.parametrize("name", ["Alarm", "Trend", "Report"])
def test_alarm_trend_report_type_0_is_the_active_flag(pair, name):
    active, standby = pair
    call = f'ServerInfoEx("{name}", 0, "{name}", "Cluster1")'
    assert (evaluate(active, call), evaluate(standby, call)) == ("1", "0")


def test_client_type_0_is_the_computer_name(pair):
    active, _ = pair
    assert evaluate(active, 'ServerInfoEx("Client", 0, "Alarm")') == active.computer_name


def test_a_component_no_local_process_holds_gives_no_answer(pair, make_hosts):
    active, standby = pair
    assert evaluate(active, 'ServerInfoEx("Alarm", 0, "Nope")') == ""  # hardware alarm
    assert evaluate(active, 'ServerInfoEx("Alarm", 0, "Alarm", "OtherCluster")') == ""
    active.runtime.shutdown_all()
    assert active.runtime.wait_idle(WAIT)
    assert evaluate(active, 'ServerInfoEx("Alarm", 0, "Alarm")') == ""


def test_the_standby_reports_active_while_the_primary_is_down(pair, make_hosts):
    active, standby = pair
    call = 'ServerInfoEx("Alarm", 0, "Alarm")'
    active.runtime.restart_all()
    deadline = time.monotonic() + WAIT
    while evaluate(standby, call) != "1":
        assert time.monotonic() < deadline, "the standby never took control"
        time.sleep(0.001)
    assert evaluate(active, call) == ""  # its alarm server is not running
    assert active.runtime.wait_idle(WAIT)
    # once the primary runs again it takes control back (the vendor's "returns control")
    assert (evaluate(active, call), evaluate(standby, call)) == ("1", "0")


def test_service_get_list_through_ctapi_lists_the_calling_client(pair):
    assert evaluate(pair[0], "ServiceGetList()") == "Client"


@pytest.mark.parametrize("command", ['ServerInfoEx("Alarm")', "Shutdown(", "NoSuchFunction()",
                                     'ServerInfoEx("Alarm", 1, "Alarm")'])
def test_what_cicode_cannot_run_fails_as_ctcicode_does(pair, command):
    with pytest.raises(CicodeError):
        evaluate(pair[0], command)
