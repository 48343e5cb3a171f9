"""Network failures from any tool: DNS, connect/reset/timeouts, TLS, aborted downloads."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import mask, rule

NET = (r"getaddrinfo (?:EAI_AGAIN|ENOTFOUND)|\b(?:ETIMEDOUT|ESOCKETTIMEDOUT|ECONNRESET|EHOSTUNREACH"
       r"|ENETUNREACH|EAI_AGAIN|ECONNABORTED|ERR_SOCKET_TIMEOUT|UND_ERR_CONNECT_TIMEOUT)\b"
       r"|Could not resolve host|Temporary failure in name resolution|Connection (?:timed out|reset by peer)"
       r"|socket hang up|Failed to connect to \S+ port|TLS handshake timeout|request to \S+ failed, reason:"
       r"|unable to get local issuer certificate|self.signed certificate in certificate chain"
       r"|certificate has expired|TypeError: fetch failed|Error: aborted\b|network connectivity")
KEYWORDS = ("getaddrinfo", "etimedout", "esockettimedout", "econn", "ehostunreach", "enetunreach", "eai_again",
            "err_socket_timeout", "und_err", "could not resolve host", "name resolution", "connection timed out",
            "connection reset", "connection refused", "socket hang up", "failed to connect", "handshake timeout",
            "failed, reason", "issuer certificate", "signed certificate", "certificate has expired",
            "fetch failed", "aborted", "network connectivity")

DETECTOR = Detector("network", "auto", (
    # Retries logged at info/verbose level may recover: they rank below real errors. (At warn level they
    # are warnings, never errors: rules/general.py.)
    rule("network-retry-noise", "network_error",
         rf"^(?:npm )?(?:verb|verbose|info|http|sill|silly|timing)\b.*(?:{NET})", *KEYWORDS,
         priority=160, rank=45),
    # A refused connection to a remote host: below a framework's own error, above summaries. Refused on
    # this machine, it is a service the build expected (a database on localhost) that is not running: a
    # failure of the build (the general layer), not of the network.
    rule("network-connection-refused", "network_error",
         r"\bECONNREFUSED\b(?! (?:127\.\d+\.\d+\.\d+|localhost|\[?::1\]?|0\.0\.0\.0)\b)|Connection refused", "econn",
         "connection refused", priority=50),
    rule("network-error", "network_error", NET, *KEYWORDS, priority=90,
         masks=(mask(r"^.*?\b(curl: \(\d+\))", r"\1"),)),  # drop curl's progress meter before the message
))
