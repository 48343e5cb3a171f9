"""Configuration parsing and validation: the reference schema, with errors naming the JSON path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bloqr_dagster.errors import BloqrError
from bloqr_dagster.filterlists.config import ConfigError, load_config, parse_config
from bloqr_dagster.filterlists.model import CompileConfig, SourceConfig

FULL = {
    "name": "My list",
    "description": "d",
    "homepage": "https://example.org",
    "license": "MIT",
    "version": "1.2.3",
    "sources": [
        {"name": "one", "source": "one.txt", "type": "adblock",
         "transformations": ["Compress", "ValidateAllowIp"], "exclusions": ["x"],
         "exclusions_sources": ["ex.txt"], "inclusions": ["*"], "inclusions_sources": ["in.txt"]},
        {"source": "https://example.org/hosts.txt", "type": "hosts"},
    ],
    "transformations": ["Deduplicate", "RemoveEmptyLines", "Deduplicate"],
    "exclusions": ["||bad^"],
    "exclusions_sources": [],
    "inclusions": [],
    "inclusions_sources": ["keep.txt"],
}


def test_full_configuration_round_trips() -> None:
    config = parse_config(FULL)
    assert isinstance(config, CompileConfig)
    assert config.name == "My list" and config.version == "1.2.3"
    assert config.transformations == ("Deduplicate", "RemoveEmptyLines", "Deduplicate")
    assert config.sources[0] == SourceConfig(
        source="one.txt", name="one", type="adblock", transformations=("Compress", "ValidateAllowIp"),
        exclusions=("x",), exclusions_sources=("ex.txt",), inclusions=("*",), inclusions_sources=("in.txt",))
    assert config.sources[1].name is None and config.sources[1].transformations == ()
    assert config.inclusions_sources == ("keep.txt",)
    assert parse_config(config.to_dict()) == config


def test_minimal_configuration() -> None:
    config = parse_config({"name": "n", "sources": [{"source": "a.txt"}]})
    assert config == CompileConfig(name="n", sources=(SourceConfig(source="a.txt"),))


def with_changes(**changes: object) -> dict:
    obj = json.loads(json.dumps(FULL))
    obj.update(changes)
    return obj


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        ([], "configuration: expected an object, got array"),
        ({"sources": [{"source": "a"}]}, "configuration: missing required field 'name'"),
        ({"name": "n"}, "configuration: missing required field 'sources'"),
        ({"name": "", "sources": [{"source": "a"}]}, "name: must not be empty"),
        ({"name": 3, "sources": [{"source": "a"}]}, "name: expected a string, got number 3"),
        ({"name": "n", "sources": []}, "sources: must contain at least one source"),
        ({"name": "n", "sources": {"source": "a"}}, "sources: expected an array, got object"),
        ({"name": "n", "sources": ["a.txt"]}, "sources[0]: expected an object, got string 'a.txt'"),
        ({"name": "n", "sources": [{"source": "a"}, {"name": "x"}]}, "sources[1]: missing required field 'source'"),
        ({"name": "n", "sources": [{"source": ""}]}, "sources[0].source: must not be empty"),
        ({"name": "n", "sources": [{"source": "a", "name": ""}]}, "sources[0].name: must not be empty"),
        ({"name": "n", "sources": [{"source": "a", "type": "adguard"}]},
         "sources[0].type: must be 'adblock' or 'hosts', got 'adguard'"),
        (with_changes(extra=1), "extra: unknown field 'extra'"),
        ({"name": "n", "sources": [{"source": "a"}, {"source": "b"}, {"source": "c", "foo": 1}]},
         "sources[2].foo: unknown field 'foo'"),
        (with_changes(exclusion=["x"]), "exclusion: unknown field 'exclusion' (did you mean 'exclusions'?)"),
        (with_changes(description=None), "description: expected a string, got null"),
        (with_changes(exclusions="x"), "exclusions: expected an array of strings, got string 'x'"),
        (with_changes(inclusions=["a", 1]), "inclusions[1]: expected a string, got number 1"),
        (with_changes(transformations=["Deduplicate", True]), "transformations[1]: expected a string, got boolean true"),
        (with_changes(transformations=["Validate", "ValidateAllowIp"]),
         "transformations: Validation transformations cannot be combined: Validate, ValidateAllowIp"),
    ],
)
def test_invalid_configurations(obj: object, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(obj)
    assert str(info.value) == message
    assert isinstance(info.value, BloqrError)


def test_unknown_transformation_lists_the_valid_ones() -> None:
    obj = {"name": "n", "sources": [{"source": "a"}, {"source": "b", "transformations": ["Compress", "Dedupe"]}]}
    with pytest.raises(ConfigError) as info:
        parse_config(obj)
    assert str(info.value).startswith(
        "sources[1].transformations[1]: unknown transformation 'Dedupe' (did you mean 'Deduplicate'? "
        "valid: ConvertToAscii, TrimLines, RemoveComments,")


def test_validation_at_source_and_top_level_is_rejected() -> None:
    obj = {"name": "n", "transformations": ["Validate"],
           "sources": [{"source": "a"}, {"source": "b", "transformations": ["ValidateAllowIp"]}]}
    with pytest.raises(ConfigError) as info:
        parse_config(obj)
    # the reference's wording (hostlist-compiler's compile()), after the field it is about
    assert str(info.value) == ("sources[1].transformations: Validation transformations cannot be used at both "
                               "source and top level (the source has ValidateAllowIp, the top level Validate)")
    # either level alone is fine, and the same validation twice is not a combination
    obj["transformations"] = ["Deduplicate"]
    parse_config(obj)
    parse_config({"name": "n", "transformations": ["Validate", "Validate"], "sources": [{"source": "a"}]})


def test_load_json_and_yaml_files(tmp_path: Path) -> None:
    (tmp_path / "c.json").write_text(json.dumps(FULL), encoding="utf-8")
    yaml_text = "name: My list\nsources:\n  - source: a.txt\n    type: hosts\ntransformations: [Compress]\n"
    (tmp_path / "c.yaml").write_text(yaml_text, encoding="utf-8")
    (tmp_path / "c.yml").write_text(yaml_text, encoding="utf-8")
    (tmp_path / "noext").write_text(yaml_text, encoding="utf-8")
    (tmp_path / "bom.json").write_bytes(b"\xef\xbb\xbf" + json.dumps(FULL).encode())
    assert load_config(tmp_path / "c.json") == parse_config(FULL) == load_config(tmp_path / "bom.json")
    from_yaml = load_config(tmp_path / "c.yaml")
    assert from_yaml.sources[0].type == "hosts" and from_yaml.transformations == ("Compress",)
    assert load_config(tmp_path / "c.yml") == from_yaml == load_config(tmp_path / "noext")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("config.json", '{\n  "name": "x",\n  "sources": [}\n', "config.json: invalid JSON at line 3 column 15: "),
        ("config.json", "", "config.json: invalid JSON at line 1 column 1: Expecting value"),
        ("config.yaml", "name: x\nsources:\n  - source: a\n bad: [\n", "config.yaml: invalid YAML at line "),
        ("config.yaml", "name: x\nsources: [a\n", "config.yaml: invalid YAML at line 3 column 1: "),
        ("config.yaml", "- 1\n- 2\n", "config.yaml: configuration: expected an object, got array"),
        ("config.json", '{"name": "x", "sources": [{"source": "a", "foo": 1}]}',
         "config.json: sources[0].foo: unknown field 'foo'"),
    ],
)
def test_load_errors_name_the_file(tmp_path: Path, name: str, content: str, message: str) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / name)
    assert str(info.value).startswith(str(tmp_path / message.split(":", 1)[0]) + ":" + message.split(":", 1)[1])
    assert "\n" not in str(info.value)


def test_missing_file_and_non_utf8(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"config.json: no such file$"):
        load_config(tmp_path / "config.json")
    with pytest.raises(ConfigError, match=r": is a directory"):
        load_config(tmp_path)
    (tmp_path / "latin.json").write_bytes(b'{"name": "caf\xe9"}')
    with pytest.raises(ConfigError, match=r"latin.json: not valid UTF-8 \(byte 13\)"):
        load_config(tmp_path / "latin.json")
