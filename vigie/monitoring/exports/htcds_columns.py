"""What Vigie writes in each HTCDS column: the mapping, one small table, judgements commented.

Columns: those of IOM's official Excel template (htcds_excel_v2.0.xlsx), in its order, so the
file lines up with it, then the HTCDS fields Vigie fills that the template lacks. The template's
"vic_TraffickinStatusDecisionMakingOrg" is spelt as the field list spells it. A column whose
``fill`` is None is always empty: people (the caseworker, the child's contacts), dates, places
and free text never leave Vigie this way.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from vigie.identification.models import Assessment

from ..countries import countries_load
from ..dimensions import age_at_identification
from .htcds_fields import MULTIPLE_SEPARATOR, RECORD_KEY, htcds_fields_load


@dataclass(frozen=True)
class CaseFacts:
    """What a record is made from: coded fields of the file and of its latest screening."""

    gender: str
    nationality: str
    forms: tuple[str, ...]
    majority_month: date | None
    identified_on: date
    exploitation_started_on: date | None
    status: str
    assessment: str | None
    indicators: tuple[str, ...]
    organisation_kind: str


GENDERS = {
    "girl": "Feminine",
    "boy": "Masculine",
    # Judgement: Vigie's "other" does not say transgender; NonConforming is the closest value.
    "other": "NonConforming",
    "unknown": "NonSpecifiedUnknown",
}

# vic_TypeOfExploitation, and the words hte_Description gives where HTCDS has no value of its own.
TYPES_OF_EXPLOITATION: dict[str, tuple[str, str]] = {
    "sexual_exploitation": ("SexualExploitation", ""),
    "online_sexual_exploitation": ("SexualExploitation", ""),
    # HTCDS 2.0 has no forced criminality: "Other", said in words (issue 7).
    "forced_criminality": ("Other", "Forced criminality"),
    "forced_begging": ("ForcedBegging", ""),
    "forced_labour": ("ForcedLabour", ""),
    # Judgement: domestic servitude is HTCDS's "Servitude" (its sector, households, goes in
    # vic_ForcedLabourIndustry).
    "domestic_servitude": ("Servitude", ""),
    "forced_marriage": ("ForcedMarriage", ""),
    # Judgement: the sale of a child (OPSC art. 2) is not only "ForcedAdoption": "Other", in words.
    "sale_of_child": ("Other", "Sale of children"),
    "organ_removal": ("OrganRemoval", ""),
}

SEX_EXPLOITATION = {
    "sexual_exploitation": "Prostitution",
    # Judgement: online sexual exploitation of children (webcam, live streaming) is what HTCDS
    # calls remote interactive services.
    "online_sexual_exploitation": "RemoteInteractiveServices",
}

# ISIC section T, "activities of households as employers".
HOUSEHOLD_INDUSTRY = "T_ActivitiesOfHouseholdsAsEmployers"

# vic_MethodsOfControl from the indicators of the latest screening (vigie/identification
# catalogue), by the indicator's last part, read against the HTCDS field definitions.
METHODS_OF_CONTROL = {
    "debt_bondage": "DebtBondage",
    "confiscation_of_documents": "WithholdsDocuments",
    "violence_on_victim": "PhysicalAbuse",
    "threats_of_violence": "PhysicalThreats",
    "threat_of_denunciation": "ThreatsLawEnforcement",
    "violence_on_family": "ThreatensChildrenFamily",
    "withholding_of_wages": "TakesEarnings",
    # Judgement: money held back at recruitment is a restriction of access to one's own funds.
    "withholding_of_money": "RestrictsFinancialAccess",
    "excessive_working_hours": "ExcessiveWorkingHours",
    "psychotropics_supplied_by_adults": "PsychoactiveSubstance",
    # Judgement: shaming and influence are what HTCDS's definition of psychological abuse lists.
    "threats_to_inform_family": "PsychologicalAbuse",
    "under_strong_influence": "PsychologicalAbuse",
    "sextortion": "PsychologicalAbuse",
    # Judgement: HTCDS defines "restricts movement" but its 2.0 picklist has no such value.
    "isolation_confinement_surveillance": "Other",
}
# Every "deceived about ..." indicator: defrauded or tricked into the situation.
FALSE_PROMISES_PREFIX = "deceived_"

CASE_STATUSES = {
    "open": "Active",
    "identified": "Active",
    "protected": "Active",
    # Judgement: the transition to adulthood is follow-up after the protection of a minor.
    "transition": "FollowUp",
    "transferred": "ClosedReferred",
    "closed": "Closed",
}

# Who decided the trafficking status: the organisation itself (its screening).
DECISION_ORGANISATIONS = {
    "association": "NGO",
    "police": "Police",
    "ase": "NonPoliceGovernmentalOrganization",
    "pjj": "NonPoliceGovernmentalOrganization",
    "uaped": "NonPoliceGovernmentalOrganization",
    "siao": "NonPoliceGovernmentalOrganization",
    "other": "Other",
}


def _ordered(field: str, values: set[str]) -> str:
    """A multi-select value: the picklist's order, then anything unknown (the validator names
    it: an unmapped code is a bug, and the export refuses to write it)."""
    picklist = htcds_fields_load()[field].values
    known = [value for value in picklist if value in values]
    return MULTIPLE_SEPARATOR.join(known + sorted(values - set(picklist)))


def _gender(facts: CaseFacts) -> str:
    return GENDERS.get(facts.gender, facts.gender)


def _citizenship(facts: CaseFacts) -> str:
    # ISO 3166-1 alpha-3: the field list's default ("two-letter country codes optional"). The
    # file's code is typed in by hand: one that is no ISO country is not known, as in statistics.
    country = countries_load().countries.get(facts.nationality.strip().upper())
    return country.alpha3 if country else ""


def _age_when_trafficked(facts: CaseFacts) -> str:
    # Judgement: the age when the exploitation began when it is known, otherwise the age when the
    # file was opened (the child was then in the situation). The presumed birth month, as in the
    # statistics (vigie/monitoring/dimensions.py): no birth date is read.
    day = facts.exploitation_started_on or facts.identified_on
    age = age_at_identification({"majority_month": facts.majority_month, "identified_on": day})
    return "" if age is None else str(age)


def _trafficking_status(facts: CaseFacts) -> str:
    # A screening's result is a presumption (vigie/identification/engine.py): "possible", never
    # "actual", which is for a formal identification by the authorities; the other results
    # determine nothing, and the field stays empty.
    return "PossibleVictimOfTrafficking" if facts.assessment == Assessment.PRESUMED_VICTIM else ""


def _decision_organisation(facts: CaseFacts) -> str:
    if not _trafficking_status(facts):
        return ""
    return DECISION_ORGANISATIONS.get(facts.organisation_kind, "Other")


def _methods_of_control(facts: CaseFacts) -> str:
    methods = set()
    for indicator in facts.indicators:
        element = indicator.rsplit(".", 1)[-1]
        if element.startswith(FALSE_PROMISES_PREFIX):
            methods.add("FalsePromises")
        elif element in METHODS_OF_CONTROL:
            methods.add(METHODS_OF_CONTROL[element])
    return _ordered("vic_MethodsOfControl", methods)


def _types_of_exploitation(facts: CaseFacts) -> str:
    types = {TYPES_OF_EXPLOITATION.get(form, (form, ""))[0] for form in facts.forms}
    return _ordered("vic_TypeOfExploitation", types)


def _sex_exploitation(facts: CaseFacts) -> str:
    types = {SEX_EXPLOITATION[form] for form in facts.forms if form in SEX_EXPLOITATION}
    return _ordered("vic_TypeOfSexExploitation", types)


def _industry(facts: CaseFacts) -> str:
    return HOUSEHOLD_INDUSTRY if "domestic_servitude" in facts.forms else ""


def _exploitation_details(facts: CaseFacts) -> str:
    details = [TYPES_OF_EXPLOITATION.get(form, ("", ""))[1] for form in facts.forms]
    return "; ".join(dict.fromkeys(detail for detail in details if detail))


def _event_type(facts: CaseFacts) -> str:
    # The details of "Other" describe the exploitation: one event of type Exploitation.
    return "Exploitation" if _exploitation_details(facts) else ""


def _case_status(facts: CaseFacts) -> str:
    return CASE_STATUSES.get(facts.status, facts.status)


Filler = Callable[[CaseFacts], str]


@dataclass(frozen=True)
class Column:
    name: str
    fill: Filler | None  # None: always left empty
    description: str | Promise = ""

    @property
    def filled(self) -> bool:
        """Whether Vigie writes something in it (the record key is drawn by the export)."""
        return self.fill is not None or self.name == RECORD_KEY


_EMPTY_TEMPLATE_COLUMNS = (
    # People (the caseworker, the child's contacts), dates, places and free text: never written.
    "cas_CaseOwner",
    "prs_Salutation",
    "prs_FirstName",
    "prs_SecondName",
    "con_Consent",
    "prs_Birthdate",
)
_CONTACT_COLUMNS = (
    "prs_Title",
    "prs_Email",
    "prs_HomePhone",
    "prs_MobilePhone",
    "prs_MailingCity",
    "prs_MailingCountry",
    "prs_MailingState",
    "prs_MailingStreet",
    "prs_MailingPostalCode",
)
_REFERRAL_COLUMNS = (
    "cas_ReferringOrganisation",
    "cas_IncomingReferralDate",
    "cas_ReferringPrimaryCaseWorker",
    "cas_ReasonForIncomingReferral",
    "cas_IncomingReferralDetails",
    "cas_ReferredOrganisation",
    "cas_ReferredPrimaryCaseWorker",
    "cas_ReasonForOutgoingReferral",
    "cas_OutgoingReferralDate",
    "cas_OutgoingReferralDetails",
    "cas_ReasonForCaseClosure",
)

HTCDS_COLUMNS: tuple[Column, ...] = (
    Column(RECORD_KEY, None, gettext_lazy("A random identifier, new at each export.")),
    *(Column(name, None) for name in _EMPTY_TEMPLATE_COLUMNS),
    Column("prs_Gender", _gender, gettext_lazy("Gender.")),
    Column("prs_Citizenship", _citizenship, gettext_lazy("Nationality (ISO 3166 alpha-3 code).")),
    *(Column(name, None) for name in _CONTACT_COLUMNS),
    Column(
        "vic_TraffickingStatus",
        _trafficking_status,
        gettext_lazy("“Possible victim” when the latest screening presumes a victim."),
    ),
    Column(
        "vic_TraffickingStatusDecisionMakingOrg",
        _decision_organisation,
        gettext_lazy("The kind of your organisation, which made that screening."),
    ),
    Column("vic_MethodOfRecruitment", None),
    Column("vic_LocationOfRecruitment", None),
    Column(
        "vic_MethodsOfControl",
        _methods_of_control,
        gettext_lazy("Means of control among the indicators of the latest screening."),
    ),
    Column(
        "vic_TypeOfExploitation",
        _types_of_exploitation,
        gettext_lazy("Forms of exploitation; forced criminality and sale are “Other”."),
    ),
    Column(
        "vic_ForcedLabourIndustry",
        _industry,
        gettext_lazy("Households, for domestic servitude."),
    ),
    Column(
        "vic_TypeOfSexExploitation",
        _sex_exploitation,
        gettext_lazy("Prostitution, or remote interactive services for online exploitation."),
    ),
    Column("vic_LocationOfExploitation", None),
    Column("cas_Status", _case_status, gettext_lazy("Status of the file.")),
    *(Column(name, None) for name in _REFERRAL_COLUMNS),
    # HTCDS fields beyond the official template.
    Column(
        "vic_AgeWhenTrafficked",
        _age_when_trafficked,
        gettext_lazy(
            "Age in years when the exploitation began, or else when the file was opened "
            "(from the presumed birth month)."
        ),
    ),
    Column(
        "hte_Type",
        _event_type,
        gettext_lazy("“Exploitation” when the next column describes an “Other” form."),
    ),
    Column(
        "hte_Description",
        _exploitation_details,
        gettext_lazy("The “Other” forms in words: forced criminality, sale of children."),
    ),
)

HEADER = tuple(column.name for column in HTCDS_COLUMNS)

# Text fields may hold only Vigie's fixed words: nothing a person typed leaves Vigie this way.
FIXED_TEXTS = frozenset(detail for _type, detail in TYPES_OF_EXPLOITATION.values() if detail)
