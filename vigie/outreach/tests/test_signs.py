"""Signs of a minor in an ad: the bundled catalogue is sound, a broken one is refused by name,
and each kind of sign matches and explains itself (issue 10; seed 000 §III.4)."""

import copy
import functools
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.utils import translation

from vigie.outreach.signs import (
    DEFAULT_PATH,
    KINDS,
    SignsCatalogue,
    SignsCatalogueError,
    signs_catalogue,
    signs_catalogue_check,
    signs_catalogue_load,
    signs_catalogue_parse,
    signs_for_ad,
)

GIRL_MEDIUM_SKIN = "\U0001f467\U0001f3fd"  # girl + skin-tone modifier
GIRL = "\U0001f467"
LOLLIPOP = "\U0001f36d"
SCHOOL_BAG_TEXT_STYLE = "\U0001f392\ufe0e"  # school bag + text variation selector
SCHOOL_BAG = "\U0001f392"
NEUTRAL_ADS = (
    "Femme 35 ans, massage relaxant, disponible en soirée. Petites annonces sérieuses.",
    "Nouvelle sur Lyon, jeune femme de 28 ans, cours de yoga, bac+3, interdit aux mineurs.",
    "J'ai 10 ans d'expérience, coquine et adorable, une petite annonce pour vous.",
)


@functools.cache
def _bundled_data() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))


def _raw() -> dict[str, Any]:
    return copy.deepcopy(_bundled_data())


def _sign(data: dict[str, Any], sign_id: str) -> dict[str, Any]:
    return next(item for item in data["signs"] if item["id"] == sign_id)


def _ids(text: str, declared_age: int | None = None, flags: frozenset[str] = frozenset()):
    return signs_for_ad(text=text, declared_age=declared_age, worker_flags=set(flags)).sign_ids


# --- the bundled catalogue --------------------------------------------------------------------


def test_the_bundled_catalogue_loads_with_every_kind_both_languages_and_a_source():
    catalogue = signs_catalogue()
    assert catalogue.version == "2026-12-04"
    assert {s.kind for s in catalogue.signs.values()} == set(KINDS)
    for sign in catalogue.signs.values():
        assert sign.label["fr"] != sign.label["en"], sign.id
        assert sign.why["fr"] != sign.why["en"], sign.id
        assert sign.source in catalogue.sources
    # Everything cited is in the seeds, or said to be outreach practice.
    assert set(catalogue.sources) == {"collective_2022", "ecpat_2007", "outreach_practice"}
    assert "§III.4" in catalogue.signs["declared_age.minor"].why["en"]
    assert "225-12-1" in catalogue.signs["declared_age.minor"].why["fr"]
    assert catalogue.worker_flags == {"photos_look_young"}


def test_the_bundled_catalogue_is_cached_and_the_start_up_check_passes():
    assert signs_catalogue() is signs_catalogue()
    signs_catalogue_check()


def test_a_catalogue_file_is_loaded_from_a_path(tmp_path: Path):
    path = tmp_path / "signs.yaml"
    data = _raw()
    data["version"] = "2027-01-15"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert signs_catalogue_load(path).version == "2027-01-15"


def test_an_unquoted_date_version_is_read_as_the_same_text():
    data = _raw()
    data["version"] = yaml.safe_load("2026-12-04")  # a datetime.date, as YAML reads it
    assert signs_catalogue_parse(data).version == "2026-12-04"


# --- a broken catalogue is refused, naming the entry ------------------------------------------


def _refused(data: dict[str, Any]) -> str:
    with pytest.raises(SignsCatalogueError) as error:
        signs_catalogue_parse(data)
    return str(error.value)


def test_a_sign_without_why_is_refused_by_name():
    data = _raw()
    del _sign(data, "vocabulary.adolescent")["why"]
    assert _refused(data) == "sign 'vocabulary.adolescent': key 'why': missing"


def test_a_sign_without_its_english_why_is_refused_by_name():
    data = _raw()
    del _sign(data, "school.pupil")["why"]["en"]
    assert _refused(data) == "sign 'school.pupil': key 'why.en': missing"


def test_an_unknown_kind_is_refused_by_name():
    data = _raw()
    _sign(data, "emoji.school")["kind"] = "photo"
    message = _refused(data)
    assert message.startswith("sign 'emoji.school': key 'kind': unknown value 'photo'")


def test_a_duplicate_id_is_refused_by_name():
    data = _raw()
    data["signs"].append(copy.deepcopy(_sign(data, "vocabulary.student")))
    assert _refused(data) == "sign 'vocabulary.student': key 'id': duplicate id"


@pytest.mark.parametrize(
    ("sign_id", "key", "value", "expected"),
    [
        ("vocabulary.petite", "weight", "huge", "key 'weight': unknown value 'huge'"),
        ("vocabulary.petite", "source", "ocrteh", "key 'source': unknown source 'ocrteh'"),
        ("vocabulary.petite", "emojis", ["\U0001f36d"], "key 'emojis': unknown key"),
        ("vocabulary.petite", "patterns", ["petite("], "not a valid regular expression"),
        ("vocabulary.petite", "patterns", ["(?:x)?"], "matches the empty text"),
        ("vocabulary.petite", "patterns", ["lycéenne"], "without accents"),
        ("emoji.school", "emojis", ["ab"], "must be one emoji code point"),
        ("emoji.school", "emojis", [GIRL], "'\U0001f467' is already in sign 'emoji.child_figure'"),
        ("school.pupil", "terms", ["Ado"], "'Ado' is already in sign 'vocabulary.adolescent'"),
        ("school.pupil", "terms", ["Lycée", "lycee"], "repeats a term"),
        ("declared_age.minor", "age", {"max": 200}, "key 'age.max': must be a whole number"),
        ("declared_age.minor", "age", {"min": 19, "max": 17}, "min 19 is above max 17"),
        ("declared_age.minor", "with_other_sign", "yes", "must be true or false"),
        ("worker_judgement.photos_look_young", "flag", "Looks Young", "lowercase letters"),
    ],
)
def test_each_rule_refuses_a_broken_entry_by_name(sign_id, key, value, expected):
    data = _raw()
    _sign(data, sign_id)[key] = value
    message = _refused(data)
    assert message.startswith(f"sign '{sign_id}'")
    assert expected in message


def test_an_id_that_does_not_start_with_its_kind_is_refused_by_name():
    data = _raw()
    _sign(data, "vocabulary.petite")["id"] = "school.petite"
    message = _refused(data)
    assert message.startswith("sign 'school.petite': key 'id': must read 'vocabulary.<slug>'")


def test_a_text_sign_needs_a_term_or_a_pattern():
    data = _raw()
    del _sign(data, "vocabulary.petite")["patterns"]
    assert "needs at least one term or pattern" in _refused(data)


def test_a_version_that_is_not_a_date_is_refused():
    data = _raw()
    data["version"] = "v2"
    assert _refused(data).startswith("catalogue: key 'version': must be a date YYYY-MM-DD")


def test_an_unreadable_file_is_refused_naming_it(tmp_path: Path):
    path = tmp_path / "signs.yaml"
    path.write_text("signs: [unclosed", encoding="utf-8")
    with pytest.raises(SignsCatalogueError, match="not valid YAML"):
        signs_catalogue_load(path)


# --- declared age -----------------------------------------------------------------------------


def test_a_declared_16_is_a_declared_minor_strong_sign_and_top_priority():
    result = signs_for_ad(text="Dispo ce soir", declared_age=16, worker_flags=set())
    assert result.declared_minor is True
    assert result.priority == 3
    (match,) = result.signs
    assert (match.id, match.weight, match.found) == ("declared_age.minor", "strong", ("16",))


def test_a_declared_18_alone_is_no_sign():
    result = signs_for_ad(text="Dispo ce soir", declared_age=18, worker_flags=set())
    assert (result.signs, result.declared_minor, result.priority) == ((), False, 0)


def test_a_declared_18_with_an_emoji_sign_is_medium():
    result = signs_for_ad(text=f"Dispo ce soir {LOLLIPOP}", declared_age=18, worker_flags=set())
    assert result.sign_ids == ("declared_age.just_adult", "emoji.childhood_objects")
    assert result.signs[0].weight == "medium"
    assert result.priority == 2
    assert result.declared_minor is False


def test_a_declared_20_with_other_signs_adds_no_age_sign():
    assert _ids(f"Dispo {LOLLIPOP}", declared_age=20) == ("emoji.childhood_objects",)


def test_no_declared_age_gives_no_age_sign():
    result = signs_for_ad(text=f"Dispo {LOLLIPOP}", declared_age=None, worker_flags=set())
    assert result.sign_ids == ("emoji.childhood_objects",)
    assert result.declared_minor is False


@pytest.mark.parametrize("age", [-1, True, 16.5])
def test_a_declared_age_that_is_not_a_whole_number_of_years_is_an_error(age):
    with pytest.raises(ValueError, match="declared_age"):
        signs_for_ad(text="", declared_age=age, worker_flags=set())


# --- text signs -------------------------------------------------------------------------------


def test_a_vocabulary_sign_matches_and_explains_itself():
    result = signs_for_ad(
        text="Toute jeune, 18 ans tout juste !", declared_age=None, worker_flags=set()
    )
    assert result.sign_ids == ("vocabulary.just_adult", "vocabulary.very_young")
    just_adult = result.signs[0]
    assert just_adult.found == ("18 ans tout juste",)
    assert just_adult.label == "Insiste sur une majorité toute récente"
    assert "§III.4" in just_adult.why
    with translation.override("en"):
        assert just_adult.label == "Stresses having only just turned 18"
        assert just_adult.why.startswith("Stressing “just 18”")
        assert just_adult.evidence == "Found in the text: 18 ans tout juste"


def test_matching_ignores_case_and_accents_and_shows_the_ad_words():
    result = signs_for_ad(
        text="LYCEENNE, dispo à la Sortie   des COURS", declared_age=None, worker_flags=set()
    )
    assert [(m.id, m.found) for m in result.signs] == [
        ("school.pupil", ("LYCEENNE",)),
        ("school.schedule", ("Sortie   des COURS",)),
    ]
    assert result.priority == 3
    # Accents in the ad, none in the catalogue's pattern; a typographic apostrophe.
    assert _ids("Âgée de 15 ans") == ("other.minority_stated",)
    assert _ids("j\u2019ai 16 ans") == ("other.minority_stated",)


def test_matching_needs_word_boundaries():
    # "petite" is not in "petites annonces" nor in "petite annonce"; "ado" not in "adorable".
    assert _ids("Petites annonces et petite annonce, adorable") == ()
    assert _ids("Petite brune") == ("vocabulary.petite",)
    assert _ids("ado") == ("vocabulary.adolescent",)


def test_school_references_match_but_adult_degrees_do_not():
    assert _ids("je passe mon bac") == ("school.institution",)
    assert _ids("bac+2 en commerce") == ()
    assert _ids("près du lycée") == ("school.institution",)


def test_a_minor_age_written_in_the_text_is_a_strong_sign():
    result = signs_for_ad(text="Sofia, 16 ans", declared_age=19, worker_flags=set())
    assert result.sign_ids == ("other.minority_stated", "declared_age.just_adult")
    assert result.signs[0].found == ("16 ans",)
    assert result.priority == 3
    # The age field says 19: the ad is not a *declared* minor, whatever its text says.
    assert result.declared_minor is False


@pytest.mark.parametrize("text", NEUTRAL_ADS)
def test_no_false_positive_on_neutral_text(text):
    result = signs_for_ad(text=text, declared_age=30, worker_flags=set())
    assert result.signs == ()
    assert result.priority == 0


# --- emojis -----------------------------------------------------------------------------------


def test_emojis_match_by_code_point_even_with_skin_tone_or_variation_selector():
    result = signs_for_ad(
        text=f"Coucou {GIRL_MEDIUM_SKIN} {SCHOOL_BAG_TEXT_STYLE}",
        declared_age=None,
        worker_flags=set(),
    )
    assert [(m.id, m.found) for m in result.signs] == [
        ("emoji.child_figure", (GIRL,)),
        ("emoji.school", (SCHOOL_BAG,)),
    ]
    with translation.override("en"):
        assert result.signs[0].evidence == f"Emoji in the ad: {GIRL}"
        assert result.signs[0].label == "Child emoji"


# --- worker's judgement -----------------------------------------------------------------------


def test_the_worker_flag_is_a_strong_sign():
    result = signs_for_ad(
        text="Dispo ce soir", declared_age=None, worker_flags={"photos_look_young"}
    )
    (match,) = result.signs
    assert (match.id, match.weight, result.priority) == (
        "worker_judgement.photos_look_young",
        "strong",
        3,
    )
    assert match.label == "Photos jugées jeunes par l’intervenant"
    assert "ECPAT France 2007 (§V.5)" in match.why
    with translation.override("en"):
        assert match.label == "Photos judged young by the worker"
        assert match.evidence == "Ticked by the worker"


def test_an_unknown_worker_flag_is_an_error_not_ignored():
    with pytest.raises(ValueError, match="unknown worker flag"):
        signs_for_ad(text="", declared_age=None, worker_flags={"photo_look_young"})


# --- ordering and priority --------------------------------------------------------------------


def test_signs_come_strongest_first_and_priority_sorts_the_ads():
    catalogue: SignsCatalogue = signs_catalogue()
    ads = {
        "none": signs_for_ad(text=NEUTRAL_ADS[0], declared_age=25, worker_flags=set()),
        "weak": signs_for_ad(text="étudiante", declared_age=None, worker_flags=set()),
        "medium": signs_for_ad(text="après le lycée", declared_age=None, worker_flags=set()),
        "strong": signs_for_ad(
            text=f"débutante {LOLLIPOP} collégienne",
            declared_age=None,
            worker_flags=set(),
            catalogue=catalogue,
        ),
    }
    assert {name: ad.priority for name, ad in ads.items()} == {
        "none": 0,
        "weak": 1,
        "medium": 2,
        "strong": 3,
    }
    assert [m.weight for m in ads["strong"].signs] == ["strong", "weak", "weak"]
    assert ads["strong"].catalogue_version == catalogue.version
    ranked = sorted(ads, key=lambda name: -ads[name].priority)
    assert ranked == ["strong", "medium", "weak", "none"]
