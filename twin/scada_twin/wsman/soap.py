"""SOAP envelopes as WS-Management uses them: reading requests, writing responses and faults.

Requests are parsed namespace-aware with ``xml.etree``; prefixes never matter on input.
Responses use the prefixes Windows uses (``s:``, ``a:``, ``w:``, ``rsp:`` ...), which makes
captures comparable with a real server's, and echo the request's MessageID in RelatesTo
(pypsrp refuses a response whose RelatesTo does not match).
"""

from __future__ import annotations

import dataclasses
import re
import uuid
import xml.etree.ElementTree as ET

from .errors import WsmanFault, invalid_envelope

#: Every namespace the twin reads or writes, by the prefix Windows uses for it.
NS: dict[str, str] = {
    "s": "http://www.w3.org/2003/05/soap-envelope",
    "a": "http://schemas.xmlsoap.org/ws/2004/08/addressing",
    "x": "http://schemas.xmlsoap.org/ws/2004/09/transfer",
    "w": "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd",
    "p": "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd",
    "rsp": "http://schemas.microsoft.com/wbem/wsman/1/windows/shell",
    "f": "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault",
    "wmi": "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/MSFT_WmiError",
    "b": "http://schemas.dmtf.org/wbem/wsman/1/cimbinding.xsd",
    "cim": "http://schemas.dmtf.org/wbem/wscim/1/common",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "xml": "http://www.w3.org/XML/1998/namespace",
}
for _prefix, _uri in NS.items():
    if _prefix != "xml":
        ET.register_namespace(_prefix, _uri)

ANONYMOUS = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"
FAULT_ACTION = "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault"
DEFAULT_MAX_ENVELOPE = 153600

_DURATION = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<s>\d+(?:\.\d+)?)S)?)?$")


def q(name: str) -> str:
    """'rsp:Shell' -> '{http://...shell}Shell', for building elements."""
    prefix, local = name.split(":", 1)
    return f"{{{NS[prefix]}}}{local}"


@dataclasses.dataclass
class WsmanRequest:
    action: str
    resource_uri: str
    message_id: str
    selectors: dict[str, str]
    options: dict[str, str]
    operation_timeout: float | None
    max_envelope_size: int
    body: ET.Element

    def option_flag(self, name: str, default: bool = False) -> bool:
        value = self.options.get(name)
        return default if value is None else value.strip().lower() in ("true", "1")


def parse_request(data: bytes) -> WsmanRequest:
    """Read a request envelope; malformed ones raise the fault Windows answers them with."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise invalid_envelope(f"the request is not well-formed XML ({exc})") from None
    header = root.find("s:Header", NS)
    body = root.find("s:Body", NS)
    if root.tag != q("s:Envelope") or header is None or body is None:
        raise invalid_envelope("the request is not a SOAP 1.2 envelope with Header and Body")
    action = _text(header, "a:Action")
    message_id = _text(header, "a:MessageID")
    if not action or not message_id:
        raise invalid_envelope("the request has no a:Action or a:MessageID header")
    timeout = header.findtext("w:OperationTimeout", None, NS)
    max_env = header.findtext("w:MaxEnvelopeSize", None, NS)
    return WsmanRequest(
        action=action,
        resource_uri=_text(header, "w:ResourceURI"),
        message_id=message_id,
        selectors=_named_values(header, "w:SelectorSet/w:Selector"),
        options=_named_values(header, "w:OptionSet/w:Option"),
        operation_timeout=parse_duration(timeout) if timeout else None,
        max_envelope_size=int(max_env) if max_env and max_env.strip().isdigit()
        else DEFAULT_MAX_ENVELOPE,
        body=body,
    )


def parse_duration(text: str) -> float | None:
    """Seconds in an xs:duration such as 'PT20S', 'PT20.000S' or 'P0DT0H1M0S'."""
    match = _DURATION.match(text.strip())
    if match is None or not any(match.groupdict().values()):
        return None
    scale = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0}
    return sum(float(v) * scale[k] for k, v in match.groupdict().items() if v)


def response(request: WsmanRequest, action: str, *body: ET.Element) -> bytes:
    """A response envelope for ``request`` carrying ``body`` elements."""
    return _envelope(action, request.message_id, list(body))


def fault_envelope(fault: WsmanFault, relates_to: str | None, machine: str) -> bytes:
    """The SOAP fault Windows sends, with the WSManFault and/or MSFT_WmiError detail."""
    element = ET.Element(q("s:Fault"))
    code = ET.SubElement(element, q("s:Code"))
    ET.SubElement(code, q("s:Value")).text = fault.code
    ET.SubElement(ET.SubElement(code, q("s:Subcode")), q("s:Value")).text = fault.subcode
    reason = ET.SubElement(element, q("s:Reason"))
    ET.SubElement(reason, q("s:Text"), {q("xml:lang"): "en-US"}).text = fault.reason
    detail = ET.SubElement(element, q("s:Detail"))
    if fault.wsman_code is not None:
        wsman = ET.SubElement(detail, q("f:WSManFault"),
                              {"Code": str(fault.wsman_code), "Machine": machine})
        ET.SubElement(wsman, q("f:Message")).text = fault.message
    if fault.wmi_code is not None:
        detail.append(_wmi_error(fault))
    return _envelope(FAULT_ACTION, relates_to, [element])


def _wmi_error(fault: WsmanFault) -> ET.Element:
    error = ET.Element(q("wmi:MSFT_WmiError"),
                       {q("b:IsCIM_Error"): "true", q("xsi:type"): "wmi:MSFT_WmiError_Type"})
    for name, value in (("CIMStatusCode", "27"), ("ErrorType", "0"),
                        ("Message", fault.message),
                        ("MessageID", f"HRESULT 0x{fault.wmi_code:08x}"),
                        ("error_Category", "30"), ("error_Code", str(fault.wmi_code)),
                        ("error_Type", "HRESULT"), ("error_WindowsErrorMessage", fault.message)):
        ET.SubElement(error, q(f"wmi:{name}")).text = value
    return error


def _envelope(action: str, relates_to: str | None, body: list[ET.Element]) -> bytes:
    envelope = ET.Element(q("s:Envelope"), {q("xml:lang"): "en-US"})
    header = ET.SubElement(envelope, q("s:Header"))
    ET.SubElement(header, q("a:Action")).text = action
    ET.SubElement(header, q("a:MessageID")).text = f"uuid:{str(uuid.uuid4()).upper()}"
    ET.SubElement(header, q("a:To")).text = ANONYMOUS
    if relates_to:
        ET.SubElement(header, q("a:RelatesTo")).text = relates_to
    ET.SubElement(envelope, q("s:Body")).extend(body)
    return ET.tostring(envelope, encoding="utf-8", xml_declaration=False)


def _text(parent: ET.Element, path: str) -> str:
    return (parent.findtext(path, "", NS) or "").strip()


def _named_values(header: ET.Element, path: str) -> dict[str, str]:
    return {e.get("Name", ""): (e.text or "") for e in header.findall(path, NS)}
