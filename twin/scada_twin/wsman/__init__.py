"""The twin's WS-Management (WinRM) server, one module per concern.

``server`` (listeners, :class:`~scada_twin.wsman.server.WsmanServer`), ``handler`` (one HTTP
connection), ``auth`` (NTLM/Negotiate/Basic), ``encryption`` (multipart/encrypted framing),
``service`` (per-host routing and pacing), ``winrs`` (shells and commands), ``soap``
(envelopes) and ``errors`` (the faults Windows answers with).
"""
