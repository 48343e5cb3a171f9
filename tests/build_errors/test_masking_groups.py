"""Grouping normaliser: general masking rules for commands, ports and C++ namespaces (groups helper)."""

from __future__ import annotations

import pytest

from bloqr_dagster.build_errors.detectors.masking import normalise, scrub


@pytest.mark.parametrize(
    ("line", "group"),
    [
        # a quoted command after `command` / `process` / `failed to run` is the build's own command
        ('Error: Command "pnpm run generate" exited with 2', 'Error: Command "<COMMAND>" exited with <CODE>'),
        ("The command '/bin/bash -lc make dist' returned a non-zero code: 3",
         "The command '<COMMAND>' returned a non-zero code: <CODE>"),
        ('failed to solve: process "/bin/sh -c pnpm i --prod" did not complete successfully: exit code: 1',
         'failed to solve: process "<COMMAND>" did not complete successfully: exit code: <CODE>'),
        ('Failed to run "poetry install --no-root"', 'Failed to run "<COMMAND>"'),
        # a bare absolute path after `process` stays a path
        ("Error: The process '/usr/local/bin/hg' failed with exit code 255",
         "Error: The process '<PATH>' failed with exit code <CODE>"),
        # ports after an IP address and after the word port
        ("Error: connect ECONNREFUSED 10.1.2.3:6379", "Error: connect ECONNREFUSED <IP>:<PORT>"),
        ("ssh: connect to host example.org port 2222: Connection refused",
         "ssh: connect to host <HOST> port <PORT>: Connection refused"),
        ("HTTPSConnectionPool(host='files.example.net', port=8443): Max retries exceeded",
         "HTTPSConnectionPool(host='<HOST>', port=<PORT>): Max retries exceeded"),
        # `v8::` is V8's C++ namespace, not a version
        ("3: 0xa1b2c3 v8::internal::Heap::CollectGarbage(v8::internal::AllocationSpace) [node]",
         "<N>: <HEX> v8::internal::Heap::CollectGarbage(<ARGS>) [node]"),
        # an absolute path quoted after `module` is a path, a bare specifier a module
        ("Error: Cannot find module '/srv/app/dist/server.mjs'", "Error: Cannot find module '<PATH>'"),
        ("Error: Cannot find module 'left-pad'", "Error: Cannot find module '<MODULE>'"),
        # git's fatal exit status names the failure and stays
        ("Git fetch failed with exit code 128", "Git fetch failed with exit code 128"),
        # a command named without quotes runs to the end of the message (Netlify's link and CodeBuild's reason stay)
        ("Error: Command failed with exit code 1: yarn tailwindcss init",
         "Error: Command failed with exit code <CODE>: <COMMAND>"),
        ("Command failed with exit code 2: npm run build (https://ntl.fyi/exit-code-2)",
         "Command failed with exit code <CODE>: <COMMAND> (<URL>)"),
        ("{ Error: Command failed: npm run cypress:run:cmd", "{ Error: Command failed: <COMMAND>"),
        ("Message: Error while executing command: sudo npm install. Reason: exit status 1",
         "Message: Error while executing command: <COMMAND>. Reason: exit status <CODE>"),
        (" ELIFECYCLE  Command failed with exit code 1.", "ELIFECYCLE  Command failed with exit code <CODE>."),
        # bash's report of a job killed by a signal: the job's pid and its command
        ("/usr/local/bin/build: line 34:  1376 Aborted   (core dumped) gatsby build",
         "<PATH>: line <N>:  <PID> Aborted (core dumped) <COMMAND>"),
        ("bash: line 1:   77 Segmentation fault      yarn", "bash: line <N>: <PID> Segmentation fault <COMMAND>"),
        # the argument types of V8's native frames; a frame without arguments stays
        ("12: 0xb7b3e0 v8::internal::V8::FatalProcessOutOfMemory(v8::internal::Isolate*, char const*, bool) [node]",
         "<N>: <HEX> v8::internal::V8::FatalProcessOutOfMemory(<ARGS>) [node]"),
        (" 1: 0x8fa090 node::Abort() [node]", "<N>: <HEX> node::Abort() [node]"),
        # a types package: @types names the kind
        ("Try `npm i --save-dev @types/formiojs` if it exists", "Try `npm i --save-dev @types/<PACKAGE>` if it exists"),
        # a range of several parts is one range
        ('npm ERR! notsup Required: {"node":">=18 || >=20"}', 'npm ERR! notsup Required: {"node":"<RANGE>"}'),
        ("The supported Python range (>=3.8,<4.0) is not compatible", "The supported Python range (<RANGE>) is not compatible"),
    ],
)
def test_group_masks(line: str, group: str) -> None:
    assert scrub(normalise(line)) == group


def test_scrub_keeps_ports_but_masks_the_ip() -> None:
    assert scrub("connect ETIMEDOUT 172.16.4.20:443") == "connect ETIMEDOUT <IP>:443"


@pytest.mark.parametrize(
    ("line", "group"),
    [
        # `v20.1.0` and `20.1.0` are one version
        ("Found: v20.11.1", "Found: <VERSION>"),
        ('npm ERR! notsup Actual: {"npm":"10.2.0","node":"v21.0.0"}', 'npm ERR! notsup Actual: {"npm":"<VERSION>","node":"<VERSION>"}'),
        # a line:column after a blank (a reporter's column, after a file name)
        ("[ error ] ./src/pages/index.tsx 12:4", "[ error ] <FILE> <LINE>:<COL>"),
    ],
)
def test_group_versions_and_positions(line: str, group: str) -> None:
    assert scrub(normalise(line)) == group


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        # docker's elapsed seconds without the step number, a bare clock before a message
        ("1.204 npm ERR! code E404", "npm ERR! code E404"),
        ("12.5   E: Unable to locate package libfoo", "E: Unable to locate package libfoo"),
        ("07:15:42 make: *** [all] Error 2", "make: *** [all] Error 2"),
    ],
)
def test_clean_line_drops_elapsed_and_clock_prefixes(raw: str, message: str) -> None:
    from bloqr_dagster.build_errors.detectors.masking import clean_line

    assert clean_line(raw) == message


@pytest.mark.parametrize(
    ("line", "group"),
    [
        # a bare extension names a file type and stays; a file name is masked
        ('No loader is configured for ".less" files: theme/main.less', 'No loader is configured for ".less" files: <FILE>'),
        ("add a new declaration (.d.ts) file", "add a new declaration (.d.ts) file"),
        ("Instead, import the .wasm module directly", "Instead, import the .wasm module directly"),
        ("failed to load .eslintrc.cjs", "failed to load <FILE>"),
        # pnpm's manifest names are fixed file names
        ("No package.json (or package.yaml, or package.json5) was found", "No package.json (or package.yaml, or package.json5) was found"),
    ],
)
def test_group_file_types(line: str, group: str) -> None:
    assert scrub(normalise(line)) == group


def test_an_authorisation_status_is_no_credential_key() -> None:
    """`unauthorized: unauthenticated:` is a status and its reason; `auth: x` is a credential."""
    line = ('Error response from daemon: Head "https://ghcr.io/v2/acme/app/manifests/latest": unauthorized: '
            "unauthenticated: User cannot be authenticated with the token provided.")
    assert scrub(normalise(line)) == ('Error response from daemon: Head "<URL>": unauthorized: unauthenticated: '
                                      "User cannot be authenticated with the token provided.")
    assert scrub(normalise("login failed with auth: s3cr3tvalue1")) == "login failed with auth: <TOKEN>"


@pytest.mark.parametrize(("line", "group"), [
    # a number with thousands separators is one number
    ("Error: Exceeded the limit of 20,000 files in the deployment",
     "Error: Exceeded the limit of <N> files in the deployment"),
    ("Your bundle is 1,048,576 bytes", "Your bundle is <N> bytes"),
    # a list of numbers is not one number
    ('Expected "flags" to be of type string array but got [1,234].',
     'Expected "flags" to be of type string array but got [<N>,<N>].'),
    ("Unexpected values 1,2345 and 12,34", "Unexpected values <N>,<N> and <N>,<N>"),
    # Biome's rule names look like paths but name the error; real paths are still masked
    ("src/index.ts:3:7 lint/style/useConst  FIXABLE", "<FILE>:<LINE>:<COL> lint/style/useConst  FIXABLE"),
    ("cp: cannot stat lint/style/config: No such file", "cp: cannot stat <PATH>: No such file"),
])
def test_group_numbers_and_rule_names(line: str, group: str) -> None:
    assert scrub(normalise(line)) == group
