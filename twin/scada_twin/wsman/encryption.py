"""WinRM message encryption: the ``multipart/encrypted`` framing of MS-WSMV 2.2.9.1.

A message sealed with the connection's NTLM/SPNEGO context travels as::

    --Encrypted Boundary\\r\\n
    \\tContent-Type: application/HTTP-SPNEGO-session-encrypted\\r\\n
    \\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=<plain length>\\r\\n
    --Encrypted Boundary\\r\\n
    \\tContent-Type: application/octet-stream\\r\\n
    <uint32 LE signature length><signature><sealed message>--Encrypted Boundary--\\r\\n

with ``Content-Type: multipart/encrypted;protocol="application/HTTP-SPNEGO-session-encrypted";
boundary="Encrypted Boundary"``. pywinrm and pypsrp both parse exactly this, so the response
side mirrors it byte for byte.
"""

from __future__ import annotations

import email.message
import struct
from typing import Protocol

SPNEGO_PROTOCOL = "application/HTTP-SPNEGO-session-encrypted"
BOUNDARY = "Encrypted Boundary"
_OCTET_STREAM_LINE = b"\tContent-Type: application/octet-stream\r\n"


class EncryptionError(ValueError):
    """The body is not a well-formed encrypted message, or it does not decrypt."""


class WinrmWrapper(Protocol):
    """What pyspnego's contexts offer for WinRM: ``wrap_winrm`` and ``unwrap_winrm``."""

    def wrap_winrm(self, data: bytes): ...  # noqa: E704 - returns spnego.WinRMWrapResult

    def unwrap_winrm(self, header: bytes, data: bytes) -> bytes: ...  # noqa: E704


def content_type_params(content_type: str) -> tuple[str, dict[str, str]]:
    """The media type and its parameters (quoted values unquoted), lower-cased names."""
    message = email.message.Message()
    message["Content-Type"] = content_type
    params = {k.lower(): v for k, v in message.get_params(failobj=[])[1:]}
    return message.get_content_type(), params


def is_encrypted(content_type: str) -> bool:
    media_type, params = content_type_params(content_type)
    return media_type == "multipart/encrypted" and "protocol" in params


def unwrap(context: WinrmWrapper, content_type: str, body: bytes) -> bytes:
    """The plain SOAP message of an encrypted request; EncryptionError if it is not one."""
    media_type, params = content_type_params(content_type)
    if media_type != "multipart/encrypted" or params.get("protocol") != SPNEGO_PROTOCOL:
        raise EncryptionError(f"unsupported encrypted content type {content_type!r}")
    delimiter = b"--" + params.get("boundary", BOUNDARY).encode("ascii")
    end = delimiter + b"--\r\n"
    if not body.endswith(end):
        raise EncryptionError("the encrypted body does not end with its closing boundary")
    # Split on the first two delimiters only: the sealed bytes may contain anything.
    parts = body[:-len(end)].split(delimiter + b"\r\n", 2)
    if len(parts) != 3 or parts[0]:
        raise EncryptionError("expected a header part and a payload part")
    parts = parts[1:]
    expected_length = _original_length(parts[0])
    if not parts[1].startswith(_OCTET_STREAM_LINE):
        raise EncryptionError("the second MIME part is not application/octet-stream")
    payload = parts[1][len(_OCTET_STREAM_LINE):]
    if len(payload) < 4:
        raise EncryptionError("the encrypted payload is truncated")
    header_length = struct.unpack("<I", payload[:4])[0]
    header, sealed = payload[4:4 + header_length], payload[4 + header_length:]
    try:
        plain = context.unwrap_winrm(header, sealed)
    except Exception as exc:  # pyspnego raises several types for a bad signature
        raise EncryptionError(f"the message does not decrypt: {exc}") from None
    if len(plain) != expected_length:
        raise EncryptionError("the decrypted length does not match OriginalContent Length")
    return plain


def wrap(context: WinrmWrapper, message: bytes) -> tuple[str, bytes]:
    """Content-Type and body of ``message`` sealed for the client."""
    result = context.wrap_winrm(message)
    delimiter = f"--{BOUNDARY}\r\n".encode("ascii")
    body = b"".join([
        delimiter,
        f"\tContent-Type: {SPNEGO_PROTOCOL}\r\n".encode("ascii"),
        b"\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=%d\r\n"
        % (len(message) + result.padding_length),
        delimiter,
        _OCTET_STREAM_LINE,
        struct.pack("<I", len(result.header)), result.header, result.data,
        f"--{BOUNDARY}--\r\n".encode("ascii"),
    ])
    content_type = f'multipart/encrypted;protocol="{SPNEGO_PROTOCOL}";boundary="{BOUNDARY}"'
    return content_type, body


def _original_length(part: bytes) -> int:
    """The Length= parameter of the OriginalContent line of the first MIME part."""
    for line in part.split(b"\r\n"):
        name, _, value = line.strip().partition(b":")
        if name.strip().lower() == b"originalcontent":
            for param in value.split(b";"):
                key, _, number = param.strip().partition(b"=")
                if key.lower() == b"length" and number.strip().isdigit():
                    return int(number)
    raise EncryptionError("the first MIME part has no OriginalContent Length")
