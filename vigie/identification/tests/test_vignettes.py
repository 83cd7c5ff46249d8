"""Vignettes from the seed reports, run through the engine with the real catalogue.

Each vignette's expected assessment, minor status, forms and complete action list were worked out
by hand from the identification issue (rules 1-5); see vignettes.yaml for the readings."""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from vigie.identification import engine
from vigie.identification.catalogue import load_catalogue
from vigie.identification.engine import screen

HERE = Path(__file__).parent
VIGNETTES = yaml.safe_load((HERE / "vignettes.yaml").read_text(encoding="utf-8"))["vignettes"]
SCHEMA_DIR = Path(engine.__file__).parent / "schema"
INPUT_VALIDATOR = jsonschema.Draft202012Validator(
    json.loads((SCHEMA_DIR / "screening-input.schema.json").read_text())
)
OUTPUT_VALIDATOR = jsonschema.Draft202012Validator(
    json.loads((SCHEMA_DIR / "screening-output.schema.json").read_text())
)
EXPECTED_KEYS = ["assessment", "minor", "forms", "actions"]


def _result(vignette):
    return screen(vignette["input"], catalogue=load_catalogue())


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v["id"] for v in VIGNETTES])
def test_vignette(vignette):
    INPUT_VALIDATOR.validate(vignette["input"])
    result = _result(vignette)
    OUTPUT_VALIDATOR.validate(result)
    assert {key: result[key] for key in EXPECTED_KEYS} == vignette["expected"]


def test_vignettes_are_well_formed_and_many():
    assert len(VIGNETTES) >= 35
    assert len({v["id"] for v in VIGNETTES}) == len(VIGNETTES)
    for vignette in VIGNETTES:
        assert set(vignette) == {"id", "title", "seed", "input", "expected"}, vignette["id"]
        assert vignette["title"].strip() and vignette["seed"].strip(), vignette["id"]
        assert list(vignette["expected"]) == EXPECTED_KEYS, vignette["id"]


def test_vignettes_cover_every_rule_action_situation_and_outcome():
    results = [_result(vignette) for vignette in VIGNETTES]
    fired = {rule["id"] for result in results for rule in result["rules"]}
    rule_schema = engine.RULE_TEXTS.keys() - {"action"}
    assert rule_schema <= fired, rule_schema - fired
    assert {a for result in results for a in result["actions"]} == set(engine.ACTIONS)
    assert {r["assessment"] for r in results} == set(engine.ASSESSMENTS)
    assert {r["minor"] for r in results} == set(engine.MINOR_STATUSES)
    assert {f for r in results for f in r["forms"]} == set(engine.FORMS)
    used = {s for v in VIGNETTES for s in v["input"].get("situations", [])}
    assert used == set(engine.SITUATIONS)
    assert {key for v in VIGNETTES for key in v["input"]} == set(engine.INPUT_FIELDS)
    lists = {i.split(".")[0] for v in VIGNETTES for i in v["input"].get("indicators", [])}
    assert lists == {"child_labour", "child_sexual", "french_field"}
