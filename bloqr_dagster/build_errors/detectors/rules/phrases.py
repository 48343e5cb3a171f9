"""The phrase layer: a tool's bare failure sentence, with no marker at all, under every other rule.

Many tools print their error as a plain sentence: parcel's `Failed to parse .postcssrc`, svelte's
`Expected token -->`, a bundler's `Glob imports are not supported in html files.`, a config
loader's `Invalid config for x`, `'./a.js' does not exist`. No universal marker (`error:`, `✘`,
`ERR!`) says they are errors; the sentence does: it says something cannot be done (`Cannot`,
`Could not`, `Unable to`, `Failed to`), is invalid, unexpected or unknown, is missing, does not
exist, or is not supported / allowed.

Real logs are full of benign sentences in the same words (`Could not find a cached build, starting
fresh`, `Unknown option ignored`, `Missing optional dependency, skipping`, `Failed to fetch x,
retrying`): a sentence that goes on to say the build carries on (skipping, ignored, falling back,
using the default, retrying, optional, cache, only locally) is not an error (`_CARRIES_ON`), nor is
an accessibility check (`Unknown aria attribute`), which tools print as warnings.

These rules come after every tool rule and the general layer (lowest priority), and their hits
rank below every tool's and every general hit (RANK_PHRASE), so in a whole log a marked error
always wins the primary; they rank above a platform's stage summary, since a sentence naming what
failed says more than `Failed: error occurred while running build command`. Their category is the
general layer's (relative="general", rules/general.py): the cause the words name, the command, the
tool, the stage, the activity; else build_command_failed.
"""

from __future__ import annotations

from bloqr_dagster.build_errors.detectors.model import RANK_STAGE_SUMMARY, Detector
from bloqr_dagster.build_errors.detectors.rules._dsl import mask, rule

# Below every tool rule and general hit (the lowest general rank is the traceback's, RANK_TOOL_SUMMARY - 2),
# above a platform's stage summary; test_detectors_phrases.py checks it against every rule.
RANK_PHRASE = RANK_STAGE_SUMMARY + 1

# Checked right after the words that make a sentence a failure (so only on lines that have them): the rest
# of the sentence says the build carries on, or the line is a prompt, a hint or a deprecation: not an error.
_CARRIES_ON = (
    r"(?![^\n]{0,300}?(?i:\bskipp(?:ing|ed)\b|\bignor(?:ed|ing)\b|\bfall(?:ing)? ?back\b|\busing (?:the )?default"
    r"|\bdefaulting\b|\bstarting (?:fresh|from scratch)|\bfrom scratch\b|\bretry|\btrying again\b|\bwill (?:be|try|use|now|retry|continue|fall)\b"
    r"|\boptional\b|\bproceeding\b|\bcontinuing\b|\binstead\b|\bcreating\b|\bcach(?:e|ed|ing)\b|\bassuming\b"
    r"|\bwould you like\b|\(y/n\)|\[y/n\]|\bsafe to ignore\b|\bcan be ignored\b|\bnot a problem\b|\bdeprecat"
    r"|\bdiscarded\b|, since\b|\bif (?:you|needed|necessary|present|available)\b|\bnot required\b|\bfor now\b|\boverrid(?:e|es|ing)\b"
    # an alternative the tool takes (`Unable to detect framework, using static build`, `Failed to start Nx Daemon,
    # running without it`, `sitemap.xml does not exist, generating one`), a consequence that is not a failure
    # (`source maps will not be uploaded`, npm's `This will stop working in the next major version of npm.`)
    r"|, using\b|, (?:running|continuing|proceeding|building) without\b|, generating\b|, disabling\b|\bwill not be\b"
    r"|\bwill stop working\b|\bnext major version\b|\bin a future (?:version|release)\b|\bnon-?fatal\b"
    # docker's `Unable to find image 'x' locally` before it pulls; accessibility checks are warnings
    r"|\blocally$|\baria-|\ba11y\b))"
)
# A side task no build needs, named anywhere in a `Failed to x` sentence (`Failed to send telemetry`, `Could not
# check for updates`, `Unable to fetch the latest version`): its failure is not the build's.
_SIDE_TASK = (
    r"(?![^\n]{0,300}?(?i:\btelemetry\b|\busage (?:data|statistics)\b|\banalytics\b|\bupdate check\b|\bnewer version\b"
    r"|\b(?:check(?:ing)? for|fetch(?:ing)?|get(?:ting)?) (?:updates?\b|(?:the )?latest version\b)))"
)
# An optional indent and a short tool tag (`@parcel/core: `, `[svelte] `): the sentence opens the message.
_OPEN = r"^[ \t]{0,8}(?:@?[\w./-]{1,60}: |\[[\w@./:-]{1,40}\] )?"

DETECTOR = Detector("phrases", "auto", (
    # `Cannot find extended parcel config`, `Could not statically evaluate x`, `Unable to load x`,
    # `Couldn't parse x`, `Failed to parse .postcssrc`, `Failed to compile.`
    rule("phrase-cannot", "build_command_failed",
         rf"{_OPEN}(?:Cannot|Can't|Could not|Couldn't|Unable to|Failed to){_SIDE_TASK}(?: (?:be )?\w{{2,30}}){{1,2}}\b{_CARRIES_ON}",
         "cannot", "can't", "could not", "couldn't", "unable to", "failed to",
         priority=3, relative="general", rank=RANK_PHRASE),
    # `Invalid config for x`, `Invalid webmanifest`, `Unknown url scheme 'x:'`, `Unexpected token }. Expected x`,
    # `Expected token -->`, `Expected attribute value`, `Missing required argument x`, `Duplicate slot name 'x'`
    rule("phrase-invalid", "build_command_failed",
         rf"{_OPEN}(?:Invalid|Unknown|Unexpected|Unsupported|Duplicate|Missing(?! optional))"
         rf" {_CARRIES_ON}[\w@./'\"`${{-]"
         rf"|{_OPEN}Expected {_CARRIES_ON}(?:token|attribute|identifier|expression|a (?:closing|valid|string|value)|[\"'`]|[{{(<;:,])",
         "invalid", "unknown", "unexpected", "unsupported", "duplicate", "missing", "expected",
         priority=3, relative="general", rank=RANK_PHRASE,
         # a scoped package the sentence is about (`Invalid config for @parcel/bundler-default`)
         masks=(mask(r"(?<=\bfor )@[\w.-]{1,100}/[\w.-]{1,100}", "<PACKAGE>"),)),
    # `Glob imports are not supported in html files.`, `import() is not allowed in service workers.`,
    # `'./a.js' does not exist, did you mean './b.js'?`, `Browser scripts cannot have imports or exports.`,
    # `` `let` cannot be used as an identifier in strict mode ``
    rule("phrase-not-possible", "build_command_failed",
         rf"{_OPEN}[\w@./'\"`()$-][^\n]{{0,200}}? (?:is|are) not (?:supported|allowed|permitted|valid)\b{_CARRIES_ON}"
         rf"|{_OPEN}[\w@./'\"`()$-][^\n]{{0,200}}? (?:does|do) not exist\b{_CARRIES_ON}"
         rf"|{_OPEN}[\w@./'\"`()$-][^\n]{{0,200}}? cannot (?:be used|have|contain|be combined|import|export)\b{_CARRIES_ON}",
         "not supported", "not allowed", "not permitted", "not valid", "not exist", "cannot be used", "cannot have",
         "cannot contain", "cannot be combined", "cannot import", "cannot export",
         priority=3, relative="general", rank=RANK_PHRASE),
    # `package.json not found`, `'./src/a.ts' could not be found`, `No matching distribution found for x`,
    # `No such file: x`: a file the build needs is not there (a sentence that names a path or a file name:
    # `X not found` about anything else is as often a tool's progress)
    rule("phrase-not-found", "build_command_failed",
         rf"{_OPEN}[\"'`]?[\w@-]{{0,100}}(?:\.{{1,2}}/|[\w@-]/|[\w@-]\.[A-Za-z]{{1,8}}\b)[\w@./-]{{0,200}}[\"'`]?"
         rf" (?:file |directory )?(?:(?:was |is )?not found|could not be found)\b{_CARRIES_ON}"
         rf"|{_OPEN}No (?:matching|such|suitable|compatible|valid) {_CARRIES_ON}[\w@./'\"`-]",
         "not found", "not be found", "no matching", "no such", "no suitable", "no compatible", "no valid",
         priority=3, relative="general", rank=RANK_PHRASE),
), shared=True)
