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
       r"|Network error while fetching|Gem::RemoteFetcher::(?:UnknownHostError|FetchError)|Net::(?:Open|Read)Timeout"
       # Node's undici (fetch) errors and their codes; TLS verification in Node, Go and OpenSSL
       r"|\bUND_ERR_(?:SOCKET|HEADERS_TIMEOUT|BODY_TIMEOUT|CLOSED)\b|\b(?:Headers|Body)TimeoutError\b|SocketError: other side closed"
       r"|unable to verify the first certificate|ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate's altnames"
       r"|\bx509: certificate (?:signed by unknown authority|has expired|is valid for|is not valid)|\bSSL_ERROR_SYSCALL\b"
       # curl's transfer failures by exit code (resolve, connect, TLS, empty reply, cut transfers, HTTP/2 streams)
       r"|\bcurl: \((?:5|6|7|16|18|28|35|52|55|56|60|92)\) \S|Could not resolve proxy|Proxy CONNECT aborted"
       r"|\bReceived HTTP code \d{3} from proxy after CONNECT|\b407 Proxy Authentication Required|tunneling socket could not be established"
       r"|Empty reply from server|transfer closed with \d+ bytes remaining|HTTP/2 stream \d+ was not closed cleanly"
       r"|Operation too slow\. Less than|server certificate verification failed|GnuTLS recv error|gnutls_handshake\(\) failed"
       # ssh and git transports cut off
       r"|\bkex_exchange_identification: |\bConnection closed by (?:remote host|\S+ port \d+)|unexpected disconnect while reading sideband"
       # rate limits of registries and APIs (GitHub, npm, Docker Hub, AWS)
       r"|\b(?:API )?[Rr]ate limit exceeded\b(?![^\n]{0,80}?(?i:retry|retrying|waiting|sleeping))"
       r"|exceeded a secondary rate limit|\b429 Too Many Requests\b"
       r"|An error occurred \((?:Throttling(?:Exception)?|TooManyRequestsException|SlowDown|RequestLimitExceeded)\)"
       r"|Could not connect to the endpoint URL")
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
            "network error while fetching", "gem::remotefetcher", "net::opentimeout", "net::readtimeout",
            "timeouterror", "other side closed", "verify the first certificate", "err_tls_cert_altname_invalid",
            "certificate's altnames", "x509: certificate", "ssl_error_syscall", "curl: (", "resolve proxy",
            "proxy connect aborted", "from proxy after connect", "proxy authentication required", "tunneling socket",
            "empty reply from server", "transfer closed with", "was not closed cleanly", "operation too slow",
            "certificate verification failed", "gnutls", "kex_exchange_identification", "connection closed by",
            "unexpected disconnect", "rate limit exceeded", "secondary rate limit", "too many requests",
            "an error occurred (", "endpoint url")

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
         masks=(mask(r"^.*?\b(curl: \(\d+\))", r"\1"),  # drop curl's progress meter before the message
                mask(r"(resolve proxy:? )[^\s,;]+", r"\1<HOST>"))),
    # curl -f: the server answered with an HTTP error (`curl: (22) The requested URL returned error: 404`): its
    # category is the status's (401/403 auth, 5xx network, via the general layer), else the stage's
    rule("curl-http-error", "build_command_failed", r"\bcurl: \(22\) The requested URL returned error: \d{3}", "curl: (22)",
         priority=85, tool="curl", relative="general", masks=(mask(r"^.*?\b(curl: \(22\))", r"\1"),)),
))
