"""Line cleaning, normalisation and the privacy scrub on their own."""

from __future__ import annotations

import pytest

from bloqr_dagster.builds.detectors.masking import MAX_LINE_CHARS, clean_line, normalise, scrub


@pytest.mark.parametrize(("raw", "clean"), [
    ("2025-12-13T01:13:30.868113Z\tCloning repository...", "Cloning repository..."),
    ("2026-05-05T13:09:14.284Z\tInitializing build environment...", "Initializing build environment..."),
    ("14:23:30.405 | ➤ YN0028: x", "➤ YN0028: x"),
    ("05:40:53.148  Treating warnings as errors", "Treating warnings as errors"),
    ("8:43:26 PM: Failed during stage 'building site'", "Failed during stage 'building site'"),
    ("2021-05-28T13:48:22.9913523Z ##[error]Process completed with exit code 1.",
     "##[error]Process completed with exit code 1."),
    ("2016-07-31 13:23:45,651 [ERROR]  fatal: nope", "fatal: nope"),
    ("264 | FATAL ERROR: Reached heap limit", "FATAL ERROR: Reached heap limit"),
    ("Step #4:  ERROR  run failed", "ERROR  run failed"),
    ("remote: npm ERR! x", "npm ERR! x"),
    ("18 info retry will retry", "info retry will retry"),
    ("@calcom/atoms:build: FATAL ERROR: x", "FATAL ERROR: x"),
    ("\x1b[31merror\x1b[39m TS2304: Cannot find name 'x'.", "error TS2304: Cannot find name 'x'."),
    ("   indented message   ", "indented message"),
])
def test_clean_line(raw: str, clean: str) -> None:
    assert clean_line(raw) == clean


def test_clean_line_caps_work() -> None:
    assert len(clean_line("y" * (MAX_LINE_CHARS * 10))) == MAX_LINE_CHARS


@pytest.mark.parametrize(("text", "group"), [
    ("npm error Missing: @rollup/rollup-linux-x64-gnu@4.50.0 from lock file",
     "npm error Missing: <PACKAGE>@<VERSION> from lock file"),
    ("error postcss@8.2.4: The engine \"node\" is incompatible with this module. Expected version \"^10 || >=14\".",
     "error <PACKAGE>@<VERSION>: The engine \"node\" is incompatible with this module. Expected version \"<RANGE>\"."),
    ("lib/policies.ts(11,25): error TS2307: x", "<FILE>(<LINE>,<COL>): error TS2307: x"),
    ("/opt/buildhome/repo/src/a.tsx:223:28: ERROR: x", "<FILE>:<LINE>:<COL>: ERROR: x"),
    ("npm ERR! getaddrinfo EAI_AGAIN registry.npmjs.org:443", "npm ERR! getaddrinfo EAI_AGAIN <HOST>:<PORT>"),
    ("Error: Command failed with exit code 1.", "Error: Command failed with exit code <CODE>."),
    ("sh: line 1: x: exited with exit code 127", "sh: line <N>: x: exited with exit code 127"),
    ("Authentication error [code: 10000]", "Authentication error [code: 10000]"),
    ("➤ YN0000: Failed with errors in 0s 12ms", "➤ YN0000: Failed with errors in <DURATION>"),
    ("[796:0x573c3c0]    33363 ms: Mark-sweep 4040.0 (4129.2) -> 4035.9 (4143.5) MB",
     "[<PID>:<HEX>] <N> ms: Mark-sweep <NUM> (<NUM>) -> <NUM> (<NUM>) MB"),
    ("HEAD is now at ae8cb37 release", "HEAD is now at <SHA> release"),
    ("fatal: object e3e7fd331c869ea67393a5ac5d96ee9fbd8e30ab missing", "fatal: object <SHA> missing"),
    ("Please see https://github.com/netlify/build-image/#included-software for versions",
     "Please see <URL> for versions"),
    ("You are using Node.js 18.17.0. For Next.js, Node.js version \">=20.9.0\" is required.",
     "You are using Node.js <VERSION>. For Next.js, Node.js version \"<RANGE>\" is required."),
])
def test_normalise(text: str, group: str) -> None:
    assert normalise(text) == group


def test_normalise_is_idempotent() -> None:
    once = normalise("npm ERR! peer antd@\"4.x\" from @ant-design/pro-layout@4.11.4 at /home/x/y.js:1:2")
    assert normalise(once) == once


def test_scrub_keeps_readable_text_and_masks_private_values() -> None:
    line = ("Error: connect ECONNREFUSED 192.168.0.12:443 while fetching for dev@acme.io from /home/dev/app "
            "with token=abcdEFGH1234ijklMNOP5678")
    out = scrub(line)
    assert out.startswith("Error: connect ECONNREFUSED <IP>:443 while fetching for <EMAIL> from <PATH>")
    assert "abcdEFGH1234" not in out and "token=<TOKEN>" in out
