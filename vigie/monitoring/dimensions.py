"""The attributes statistics are disaggregated by, each with a fixed list of values.

A dimension's values never depend on the data (the years are the last ten, whatever the files
say): differential privacy requires the table's cells to be known before counting, and fixed
lists keep one year's tables comparable with the next. Every value of a dimension is a short code;
its label is read in the active language when shown.

A file is counted once in each table: its first recorded form of exploitation is its "main
form" (a table over forms then adds up to the number of files, which a multiple count would not).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vigie.cases.ages import age_on
from vigie.cases.models import (
    CareStatus,
    CaseStatus,
    ExploitationForm,
    Gender,
    ReferralSource,
    Schooling,
)
from vigie.identification.models import Assessment
from vigie.network.departements import departements_load

from . import rights_dimensions as rights
from .countries import countries_load

UNKNOWN = "unknown"
YEARS_SHOWN = 10  # the year dimension: this year and the nine before, then "earlier"

Row = Mapping[str, Any]


class AgeBand(models.TextChoices):
    # The bands: early childhood, childhood, the two adolescent bands the seeds
    # distinguish (under 15: sexual majority; 15-17), and young adults the seeds follow to 21.
    B0_5 = "0-5", _("0-5 years")
    B6_11 = "6-11", _("6-11 years")
    B12_14 = "12-14", _("12-14 years")
    B15_17 = "15-17", _("15-17 years")
    B18_21 = "18-21", _("18-21 years")
    B22_PLUS = "22+", _("22 years and over")


class CtdcAgeBand(models.TextChoices):
    # CTDC codebook 2024, variable ageBroad (the em dash is CTDC's own spelling, kept in exports).
    B0_8 = "0-8", _("0-8 years")
    B9_17 = "9-17", _("9-17 years")
    B18_20 = "18-20", _("18-20 years")
    B21_23 = "21-23", _("21-23 years")
    B24_26 = "24-26", _("24-26 years")
    B27_29 = "27-29", _("27-29 years")
    B30_38 = "30-38", _("30-38 years")
    B39_47 = "39-47", _("39-47 years")
    B48_PLUS = "48+", _("48 years and over")


class Minor(models.TextChoices):
    MINOR = "minor", _("Minor")
    ADULT = "adult", _("Adult")


class YesNo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


NOT_SCREENED = "not_screened"


@dataclass(frozen=True)
class Dimension:
    """One attribute: its code, its name, its values in display order, and how a row gives it."""

    code: str
    label: str | Promise
    values: tuple[str, ...]
    labels: Callable[[], Mapping[str, str]]
    extract: Callable[[Row], str] = field(repr=False)
    # Annotations of rights_dimensions.ANNOTATIONS the row must carry (events, rights plan).
    needs: tuple[str, ...] = ()
    # The labels by language, read once: 250 country names per label asked would cost more
    # than the counting (dimensions are built per request, so the cache lives as long).
    _labels_by_language: dict[str, Mapping[str, str]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @cached_property
    def index(self) -> dict[str, int]:
        return {value: position for position, value in enumerate(self.values)}

    @property
    def cardinality(self) -> int:
        return len(self.values)

    def value_label(self, value: str) -> str:
        if value == UNKNOWN:
            return str(_("Not known"))
        language = get_language() or ""
        labels = self._labels_by_language.get(language)
        if labels is None:
            labels = self._labels_by_language[language] = self.labels()
        return str(labels.get(value, value))

    def encode(self, row: Row) -> int:
        """The position of the row's value; a value outside the list counts as not known."""
        value = self.extract(row)
        position = self.index.get(value)
        return self.index[UNKNOWN] if position is None else position


def _choices(choices: type[models.TextChoices]) -> Callable[[], Mapping[str, str]]:
    return lambda: {str(value): str(label) for value, label in choices.choices}


def age_at_identification(row: Row) -> int | None:
    """Age the day the file was opened, counted from the presumed birth month.

    ``majority_month`` is the month of the 18th birthday with the presumption of minority
    applied (vigie/cases/ages.py): a disputed or unknown birth day counts as the latest one, so
    statistics and rights speak of the same child.
    """
    majority: date | None = row["majority_month"]
    if majority is None:
        return None
    born = majority.replace(year=majority.year - 18)
    return max(age_on(born, row["identified_on"]), 0)


def _band(bands: tuple[tuple[int, str], ...]) -> Callable[[Row], str]:
    def extract(row: Row) -> str:
        age = age_at_identification(row)
        if age is None:
            return UNKNOWN
        for upper, band in bands:
            if age <= upper:
                return band
        return bands[-1][1]

    return extract


_AGE_BANDS = ((5, "0-5"), (11, "6-11"), (14, "12-14"), (17, "15-17"), (21, "18-21"), (999, "22+"))
_CTDC_BANDS = (
    (8, "0-8"),
    (17, "9-17"),
    (20, "18-20"),
    (23, "21-23"),
    (26, "24-26"),
    (29, "27-29"),
    (38, "30-38"),
    (47, "39-47"),
    (999, "48+"),
)


def _main_form(row: Row) -> str:
    forms = row["exploitation_forms"] or []
    return str(forms[0]) if forms else UNKNOWN


def _minor(row: Row) -> str:
    age = age_at_identification(row)
    if age is None:
        return UNKNOWN
    return Minor.MINOR if age < 18 else Minor.ADULT


def _yes_no(name: str) -> Callable[[Row], str]:
    return lambda row: YesNo.YES if row[name] else YesNo.NO


def _nationality(row: Row) -> str:
    return (row["nationality"] or "").strip().upper() or UNKNOWN


def _nationality_group(row: Row) -> str:
    country = countries_load().countries.get(_nationality(row))
    return country.group.code if country else UNKNOWN


def _region(row: Row) -> str:
    departement = departements_load().get((row["departement"] or "").strip().upper())
    return departement.region.code if departement else UNKNOWN


def _departement(row: Row) -> str:
    return (row["departement"] or "").strip().upper() or UNKNOWN


def _year_values(today: date) -> tuple[str, ...]:
    return (*(str(year) for year in range(today.year - YEARS_SHOWN + 1, today.year + 1)), "earlier")


def _year(first_year: int) -> Callable[[Row], str]:
    def extract(row: Row) -> str:
        year = row["identified_on"].year
        return str(year) if year >= first_year else "earlier"

    return extract


def _with_unknown(values: Any) -> tuple[str, ...]:
    return (*(str(value) for value in values), UNKNOWN)


def build_dimensions(today: date) -> dict[str, Dimension]:
    """Every dimension, by code, in the order forms and tables show them."""
    countries = countries_load()
    departements = departements_load()
    regions = {d.region.code: d.region.name for d in departements.values()}
    years = _year_values(today)
    dims = [
        Dimension(
            "form",
            _("Form of exploitation"),
            _with_unknown(ExploitationForm.values),
            _choices(ExploitationForm),
            _main_form,
        ),
        Dimension(
            "age_band",
            _("Age at identification"),
            _with_unknown(AgeBand.values),
            _choices(AgeBand),
            _band(_AGE_BANDS),
        ),
        Dimension(
            "age_ctdc",
            _("Age at identification (CTDC bands)"),
            _with_unknown(CtdcAgeBand.values),
            _choices(CtdcAgeBand),
            _band(_CTDC_BANDS),
        ),
        Dimension(
            "minor", _("Minor or adult"), _with_unknown(Minor.values), _choices(Minor), _minor
        ),
        Dimension(
            "gender",
            _("Gender"),
            tuple(Gender.values),
            _choices(Gender),
            lambda row: str(row["gender"] or UNKNOWN),
        ),
        Dimension(
            "nationality",
            _("Nationality"),
            _with_unknown(countries.countries),
            lambda: {code: c.name for code, c in countries_load().countries.items()},
            _nationality,
        ),
        Dimension(
            "nationality_group",
            _("Nationality (regional group)"),
            _with_unknown(countries.groups),
            lambda: {code: g.name for code, g in countries_load().groups.items()},
            _nationality_group,
        ),
        Dimension(
            "unaccompanied",
            _("Unaccompanied"),
            tuple(YesNo.values),
            _choices(YesNo),
            _yes_no("unaccompanied"),
        ),
        Dimension(
            "care_status",
            _("Care status"),
            tuple(CareStatus.values),
            _choices(CareStatus),
            lambda row: str(row["care_status"]),
        ),
        Dimension(
            "disability",
            _("Disability"),
            tuple(YesNo.values),
            _choices(YesNo),
            _yes_no("disability"),
        ),
        Dimension("region", _("Région"), _with_unknown(regions), lambda: regions, _region),
        Dimension(
            "departement",
            _("Département"),
            _with_unknown(departements),
            lambda: {code: d.label for code, d in departements_load().items()},
            _departement,
        ),
        Dimension(
            "year",
            _("Year of identification"),
            years,
            lambda: {"earlier": str(_("Earlier"))},
            _year(int(years[0])),
        ),
        Dimension(
            "referral_source",
            _("Referral source"),
            _with_unknown(ReferralSource.values),
            _choices(ReferralSource),
            lambda row: str(row["referral_source"] or UNKNOWN),
        ),
        Dimension(
            "outcome",
            _("Identification outcome"),
            (*Assessment.values, NOT_SCREENED),
            lambda: {**dict(_choices(Assessment)()), NOT_SCREENED: str(_("Not screened"))},
            lambda row: str(row["assessment"] or NOT_SCREENED),
        ),
        Dimension(
            "status",
            _("Case status"),
            tuple(CaseStatus.values),
            _choices(CaseStatus),
            lambda row: str(row["status"]),
        ),
        *_rights_dimensions(),
    ]
    return {dim.code: dim for dim in dims}


def _right(code: str, label: Promise, right_id: str) -> Dimension:
    annotation = f"right_{right_id}"
    return Dimension(
        code,
        label,
        tuple(rights.RightObtained.values),
        _choices(rights.RightObtained),
        rights.right_obtained(annotation),
        needs=(annotation,),
    )


def _rights_dimensions() -> list[Dimension]:
    """Access to rights (issue 7's indicators), one value per file."""
    return [
        Dimension(
            "ad_hoc_administrator",
            _("Ad hoc administrator (unaccompanied minors)"),
            tuple(rights.AdHocAdministrator.values),
            _choices(rights.AdHocAdministrator),
            lambda row: rights.ad_hoc_administrator(row, minor=_minor(row) == Minor.MINOR),
        ),
        Dimension(
            "hotel",
            _("Ever placed in a hotel"),
            tuple(rights.EverInHotel.values),
            _choices(rights.EverInHotel),
            lambda row: rights.EverInHotel.YES if row["hotel"] else rights.EverInHotel.NO,
            needs=("hotel",),
        ),
        Dimension(
            "age_appeal",
            _("Age-dispute appeal and its duration"),
            tuple(rights.AgeAppealDuration.values),
            _choices(rights.AgeAppealDuration),
            rights.age_appeal_duration,
            needs=("appeal_filed_on", "appeal_decided_on"),
        ),
        _right("health_coverage", _("Health coverage"), "health_care"),
        _right("psychological_care", _("Psychological care"), "psychological_care"),
        _right(
            "schooling_right", _("Schooling or training (rights plan)"), "schooling_or_training"
        ),
        _right("bank_account", _("Bank account"), "bank_account"),
        Dimension(
            "schooling",
            _("Schooling or training (situation)"),
            tuple(Schooling.values),
            _choices(Schooling),
            lambda row: str(row["schooling"]),
        ),
        Dimension(
            "compensation",
            _("Compensation"),
            tuple(rights.Compensation.values),
            _choices(rights.Compensation),
            rights.compensation,
            needs=("compensation_paid", "compensation_awarded", "compensation_claimed"),
        ),
        Dimension(
            "prosecution",
            _("Prosecuted for an offence committed under constraint"),
            tuple(rights.Prosecution.values),
            _choices(rights.Prosecution),
            rights.prosecution,
            needs=("prosecuted", "non_punishment_granted"),
        ),
    ]


# The fields of a case row that the dimensions read (dataset.py selects exactly these).
ROW_FIELDS = (
    "exploitation_forms",
    "majority_month",
    "identified_on",
    "gender",
    "nationality",
    "unaccompanied",
    "care_status",
    "disability",
    "departement",
    "referral_source",
    "status",
    "assessment",
    "ad_hoc_administrator_appointed_on",
    "schooling",
)
