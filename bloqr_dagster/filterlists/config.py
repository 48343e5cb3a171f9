"""hostlist-compiler configuration: parsing and validation with errors that name the JSON path.

The schema is the reference's (`configuration.schema.json`, additionalProperties false everywhere)
plus its two runtime rules: no two different Validate* transformations in one list, and no Validate*
at the top level while a source also has one. Files are JSON, or YAML for `.yaml`/`.yml`.

Hostile files get one-line errors: a device, FIFO or oversized file, nesting too deep for the
parser, a number of more than 4,300 digits, a duplicate key (YAML and JSON alike: the reference's
JSON.parse would silently keep the last one), a lone surrogate in any string.

    config = load_config("config.json")       # -> CompileConfig, or ConfigError
    config = parse_config({"name": "x", "sources": [{"source": "list.txt"}]})
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

from bloqr_dagster.errors import BloqrError
from bloqr_dagster.filterlists.fetch import FetchError
from bloqr_dagster.filterlists.model import (
    TRANSFORMATIONS,
    VALIDATE_TRANSFORMATIONS,
    CompileConfig,
    SourceConfig,
)

LIST_FIELDS = ("transformations", "exclusions", "exclusions_sources", "inclusions", "inclusions_sources")
TOP_STRING_FIELDS = ("description", "homepage", "license", "version")
TOP_FIELDS = frozenset({"name", "sources", *TOP_STRING_FIELDS, *LIST_FIELDS})
SOURCE_FIELDS = frozenset({"source", "name", "type", *LIST_FIELDS})
SOURCE_TYPES = ("adblock", "hosts")
MAX_CONFIG_BYTES = 16 * 1024**2


class ConfigError(BloqrError):
    """An invalid configuration; the message starts with the JSON path of the offending value."""


def load_config(path: str | Path) -> CompileConfig:
    """Read and validate a JSON or YAML configuration file. Errors are prefixed with the file name."""
    from bloqr_dagster.filterlists.opener import read_local

    path = Path(path)
    try:
        raw = read_local(str(path), path, MAX_CONFIG_BYTES)
    except FetchError as exc:
        reason = exc.reason
        if reason.startswith("no such file"):
            reason = "no such file"
        elif reason.startswith("is a directory"):
            reason = "is a directory, not a configuration file"
        raise ConfigError(f"{path}: {reason}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not valid UTF-8 (byte {exc.start})") from None
    obj = _parse_text(path, text)
    try:
        return parse_config(obj)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def _parse_text(path: Path, text: str) -> object:
    suffix = path.suffix.lower()
    use_yaml = suffix in (".yaml", ".yml") or (suffix != ".json" and not text.lstrip().startswith(("{", "[")))
    if use_yaml:
        import yaml

        try:
            return yaml.load(text, Loader=_unique_key_loader())  # noqa: S506 - a SafeLoader subclass
        except yaml.constructor.ConstructorError as exc:
            if not exc.problem or not exc.problem.startswith("duplicate key"):
                raise ConfigError(f"{path}: invalid YAML: {exc.problem or exc}") from None
            mark = exc.problem_mark
            raise ConfigError(f"{path}: {exc.problem} at line {mark.line + 1} column {mark.column + 1}") from None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
            raise ConfigError(f"{path}: invalid YAML{where}: {exc.problem or exc.context}") from None
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: invalid YAML: {str(exc).splitlines()[0]}") from None
        except RecursionError:
            raise ConfigError(f"{path}: invalid YAML: nested too deeply") from None
        except ValueError as exc:  # e.g. an integer of more than 4,300 digits
            raise ConfigError(f"{path}: invalid YAML: {_first_line(exc)}") from None
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid JSON: nested too deeply") from None
    except ValueError as exc:
        raise ConfigError(f"{path}: invalid JSON: {_first_line(exc)}") from None


def _first_line(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text.split("; use sys.set_int_max_str_digits")[0]


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {_printable(key)}")
        result[key] = value
    return result


def _printable(text: object) -> str:
    """repr() that never fails to print, whatever the text holds (lone surrogates included)."""
    return ascii(text) if isinstance(text, str) and not text.isprintable() else repr(text)


def _unique_key_loader() -> type:
    import yaml

    class UniqueKeyLoader(yaml.SafeLoader):
        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                try:
                    duplicate = key in seen
                    seen.add(key)
                except TypeError:
                    continue  # an unhashable key: SafeLoader reports it itself
                if duplicate:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping", node.start_mark, f"duplicate key {_printable(key)}",
                        key_node.start_mark)
            return super().construct_mapping(node, deep=deep)

    return UniqueKeyLoader


def parse_config(obj: object) -> CompileConfig:
    """Validate a decoded configuration (dicts and lists) and build the CompileConfig."""
    top = _expect_object(obj, "")
    _reject_unknown(top, TOP_FIELDS, "")
    _require(top, ("name", "sources"), "")
    name = _non_empty_string(top["name"], "name")
    raw_sources = top["sources"]
    if not isinstance(raw_sources, list):
        raise ConfigError(f"sources: expected an array, got {_kind(raw_sources)}")
    if not raw_sources:
        raise ConfigError("sources: must contain at least one source")
    sources = tuple(_parse_source(item, f"sources[{i}]") for i, item in enumerate(raw_sources))
    strings = {key: _optional_string(top, key, key) for key in TOP_STRING_FIELDS}
    config = CompileConfig(name=name, sources=sources, **strings, **_lists(top, ""))
    _check_cross_level_validation(config)
    return config


def _parse_source(obj: object, path: str) -> SourceConfig:
    item = _expect_object(obj, path)
    _reject_unknown(item, SOURCE_FIELDS, path)
    _require(item, ("source",), path)
    source = _non_empty_string(item["source"], f"{path}.source")
    name = _non_empty_string(item["name"], f"{path}.name") if "name" in item else None
    kind = _optional_string(item, "type", f"{path}.type")
    if kind is not None and kind not in SOURCE_TYPES:
        raise ConfigError(f"{path}.type: must be 'adblock' or 'hosts', got {kind!r}")
    return SourceConfig(source=source, name=name, type=kind, **_lists(item, path))


def _lists(obj: dict[str, Any], path: str) -> dict[str, tuple[str, ...]]:
    values = {key: _string_list(obj[key], _join(path, key)) for key in LIST_FIELDS if key in obj}
    if "transformations" in values:
        _check_transformations(values["transformations"], _join(path, "transformations"))
    return values


def _check_transformations(names: tuple[str, ...], path: str) -> None:
    for i, name in enumerate(names):
        if name not in TRANSFORMATIONS:
            guess = difflib.get_close_matches(name, TRANSFORMATIONS, n=1)
            hint = f"did you mean '{guess[0]}'? " if guess else ""
            raise ConfigError(
                f"{path}[{i}]: unknown transformation {name!r} ({hint}valid: {', '.join(TRANSFORMATIONS)})")
    validations = list(dict.fromkeys(n for n in names if n in VALIDATE_TRANSFORMATIONS))
    if len(validations) > 1:
        raise ConfigError(f"{path}: Validation transformations cannot be combined: {', '.join(validations)}")


def _check_cross_level_validation(config: CompileConfig) -> None:
    top = [n for n in dict.fromkeys(config.transformations) if n in VALIDATE_TRANSFORMATIONS]
    if not top:
        return
    for i, source in enumerate(config.sources):
        own = [n for n in dict.fromkeys(source.transformations) if n in VALIDATE_TRANSFORMATIONS]
        if own:
            raise ConfigError(
                f"sources[{i}].transformations: Validation transformations cannot be used at both source "
                f"and top level (the source has {', '.join(own)}, the top level {', '.join(top)})")


# -- small typed accessors --------------------------------------------------------------------


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _expect_object(obj: object, path: str) -> dict[str, Any]:
    if not isinstance(obj, dict):
        where = path or "configuration"
        raise ConfigError(f"{where}: expected an object, got {_kind(obj)}")
    return obj


def _reject_unknown(obj: dict[str, Any], allowed: frozenset[str], path: str) -> None:
    for key in obj:
        if key not in allowed:
            name = str(key)[:200] if str(key)[:200].isprintable() else ascii(str(key)[:200])
            guess = difflib.get_close_matches(name, sorted(allowed), n=1)
            hint = f" (did you mean '{guess[0]}'?)" if guess else ""
            raise ConfigError(f"{_join(path, name)}: unknown field {_printable(str(key)[:200])}{hint}")


def _require(obj: dict[str, Any], keys: tuple[str, ...], path: str) -> None:
    for key in keys:
        if key not in obj:
            raise ConfigError(f"{path or 'configuration'}: missing required field {key!r}")


def _non_empty_string(value: object, path: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{path}: expected a string, got {_kind(value)}")
    if not value:
        raise ConfigError(f"{path}: must not be empty")
    return _valid_unicode(value, path)


def _valid_unicode(value: str, path: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ConfigError(f"{path}: contains a lone surrogate (U+{ord(value[exc.start]):04X} at character "
                          f"{exc.start}), which is not valid Unicode") from None
    return value


def _optional_string(obj: dict[str, Any], key: str, path: str) -> str | None:
    if key not in obj:
        return None
    value = obj[key]
    if not isinstance(value, str):
        raise ConfigError(f"{path}: expected a string, got {_kind(value)}")
    return _valid_unicode(value, path)


def _string_list(value: object, path: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ConfigError(f"{path}: expected an array of strings, got {_kind(value)}")
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise ConfigError(f"{path}[{i}]: expected a string, got {_kind(item)}")
        _valid_unicode(item, f"{path}[{i}]")
    return tuple(value)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"number {value}" if not isinstance(value, int) or abs(value) < 10**50 else "a very large number"
    if isinstance(value, str):
        return f"string {_printable(value[:200])}"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__
