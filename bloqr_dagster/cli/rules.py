"""`bloqr rules check [FILE]`: validate user rules and show what they claim in a corpus of real logs.

    bloqr rules check rules.yaml                  # lint against tests/data/buildlogs (train split) + dev set
    bloqr rules check rules.yaml --corpus DIR --split all
    bloqr rules check --builtin                   # the built-in rules: lines claimed per rule and branch

A user rules file is validated (one line per problem, exit 1), its patterns are probed with
pathological lines, and each rule's claims are listed: how many corpus lines and log lines it
decides, examples (masked), and which built-in decisions it changes (category before -> after),
plus the logs whose primary error changes. The corpus is `--corpus DIR`, else the project's
`tests/data/buildlogs` when present; the development set `../shared/buildlogs` is added when
present (`--dev DIR`). Only the train split is read unless `--split` says otherwise: the
validation split is kept for honest accuracy figures.
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bloqr_dagster.errors import BloqrError

if TYPE_CHECKING:  # the detectors load when a command runs, not when the parser is built
    from bloqr_dagster.build_errors.detectors import ErrorHit, RuleSet

ROOT = Path(__file__).resolve().parents[2]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("rules", help="check user rules (YAML) against a corpus of real build logs",
                                   description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="rules_command", required=True, metavar="ACTION")
    check = sub.add_parser("check", help="validate a rules file and show which lines each rule claims",
                           description=__doc__.split("\n\n", 1)[1])
    check.add_argument("file", nargs="?", metavar="FILE",
                       help="user rules (default: $BLOQR_RULES_FILE, else $BLOQR_HOME/rules.yaml)")
    check.add_argument("--builtin", action="store_true", help="report on the built-in rules instead")
    check.add_argument("--corpus", type=Path, help="corpus folder (default: tests/data/buildlogs when present)")
    check.add_argument("--dev", type=Path, help="development set folder (default: ../shared/buildlogs when present)")
    check.add_argument("--split", choices=("train", "validation", "all"), default="train",
                       help="corpus split to read (default: train)")
    check.add_argument("--examples", type=int, default=3, help="example lines shown per rule (default 3)")
    check.set_defaults(func=_check)


def _corpus_dirs(args: argparse.Namespace) -> tuple[Path | None, Path | None]:
    corpus = args.corpus
    if corpus is not None and not corpus.is_dir():
        raise BloqrError(f"--corpus {corpus}: not a directory")
    if corpus is None:
        for candidate in (Path("tests/data/buildlogs"), ROOT / "tests" / "data" / "buildlogs"):
            if candidate.is_dir():
                corpus = candidate
                break
    dev = args.dev
    if dev is not None and not (dev / "dev_lines.jsonl").is_file():
        raise BloqrError(f"--dev {dev}: no dev_lines.jsonl there")
    if dev is None and (ROOT.parent / "shared" / "buildlogs" / "dev_lines.jsonl").is_file():
        dev = ROOT.parent / "shared" / "buildlogs"
    return corpus, dev


def _items(args: argparse.Namespace) -> tuple[list, list, str]:
    """(lines, logs, description) of the corpus to check against: (label, line) and (label, path)."""
    from bloqr_dagster.build_errors.detectors import corpus as corpus_mod

    corpus, dev = _corpus_dirs(args)
    split = None if args.split == "all" else args.split
    lines, logs, parts = [], [], []
    try:
        if corpus is not None:
            c_lines, c_logs = corpus_mod.load_lines(corpus, split), corpus_mod.load_logs(corpus, split)
            lines += [(f"corpus {x.id}", x.line) for x in c_lines]
            logs += [(f"corpus {x.path.relative_to(corpus)}", x.path) for x in c_logs]
            parts.append(f"{corpus} ({args.split} split): {len(c_lines):,} lines, {len(c_logs):,} logs")
        if dev is not None:
            d_lines, d_logs = corpus_mod.load_dev_lines(dev), corpus_mod.load_dev_logs(dev)
            lines += [(f"dev {x.id}", x.line) for x in d_lines]
            logs += [(f"dev {x.path.name}", x.path) for x in d_logs]
            parts.append(f"development set {dev}: {len(d_lines):,} lines, {len(d_logs):,} logs")
    except (corpus_mod.CorpusError, OSError) as exc:
        raise BloqrError(str(exc)) from None
    if not parts:
        raise BloqrError("no corpus found: give --corpus DIR (or --dev DIR)")
    return lines, logs, "; ".join(parts)


def _decisions(rules: RuleSet, text_lines: list[str]) -> list[tuple[int | None, str | None]]:
    """Per line: (index of the deciding rule or None, category or None) as a one-line log."""
    from bloqr_dagster.build_errors.detectors import diagnose

    out = []
    for line in text_lines:
        idx = rules.deciding(line)[0] if rules.prefilter.search(line.lower()) else None
        errors = diagnose(line, rules).errors
        out.append((idx, errors[0].error_code if errors else None))
    return out


def _check(args: argparse.Namespace) -> int:
    from bloqr_dagster.build_errors.detectors import (
        UserRulesError,
        build_rules,
        diagnose_file,
        load_user_rules,
        masking,
        pathological,
    )

    if args.builtin:
        return _check_builtin(args)
    try:
        user = load_user_rules(args.file)
    except UserRulesError as exc:
        raise BloqrError(str(exc)) from None
    if user is None:
        raise BloqrError("no user rules: give FILE, set $BLOQR_RULES_FILE or create $BLOQR_HOME/rules.yaml")
    for i, rule in enumerate(user.rules):
        slow = pathological.probe(rule.pattern, rule.keywords)
        if slow:
            raise BloqrError(f"{user.path}: rules[{i}].pattern: catastrophic-backtracking risk: {slow}")
    builtin, merged = build_rules(None), build_rules(user)
    print(f"{user.path}: {len(user.rules)} rules, valid (rules version {merged.version})")
    lines, logs, described = _items(args)
    print(f"checked against {described}\n")

    from bloqr_dagster.build_errors.detectors.prefixes import message
    from bloqr_dagster.cli.progress import progress

    claims: dict[str, list[str]] = defaultdict(list)
    changes: dict[str, Counter] = defaultdict(Counter)
    change_examples: dict[tuple[str, str], str] = {}
    log_lines: list[tuple[str, str]] = []
    with progress(len(logs), "reading logs", "log") as bar:
        for label, path in logs:
            text = path.read_text(encoding="utf-8", errors="replace").splitlines()
            log_lines += [(f"{label}:{n}", line) for n, line in enumerate(text, 1)]
            bar.update(1)
    everything = [*lines, *log_lines]
    texts = [t for _, t in everything]
    with progress(2, "classifying", "pass") as bar:
        before = _decisions(builtin, texts)
        bar.update(1)
        after = _decisions(merged, texts)
        bar.update(1)
    for (label, text), (_, old), (idx, new) in zip(everything, before, after, strict=True):
        if idx is None or idx >= merged.user_count:
            continue
        name = merged.rules[idx].name
        claims[name].append(f"{label}  {masking.sample(message(text))[:110]}")
        if old != new:
            key = f"{old or '(not an error)'} -> {new or '(not an error)'}"
            changes[name][key] += 1
            change_examples.setdefault((name, key), label)
    for rule in user.rules:
        found = claims.get(rule.name, [])
        print(f"{rule.name}  {rule.error_code}  claims {len(found):,} line{'s' if len(found) != 1 else ''}"
              + ("   (claims nothing in this corpus)" if not found else ""))
        if rule.description:
            print(f"    {rule.description}")
        for example in found[: args.examples]:
            print(f"    {example}")
        if changes.get(rule.name):
            total = sum(changes[rule.name].values())
            print(f"  changes {total:,} built-in decision{'s' if total != 1 else ''}:")
            for key, n in changes[rule.name].most_common():
                print(f"    {key}: {n:,} (e.g. {change_examples[(rule.name, key)]})")
    moved = []
    for label, path in logs:
        a, b = diagnose_file(path, builtin).primary, diagnose_file(path, merged).primary
        if (a and (a.error_code, a.line_no)) != (b and (b.error_code, b.line_no)):
            moved.append(f"    {label}: {_show(a)} -> {_show(b)}")
    print(f"\nlogs whose primary error changes: {len(moved)}")
    for line in moved:
        print(line)
    return 0


def _show(hit: ErrorHit | None) -> str:
    return f"{hit.error_code} (line {hit.line_no})" if hit is not None else "none"


def _check_builtin(args: argparse.Namespace) -> int:
    """Lines claimed per built-in rule and per branch; branches claiming 0 or 1 line are flagged."""
    import re

    from bloqr_dagster.build_errors.detectors import default_rules
    from bloqr_dagster.build_errors.detectors.regex_analysis import split_branches

    rules = default_rules()
    lines, logs, described = _items(args)
    texts = [t for _, t in lines]
    for _, path in logs:
        texts += path.read_text(encoding="utf-8", errors="replace").splitlines()
    print(f"built-in rules {rules.version}, checked against {described}\n")
    per_branch: dict[tuple[int, int], int] = Counter()
    per_rule: Counter = Counter()
    for text, (idx, _) in zip(texts, _decisions(rules, texts), strict=True):
        if idx is None:
            continue
        per_rule[idx] += 1
        clean = rules.deciding(text)[1]
        rule = rules.rules[idx]
        for b, branch in enumerate(split_branches(rule.pattern.pattern)):
            if re.search(branch, clean, rule.pattern.flags):
                per_branch[(idx, b)] += 1
                break
    single = zero = 0
    for idx, rule in enumerate(rules.rules):
        branches = split_branches(rule.pattern.pattern)
        counts = [per_branch[(idx, b)] for b in range(len(branches))]
        zero += counts.count(0)
        single += counts.count(1)
        flags = "".join(" <-0" if n == 0 else " <-1" if n == 1 else "" for n in counts)
        print(f"{rule.name:34} {rule.error_code:26} {per_rule[idx]:>6,} lines  branches {counts}{flags}")
    total = sum(len(split_branches(r.pattern.pattern)) for r in rules.rules)
    print(f"\n{total} branches: {zero} claim no line, {single} claim exactly one line")
    return 0

