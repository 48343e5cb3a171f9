"""Network failures from any tool: DNS, connect/reset/timeouts, TLS, aborted downloads."""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import mask, rule

NET = (r"getaddrinfo (?:EAI_AGAIN|ENOTFOUND)|\b(?:ETIMEDOUT|ESOCKETTIMEDOUT|ECONNRESET|EHOSTUNREACH"
       r"|ENETUNREACH|EAI_AGAIN|ECONNABORTED|ERR_SOCKET_TIMEOUT|UND_ERR_CONNECT_TIMEOUT)\b"
       r"|Could not resolve host|Temporary failure in name resolution|Connection (?:timed out|reset by peer)"
       r"|socket hang up|Failed to connect to \S+ port|TLS handshake timeout|request to \S+ failed, reason:"
       r"|unable to get local issuer certificate|self.signed certificate in certificate chain"
       r"|certificate has expired|TypeError: fetch failed|Error: aborted\b|network connectivity"
       # Python (urllib3/requests, pip, poetry): `HTTPSConnectionPool(host=...): Max retries exceeded`, its causes
       r"|Max retries exceeded with url|NewConnectionError|ConnectTimeoutError|ReadTimeoutError|RemoteDisconnected"
       r"|Name or service not known|Temporary failure resolving|CERTIFICATE_VERIFY_FAILED|SSLEOFError"
       # Go's net/http and dialer (docker pulls, Go modules, Hugo), Rust's reqwest (uv, cargo)
       r"|net/http: (?:request canceled|TLS handshake timeout)|Client\.Timeout exceeded while awaiting headers"
       r"|\bdial tcp[^\n]{0,120}?: (?:lookup |i/o timeout|connect: (?:connection refused|network is unreachable"
       r"|no route to host|connection timed out))|error sending request for url|dns error: failed to lookup address"
       r"|\b(?:Operation|operation) timed out\b|Network is unreachable|No route to host"
       # runtime installers downloading a distribution (Heroku's Node.js buildpack, version managers)
       r"|Failed to download Node\.js distribution|request to download [^\n]{0,200}? failed unexpectedly"
       r"|unstable network connection"
       # conda and Bundler/RubyGems
       r"|CondaHTTPError: HTTP 000 CONNECTION FAILED|Could not fetch specs from \S+|Could not reach host \S+"
       r"|Network error while fetching|Gem::RemoteFetcher::(?:UnknownHostError|FetchError)|Net::(?:Open|Read)Timeout")
KEYWORDS = ("getaddrinfo", "etimedout", "esockettimedout", "econn", "ehostunreach", "enetunreach", "eai_again",
            "err_socket_timeout", "und_err", "could not resolve host", "name resolution", "connection timed out",
            "connection reset", "connection refused", "socket hang up", "failed to connect", "handshake timeout",
            "failed, reason", "issuer certificate", "signed certificate", "certificate has expired",
            "fetch failed", "aborted", "network connectivity", "max retries exceeded", "newconnectionerror",
            "connecttimeouterror", "readtimeouterror", "remotedisconnected", "name or service not known",
            "temporary failure resolving", "certificate_verify_failed", "ssleoferror", "net/http: ",
            "client.timeout exceeded", "dial tcp", "error sending request", "dns error", "operation timed out",
            "network is unreachable", "no route to host", "node.js distribution", "request to download",
            "unstable network", "connection failed", "could not fetch specs", "could not reach host",
            "network error while fetching", "gem::remotefetcher", "net::opentimeout", "net::readtimeout")

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
    # apt's fetch failure line (`Err:3 http://deb.debian.org/debian bookworm InRelease`), its reason follows
    rule("apt-fetch-error", "network_error", r"^Err:\d+ (?:https?|ftp)://\S+ \S|^Err (?:https?|ftp)://\S+ \S", "err:", "err ", priority=80,
         masks=(mask(r"^Err(?::\d+)? \S+ .*", "Err:<N> <URL> <SUITE>"),)),
    rule("network-error", "network_error", NET, *KEYWORDS, priority=90,
         masks=(mask(r"^.*?\b(curl: \(\d+\))", r"\1"),)),  # drop curl's progress meter before the message
))
