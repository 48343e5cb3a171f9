"""Compress: hosts lines and bare domains become `||host^`; rules covered by a parent domain rule go.

First pass: every line gives entries. A hosts line gives one `||host^` per hostname (case kept), a
bare domain gives `||domain^`, an adblock rule `||host^` without options and not `@@` is itself;
these are compressible, keyed by hostname, and only the first entry per hostname is kept. Anything
else is kept verbatim. Second pass: a compressible entry goes when a parent domain of its hostname
(down to the TLD) is itself a compressible hostname. Order is kept.
"""

from __future__ import annotations

import re

from bloqr_dagster.filterlists import rule_syntax as r

# A compressible adblock rule after trimming: `||host^`, optionally with a `$` and nothing but
# commas after it (those split into no options at all).
_COMPRESSIBLE = re.compile(r"\|\|([a-z0-9.-]+)\^(?:\$,*)?\Z")
_HOSTS_FIRST = r.ETC_HOSTS_FIRST_CHARS
_JS_WS = r.JS_WHITESPACE


def compress(lines: list[str]) -> list[str]:
    texts: list[str] = []
    hosts: list[str | None] = []
    seen: set[str] = set()
    compressible = _COMPRESSIBLE.match
    hosts_rule = r.is_etc_hosts_rule
    just_domain = r.is_just_domain

    for line in lines:
        host = None
        if not line:
            pass
        elif line[0] == "|":
            match = compressible(line)
            if match is None and line[-1] in _JS_WS:
                match = compressible(line.strip(_JS_WS))
            if match is not None:
                host = match.group(1)
        elif line[0] in _HOSTS_FIRST and hosts_rule(line):
            hostnames = r.etc_hosts_hostnames(line)
            if not hostnames:  # `0.0.0.0 \t# x`: the reference crashes; keep the line as it is
                texts.append(line)
                hosts.append(None)
            for name in hostnames:
                if name not in seen:
                    seen.add(name)
                    texts.append("||" + name + "^")
                    hosts.append(name)
            continue
        elif just_domain(line):
            if line not in seen:
                seen.add(line)
                texts.append("||" + line + "^")
                hosts.append(line)
            continue
        elif line[0] in _JS_WS or line[-1] in _JS_WS:
            match = compressible(line.strip(_JS_WS))
            if match is not None:
                host = match.group(1)
        if host is None:
            texts.append(line)
            hosts.append(None)
        elif host not in seen:
            seen.add(host)
            texts.append(line)
            hosts.append(host)

    out = []
    for text, host in zip(texts, hosts, strict=True):
        if host is not None:
            dot = host.find(".")
            while dot != -1 and host[dot + 1 :] not in seen:
                dot = host.find(".", dot + 1)
            if dot != -1:
                continue
        out.append(text)
    return out
