"""Envelopes: reading what real clients write, and faults they can read back."""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET

import pytest
import xmltodict
from pypsrp.wsman import NAMESPACES, OptionSet, SelectorSet, WSMan
from winrm.protocol import Protocol

from scada_twin.costs import CostModel
from scada_twin.faults import FaultPlan
from scada_twin.host import Host
from scada_twin.spec import parse
from scada_twin.timeline import Timeline
from scada_twin.wsman import errors, soap
from scada_twin.wsman.service import HostService
from scada_twin.wsman.winrs import SHELL_URI, RequestContext

CREATE = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Create"


def pywinrm_envelope(action: str, resource_uri: str = SHELL_URI, shell_id: str | None = None,
                     body: dict | None = None) -> bytes:
    protocol = Protocol("http://127.0.0.21:5985/wsman", username="u", password="p",
                        operation_timeout_sec=20, read_timeout_sec=30)
    envelope = protocol.build_wsman_header(action, resource_uri, shell_id, "1234")
    envelope["env:Body"] = body or {}
    return xmltodict.unparse({"env:Envelope": envelope}).encode()


def test_reads_pywinrm_envelopes() -> None:
    request = soap.parse_request(pywinrm_envelope(
        "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Receive", shell_id="ABC",
        body={"rsp:Receive": {"rsp:DesiredStream": {"@CommandId": "C1", "#text": "stdout"}}}))
    assert request.message_id == "uuid:1234"
    assert request.selectors == {"ShellId": "ABC"}
    assert request.operation_timeout == 20.0
    assert request.max_envelope_size == 153600
    assert request.body.find("rsp:Receive/rsp:DesiredStream", soap.NS).get("CommandId") == "C1"


def test_reads_pypsrp_envelopes_with_other_prefixes() -> None:
    wsman = WSMan("127.0.0.21", ssl=False, username="u", password="p", operation_timeout=7)
    options, selectors = OptionSet(), SelectorSet()
    options.add_option("WINRS_CODEPAGE", "65001")
    selectors.add_option("ShellId", "XYZ")
    message_id, header = wsman._create_header(CREATE, SHELL_URI, options, selectors)
    envelope = ET.Element("{%s}Envelope" % NAMESPACES["s"])
    envelope.append(header)
    ET.SubElement(envelope, "{%s}Body" % NAMESPACES["s"])
    request = soap.parse_request(ET.tostring(envelope))
    assert (request.action, request.resource_uri) == (CREATE, SHELL_URI)
    assert request.message_id == f"uuid:{message_id}"
    assert request.options == {"WINRS_CODEPAGE": "65001"}
    assert request.selectors == {"ShellId": "XYZ"}
    assert request.operation_timeout == 7.0


@pytest.mark.parametrize("text,seconds", [("PT20S", 20.0), ("PT20.000S", 20.0),
                                          ("PT1M30S", 90.0), ("P0DT1H0M0.5S", 3600.5),
                                          ("P", None), ("20", None)])
def test_parse_duration(text: str, seconds: float | None) -> None:
    assert soap.parse_duration(text) == seconds


def test_faults_read_back_by_pypsrp() -> None:
    text = soap.fault_envelope(errors.operation_timeout(), "uuid:1", "PO-A").decode()
    fault = WSMan._parse_wsman_fault(text)
    assert (fault.code, fault.machine) == (2150858793, "PO-A")
    assert "OperationTimeout" in fault.reason
    quota = ET.fromstring(soap.fault_envelope(errors.quota_exceeded(), "uuid:1", "PO-A"))
    code = quota.findtext("s:Body/s:Fault/s:Detail/wmi:MSFT_WmiError/wmi:error_Code", None,
                          soap.NS)
    assert int(code) == 0x803381A6
    assert quota.findtext("s:Header/a:RelatesTo", None, soap.NS) == "uuid:1"


@pytest.fixture
def service() -> HostService:
    spec = parse({"hosts": [{"name": "po-a", "address": "127.0.0.21",
                             "accounts": [{"user": "u", "password": "p"}]}]})
    return HostService(Host(spec.hosts[0], CostModel(time_scale=0.01), Timeline(), FaultPlan()))


CONTEXT = RequestContext("u", "127.0.0.1", "http://127.0.0.21:5985/wsman", threading.Event())


@pytest.mark.parametrize("data,status,subcode", [
    (b"<not-xml", 400, "w:InvalidBody"),
    (pywinrm_envelope(CREATE, resource_uri="http://schemas.microsoft.com/powershell/x"), 500,
     "w:DestinationUnreachable"),
    (pywinrm_envelope("http://schemas.xmlsoap.org/ws/2004/09/transfer/Get"), 500,
     "a:ActionNotSupported"),
])
def test_bad_requests_become_faults(service: HostService, data: bytes, status: int,
                                    subcode: str) -> None:
    code, answer = service.handle(data, CONTEXT)
    assert code == status
    assert ET.fromstring(answer).findtext("s:Body/s:Fault/s:Code/s:Subcode/s:Value", None,
                                          soap.NS) == subcode


def test_create_answers_resource_created_and_shell(service: HostService) -> None:
    data = pywinrm_envelope(CREATE, body={"rsp:Shell": {"rsp:InputStreams": "stdin",
                                                        "rsp:OutputStreams": "stdout stderr"}})
    code, answer = service.handle(data, CONTEXT)
    root = ET.fromstring(answer)
    selector = root.find("s:Body/x:ResourceCreated/a:ReferenceParameters/w:SelectorSet/"
                         "w:Selector", soap.NS)
    assert code == 200 and selector.get("Name") == "ShellId"
    assert root.findtext("s:Body/rsp:Shell/rsp:ShellId", None, soap.NS) == selector.text
    assert root.findtext("s:Header/a:RelatesTo", None, soap.NS) == "uuid:1234"
    assert [e.kind for e in service.host.timeline.events()] == ["winrs.shell_created"]
