"""Line cleaning, normalisation and the privacy scrub on their own."""

from __future__ import annotations

import pytest

from bloqr_dagster.build_errors.detectors import masking
from bloqr_dagster.build_errors.detectors.masking import MAX_LINE_CHARS, clean_line, normalise, scrub


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


# Strings that reach every token pattern, including those that span blanks or start mid-sentence.
_TOKEN_ZOO = [
    "Bearer abcDEF123456789xyz and token ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345 basic dXNlcjpwYXNzMTIz",
    'api_key = "sk_live_abcdefghijklmnop1234" password: hunter22 secret=s3cr3tv4lue AUTH_TOKEN:"x9y8z7w6"',
    "account_id = 0123456789abcdef0123456789abcdef zone-id: f00dfeed, accountId='abc-123' zoneid=xyz",
    'wrangler deploy --name my-worker-7 --script-name=other-name name = "the-name" Uploaded my-app (1.23 sec)',
    'worker "my-worker" Script name "x-1" system expected "y" service "z" Deployed foo triggers Published bar (2 s)',
    "curl: (6) Could not resolve host; errno -3008 exit code 137 exited with 1 Error code: 2 with code (127)",
    "node 18.17.0 npm version 10.2.3 python is 3.11 yarn set to 4.0.0 bun 1.1 go 1.22 deno v2 ruby 3.3.0 java 21",
    "uuid 123e4567-e89b-12d3-a456-426614174000 hex deadbeefdeadbeefdeadbeefdeadbeef00 sha 3f2a9c1 0x7ffe",
    "token QWERTYuiop1234567890asdfghJKLZXCVbnm= b64 Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MEFCQ0RFRkdISUpLTE1OT1A=",
    "ipv6 fe80::1ff:fe23:4567:890a and ::ffff:10.0.0.1 ipv4 192.168.1.254 not 999.1.1.1 :: 1::",
    "see https://example.com/a/b?c=d git@github.com:owner/repo.git user@mail.example.org C:\\Users\\me\\x",
    "~/projects/app /home/me/app/src/index.ts:12:3 /client/v4/accounts/abc/workers/scripts/my-worker",
    "react@18.2.0 @scope/pkg@^1.2.3 foo@npm:bar@2 x@workspace:* ./src/a/b.tsx:1:2 lib/x/y/z src/a.ts(3,4)",
    "package.json vite.config.ts main.py host api.example.co.uk:8443 my-app.pages.dev [12:0xabc] (node:1234)",
    "2026-01-02T03:04:05.678Z 12:34:56 PM 1h2m3s 45ms 1.5s \"^1.2 || >=2\" >= 1.2.3 v1.2.3-beta.1 v18 1,234.5 42",
    "sha512-AbCdEfGhIjKlMnOpQrStUv== AKIAABCDEFGHIJKLMNOP npm_abcdefghijklmnopqrstuvwxyz0123456789 glpat-abc",
    "<PACKAGE>@<VERSION> <TOKEN> __init__ _private9 a_b-c.d@e <x> [code: 10000] error TS2307 YN0028",
    "Ünïcödé wörds ſecret: x ＫＥＹ=１２３ ٣٤٥ and K-key=value\ttabs  and   gaps",
    "Authorization: Bearer -eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.-abc Cookie: a=b; c=d",
    "DB_PASS=hunter2 _PASSWORD='two words' --password x --api-token=-AbC9xYz8WvU7tS6 --password-stdin r",
    "-----BEGIN RSA PRIVATE KEY----- MIIE jdoe@box.(none) me@host:~/x deploy@10.0.4.7 a:b@c.example.com",
    "C:\\Users\\First Last\\x /home/jdoe/x:1:2 -I/home/jdoe/inc db.corp.acme-internal:5432 10.1.2.3.",
    "hooks.slack.com/services/T0/B0/XX wJalrXUtnFEMI/K7MDENG/bPxRfiCYz9EXAMPLE FOO=Kq7Lm2Np9Rs4Tv8Wx3Yz6Ab",
    "Property 'x' type 'Y' module 'z' (reading 'map') 'q' is defined Line 1:2 (3:4) npm ERR! 404 status: 400",
    "SG.abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ hf_abcdefghijklmnopqrstuvwxyzABCDEFGH",
]


@pytest.mark.parametrize("text", _TOKEN_ZOO)
def test_fast_token_regexes_match_the_plain_alternation(text: str) -> None:
    # The token regexes add cheap necessary conditions in front of pattern clusters; they must find
    # exactly the matches of the plain, ordered alternation, on every suffix of the text too.
    for source, fast in ((masking._PRIVATE + masking._STRUCTURAL, masking._GROUP_RE),
                         (masking._PRIVATE, masking._PRIVACY_RE)):
        plain = masking._assemble(source, fast=False)
        for start in range(0, len(text), 7):
            piece = text[start:]
            assert ([(m.span(), m.lastgroup) for m in fast.finditer(piece)]
                    == [(m.span(), m.lastgroup) for m in plain.finditer(piece)]), piece


def test_every_plain_letter_token_pattern_declares_its_first_letters() -> None:
    last_shape = dict(masking._SHAPES)["[A-Za-z_]"]
    assert set(last_shape) - {"secret"} <= set(masking._WORD_FIRST_LETTERS)


@pytest.mark.parametrize(("text", "masked"), [
    ("slack xoxb-1234567890 leaked", "slack <TOKEN> leaked"),  # the shortest token the scrub knows: 15 chars
    ("pushing to a@_h.io:repo now", "pushing to <URL> now"),  # scp address whose host starts with `_`
])
def test_scrub_precheck_never_skips_a_private_value(text: str, masked: str) -> None:
    # scrub() skips the regex on text its cheap precheck clears; the precheck must not clear these.
    assert masking._PRIVACY_RE.sub(masking._privacy_token, text) == masked
    assert scrub(text) == masked


@pytest.mark.parametrize(("line", "masked"), [
    # a bare word after `key: ` is a value, whatever its case
    ("DB_PASSWORD: hunter", "DB_PASSWORD: <TOKEN>"),
    ("password: Summer", "password: <TOKEN>"),
    ("smtp_pass: bluebottle.", "smtp_pass: <TOKEN>"),
    # a status word or a sentence after the key is prose, kept for grouping
    ("Error: password: required", "Error: password: required"),
    ("token: invalid or expired", "token: invalid or expired"),
    ("AUTH_TOKEN: not set", "AUTH_TOKEN: not set"),
    ("api_key: Invalid", "api_key: Invalid"),
    ("secret: The value must be base64", "secret: The value must be base64"),
    # a user name after a key is private; pip's `--user` flag and a user agent are not
    ("host=db user=jdoe dbname=app", "host=db user=<TOKEN> dbname=app"),
    ("username: jdoe", "username: <TOKEN>"),
    ("pip install --user requests", "pip install --user requests"),
    ("npm_config_user_agent=npm/10.2.4", "npm_config_user_agent=npm/10.2.4"),
    # a quoted user or role name (PostgreSQL, MySQL), and psql's -U
    ('FATAL:  password authentication failed for user "jdoe"', 'FATAL:  password authentication failed for user "<USER>"'),
    ("Access denied for user 'root'@'localhost'", "Access denied for user '<USER>'@'localhost'"),
    ('FATAL: role "ci_runner" does not exist', 'FATAL: role "<USER>" does not exist'),
    ("psql -U jdoe app", "psql -U <TOKEN> app"),
])
def test_a_value_after_a_secret_key_is_masked_unless_it_is_prose(line: str, masked: str) -> None:
    from bloqr_dagster.build_errors.privacy import private_kinds

    assert scrub(line) == masked
    assert bool(private_kinds(line)) == (masked != line)  # the independent scan agrees
