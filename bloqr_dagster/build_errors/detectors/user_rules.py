"""Users' own rules: a YAML knowledge base merged with the built-in rules.

The file is `--rules FILE` / the resource's `rules_file`, else `$BLOQR_RULES_FILE`, else
`$BLOQR_HOME/rules.yaml` when it exists. Like the failure causes of Jenkins' Build Failure
Analyzer, a rule has a name, a description and comment for people, tags, and indications (regexes
over the cleaned log line) that say the cause is present; here it also names the taxonomy category
the lines get:

    rules:
      - name: internal-registry-down              # unique, also among the built-in rule names
        category: network_error                   # a taxonomy category, or not_an_error (noise)
        pattern: 'registry\\.corp\\.example: (?:ECONNREFUSED|503)'   # or patterns: [...]
        keywords: [registry.corp.example]         # optional: derived from the pattern's literals
        description: Our npm mirror is down, see the runbook
        comment: added after the 2026-03 outage
        tags: [infra]
        rank: cause                               # cause (default), error, summary, or 1-200
        tool: npm                                 # optional: who prints it
        group: npm mirror down                    # optional: a fixed error group
        examples: ['npm error registry.corp.example: 503 Service Unavailable']
        counter_examples: ['registry.corp.example: 200 OK']
        followed_by:                              # optional: a following line decides the category
          within: 6
          causes: [{pattern: 'quota exceeded', category: timeout}]

User rules are tried before the built-in rules (file order among themselves), so they override
them; a `not_an_error` rule silences lines. Every problem is one line naming the field:
`rules.yaml: rules[2].pattern: bad regex: missing ), unterminated subpattern at position 4`.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bloqr_dagster.build_errors import privacy
from bloqr_dagster.build_errors.detectors.engine import default_rules
from bloqr_dagster.build_errors.detectors.model import (
    CATEGORIES,
    RANK_CAUSE,
    RANK_ERROR,
    RANK_TOOL_SUMMARY,
    Cause,
    Rule,
)
from bloqr_dagster.build_errors.detectors.prefixes import message
from bloqr_dagster.build_errors.detectors.regex_analysis import (
    backtracking_risk,
    derive_keywords,
    unreachable_branch,
)
from bloqr_dagster.build_errors.detectors.registry import DETECTORS
from bloqr_dagster.build_errors.detectors.ruleset import RuleSet

ENV_VAR = "BLOQR_RULES_FILE"
FILE_NAME = "rules.yaml"
MAX_FILE_BYTES = 1 << 20
MAX_RULES = 500
MAX_PATTERN_CHARS = 2000
_RANKS = {"cause": RANK_CAUSE, "error": RANK_ERROR, "summary": RANK_TOOL_SUMMARY}
_FIELDS = ("name", "category", "pattern", "patterns", "keywords", "description", "comment", "tags", "rank", "tool",
           "group", "examples", "counter_examples", "followed_by")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,79}$")


class UserRulesError(ValueError):
    """An invalid user rules file; str() is one line: `FILE: FIELD: problem`."""


@dataclass(frozen=True)
class UserRules:
    path: str
    rules: tuple[Rule, ...]
    digest: str  # SHA-256 of the validated rules in canonical form (comments and layout do not count)
    specs: tuple[dict, ...] = ()  # the validated rules as written (for `bloqr rules check`)


def default_path(home: str | Path | None = None) -> Path | None:
    """$BLOQR_RULES_FILE, else $BLOQR_HOME/rules.yaml when it exists, else None."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    from bloqr_dagster import settings

    path = (Path(home) if home else settings.bloqr_home()) / FILE_NAME
    return path if path.is_file() else None


def load_user_rules(path: str | Path | None = None, *, home: str | Path | None = None) -> UserRules | None:
    """The user rules of `path` (which must exist), else of the default place; None when there are none."""
    target = Path(path) if path else default_path(home)
    if target is None:
        return None
    try:
        size = target.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UserRulesError(f"{target}: larger than {MAX_FILE_BYTES // 1024} KiB")
        text = target.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UserRulesError(f"{target}: not UTF-8 text") from None
    except IsADirectoryError:
        raise UserRulesError(f"{target}: is a directory") from None
    except OSError as exc:
        raise UserRulesError(f"{target}: cannot read: {exc.strerror or exc.__class__.__name__}") from None
    return parse_user_rules(text, str(target))


def parse_user_rules(text: str, source: str = "rules.yaml") -> UserRules:
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader without aliases
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise UserRulesError(f"{source}{where}: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise UserRulesError(f"{source}: invalid YAML: {str(exc).splitlines()[0]}") from None
    if data is None:
        data = {"rules": []}
    if not isinstance(data, dict):
        raise UserRulesError(f"{source}: expected a mapping with a `rules:` list")
    unknown = set(data) - {"rules", "version"}
    if unknown:
        raise UserRulesError(f"{source}: {sorted(unknown)[0]}: unknown top-level field (expected rules, version)")
    if data.get("version", 1) != 1:
        raise UserRulesError(f"{source}: version: only version 1 is known")
    items = data.get("rules", [])
    if not isinstance(items, list):
        raise UserRulesError(f"{source}: rules: expected a list of rules")
    if len(items) > MAX_RULES:
        raise UserRulesError(f"{source}: rules: more than {MAX_RULES} rules")
    rules, specs, names = [], [], set()
    builtin = {r.name for d in DETECTORS for r in d.rules}
    for i, item in enumerate(items):
        where = f"{source}: rules[{i}]"
        rule, spec = _rule(item, where, source)
        if rule.name in names:
            raise UserRulesError(f"{where}.name: duplicate name {rule.name!r}")
        if rule.name in builtin:
            raise UserRulesError(f"{where}.name: {rule.name!r} is a built-in rule's name")
        names.add(rule.name)
        rules.append(rule)
        specs.append(spec)
    digest = hashlib.sha256(json.dumps(specs, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return UserRules(source, tuple(rules), digest, tuple(specs))


def _rule(item: Any, where: str, source: str) -> tuple[Rule, dict]:
    if not isinstance(item, dict):
        raise UserRulesError(f"{where}: expected a mapping (name, category, pattern, ...)")
    for key in item:
        if key not in _FIELDS:
            close = difflib.get_close_matches(str(key), _FIELDS, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise UserRulesError(f"{where}.{key}: unknown field{hint}")
    name = _text(item, "name", where, required=True)
    if not _NAME.match(name):
        raise UserRulesError(f"{where}.name: use lowercase letters, digits, '-', '_', '.' (at most 80), got {name!r}")
    category = _category(item.get("category"), f"{where}.category", allow_noise=True)
    if "pattern" in item and "patterns" in item:
        raise UserRulesError(f"{where}: give either pattern or patterns, not both")
    patterns = [_text(item, "pattern", where, required=True)] if "patterns" not in item else \
        _texts(item, "patterns", where, required=True)
    compiled = [_compile(p, f"{where}.{'pattern' if 'pattern' in item else f'patterns[{k}]'}")
                for k, p in enumerate(patterns)]
    keywords = tuple(k.lower() for k in _texts(item, "keywords", where))
    for k, kw in enumerate(keywords):
        if len(kw.strip()) < 3:
            raise UserRulesError(f"{where}.keywords[{k}]: a keyword needs 3+ characters, got {kw!r}")
    if not keywords:
        derived: list[str] = []
        for k, p in enumerate(compiled):
            found = derive_keywords(p.pattern, p.flags & ~re.UNICODE)
            if isinstance(found, str):
                field = "pattern" if "pattern" in item else f"patterns[{k}]"
                raise UserRulesError(f"{where}.{field}: missing keyword: {found}; list keywords")
            derived.extend(kw for kw in found if kw not in derived)
        keywords = tuple(derived)
    else:
        for k, p in enumerate(compiled):
            dead = unreachable_branch(p.pattern, p.flags & ~re.UNICODE, keywords)
            if dead is not None:
                field = "pattern" if "pattern" in item else f"patterns[{k}]"
                raise UserRulesError(f"{where}.{field}: branch {dead[0]} ({dead[1][:80]}) is unreachable: it can match "
                                     f"a line holding none of the keywords {list(keywords)}")
    pattern = compiled[0] if len(compiled) == 1 else _compile("|".join(f"(?:{p.pattern})" for p in compiled), where)
    rank = _rank(item.get("rank", "cause"), f"{where}.rank")
    causes, lookahead = _followed_by(item.get("followed_by"), f"{where}.followed_by")
    group = _text(item, "group", where) or None
    private = privacy.private_kinds(group)
    if private:  # a fixed group skips the masking: it would stop every range it appears in from publishing
        raise UserRulesError(f"{where}.group: holds a private value ({private[0]}); write a placeholder "
                             f"(<EMAIL>, <HOST>, <TOKEN>, ...) instead")
    rule = Rule(
        name=name, error_code=category, pattern=pattern, keywords=keywords, priority=0, tool=_text(item, "tool", where)
        or None, group=group, causes=causes, lookahead=lookahead,
        ignore=category == "not_an_error", rank=rank, origin=source, description=_text(item, "description", where),
    )
    for k, example in enumerate(_texts(item, "examples", where)):
        problem = _example_problem(rule, example)
        if problem:
            raise UserRulesError(f"{where}.examples[{k}]: {problem}")
    for k, example in enumerate(_texts(item, "counter_examples", where)):
        if rule.pattern.search(message(example)):
            raise UserRulesError(f"{where}.counter_examples[{k}]: the pattern matches it")
    spec = {key: item[key] for key in _FIELDS if key in item}
    spec["keywords"] = list(keywords)
    return rule, spec


def _example_problem(rule: Rule, example: str) -> str | None:
    clean = message(example)
    if not rule.pattern.search(clean):
        return "the pattern does not match it (patterns see the line without timestamps, CI prefixes and colours)"
    if not any(k in example.lower() for k in rule.keywords):
        return f"it holds none of the keywords {list(rule.keywords)}, so the rule never sees it"
    return None


def _text(item: dict, key: str, where: str, required: bool = False) -> str:
    value = item.get(key)
    if value is None:
        if required:
            raise UserRulesError(f"{where}.{key}: missing")
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise UserRulesError(f"{where}.{key}: expected a non-empty string")
    return value


def _texts(item: dict, key: str, where: str, required: bool = False) -> list[str]:
    value = item.get(key)
    if value is None:
        if required:
            raise UserRulesError(f"{where}.{key}: missing")
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or (required and not value):
        raise UserRulesError(f"{where}.{key}: expected a list of strings")
    for k, v in enumerate(value):
        if not isinstance(v, str) or not v:
            raise UserRulesError(f"{where}.{key}[{k}]: expected a non-empty string")
    return value


def _category(value: Any, where: str, allow_noise: bool = False) -> str:
    allowed = (*CATEGORIES, "not_an_error") if allow_noise else CATEGORIES
    if not isinstance(value, str) or value not in allowed:
        close = difflib.get_close_matches(str(value), allowed, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise UserRulesError(f"{where}: unknown category {value!r}{hint}")
    return value


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    if len(pattern) > MAX_PATTERN_CHARS:
        raise UserRulesError(f"{where}: longer than {MAX_PATTERN_CHARS} characters")
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise UserRulesError(f"{where}: bad regex: {exc}") from None
    if compiled.search(""):
        raise UserRulesError(f"{where}: matches an empty line (it would claim every line)")
    risk = backtracking_risk(pattern)
    if risk:
        raise UserRulesError(f"{where}: catastrophic-backtracking risk: {risk}")
    return compiled


def _rank(value: Any, where: str) -> int:
    if isinstance(value, str) and value in _RANKS:
        return _RANKS[value]
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 200:
        return value
    raise UserRulesError(f"{where}: expected cause, error, summary or a number 1-200, got {value!r}")


def _followed_by(value: Any, where: str) -> tuple[tuple[Cause, ...], int]:
    if value is None:
        return (), 0
    if not isinstance(value, dict) or set(value) - {"within", "causes"}:
        raise UserRulesError(f"{where}: expected a mapping with within and causes")
    within = value.get("within", 6)
    if not isinstance(within, int) or isinstance(within, bool) or not 1 <= within <= 50:
        raise UserRulesError(f"{where}.within: expected a number of lines 1-50")
    raw = value.get("causes")
    if not isinstance(raw, list) or not raw:
        raise UserRulesError(f"{where}.causes: expected a list of {{pattern, category, rank}}")
    causes = []
    for k, c in enumerate(raw):
        at = f"{where}.causes[{k}]"
        if not isinstance(c, dict) or set(c) - {"pattern", "category", "rank"}:
            raise UserRulesError(f"{at}: expected a mapping with pattern, category and optional rank")
        causes.append(Cause(_compile(_text(c, "pattern", at, required=True), f"{at}.pattern"),
                            _category(c.get("category"), f"{at}.category"), _rank(c.get("rank", "cause"), f"{at}.rank")))
    return tuple(causes), within


class _Loader(yaml.SafeLoader):
    """Safe YAML without aliases (no billion laughs) and with duplicate keys as errors."""

    def compose_node(self, parent, index):  # noqa: ANN001, ANN201 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.constructor.ConstructorError(None, None, "aliases are not allowed", event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # noqa: ANN001, ANN201
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                raise yaml.constructor.ConstructorError(None, None, "a mapping key must be a scalar", key_node.start_mark)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


def rules_version(user_rules: UserRules | None = None) -> str:
    """The built-in RULES_VERSION, plus a hash of the user rules when there are any."""
    from bloqr_dagster.build_errors.detectors import RULES_VERSION

    if user_rules is None or not user_rules.rules:
        return RULES_VERSION
    return f"{RULES_VERSION}+user.{user_rules.digest[:12]}"


def build_rules(user_rules: UserRules | None = None) -> RuleSet:
    """The rule set to diagnose with: the built-ins, plus the user rules when given."""
    if user_rules is None or not user_rules.rules:
        return default_rules()
    return _merged(user_rules)


_MERGED: dict[str, RuleSet] = {}  # digest -> rule set: a rule set keeps its caches between calls


def _merged(user_rules: UserRules) -> RuleSet:
    rules = _MERGED.get(user_rules.digest)
    if rules is None:
        if len(_MERGED) >= 8:
            _MERGED.clear()
        rules = _MERGED[user_rules.digest] = RuleSet(DETECTORS, user_rules.rules, version=rules_version(user_rules))
    return rules
