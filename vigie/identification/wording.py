"""Sources and wording of the screening engine (French first; shown to social workers).

Kept apart from the rules in engine.py: the texts change with the law and the reports they cite,
the rules with the issue. Pure Python, no Django import.
"""

from __future__ import annotations

from typing import Final

Text = dict[str, str]

SOURCES: Final = {
    "minority": "Code civil art. 388; CIDE/CRC art. 1 et 3; Directive 2011/36/UE art. 13(2); "
    "Ensemble contre la traite 2022, « En quelques mots »; ECPAT 2007 §IV et §V.6",
    "ilo": "OIT / Commission européenne, Indicateurs opérationnels de la traite des êtres "
    "humains (Delphi, révisé septembre 2009)",
    "minor_victim": "Code pénal art. 225-4-1 II; Ensemble contre la traite 2022 §III.5 "
    "(tout mineur prostitué est victime de traite) et §II (mineurs contraints à commettre "
    "des délits : victimes, non délinquants)",
    "minor_work": "Code pénal art. 225-4-1 II; Ensemble contre la traite 2022 §VII",
    "minor_act": "Code pénal art. 225-4-1 II; OIT / Commission européenne 2009",
    "young_adult": "Code pénal art. 225-4-1 I (acte, moyen, but d’exploitation); "
    "Ensemble contre la traite 2022 §V (jeunes majeurs jusqu’à 21 ans)",
    "fallback": "Vigie, méthode de repérage (issue 4, règle 4)",
    "vulnerability": "Directive 2011/36/UE art. 16; Ensemble contre la traite 2022 §VII "
    "(mineurs non accompagnés) et §XII (enfants handicapés)",
}

ACTION_SOURCES: Final = {
    "treat_as_minor": "Code civil art. 388; Directive 2011/36/UE art. 13(2); Convention du "
    "Conseil de l’Europe art. 10(3)",
    "appoint_ad_hoc_administrator": "Code de procédure pénale art. 706-50; Directive 2011/36/UE "
    "art. 16(3); Ensemble contre la traite 2022 §VII",
    "safe_accommodation": "CASF art. L. 221-2-3 (loi du 7 février 2022 : pas d’hôtel); "
    "Ensemble contre la traite 2022 §IX.2",
    "alert_child_protection": "CASF art. L. 226-3; Code civil art. 375",
    "refer_juvenile_judge": "Code civil art. 375; loi n° 2002-305 du 4 mars 2002 art. 13 "
    "(enfant en danger)",
    "access_to_care": "Loi n° 2016-444 du 13 avril 2016; Ensemble contre la traite 2022 §III.5",
    "non_punishment_review": "Convention du Conseil de l’Europe art. 26; Directive 2011/36/UE "
    "art. 8; Ensemble contre la traite 2022 §II",
    "file_complaint_sexual_offence": "Code pénal art. 222-23-1 et 222-29-2 (loi du 21 avril "
    "2021); Ensemble contre la traite 2022 §III.1",
    "addiction_care": "Ensemble contre la traite 2022 §I",
    "report_online_content": "Pharos (internet-signalement.gouv.fr); Ensemble contre la "
    "traite 2022 §III.4",
}

RULE_SOURCE_KEYS: Final = {
    "presumption_of_minority": "minority",
    "minor_by_stated_age": "minority",
    "adult_by_stated_age": "minority",
    "ilo_dimension_rule": "ilo",
    "minor_exploitation_situation": "minor_victim",
    "minor_work_with_act_or_exploitation": "minor_work",
    "minor_work_without_act_or_exploitation": "minor_work",
    "minor_act_and_exploitation": "minor_act",
    "young_adult_three_elements": "young_adult",
    "young_adult_missing_elements": "young_adult",
    "indication_present": "fallback",
    "no_indication_complete_grid": "fallback",
    "insufficient_information": "fallback",
    "vulnerability": "vulnerability",
    "action": "fallback",  # replaced by the action's own source
}

# Rule details, French and English, with named placeholders (the house style for translated text).
RULE_TEXTS: Final[dict[str, tuple[str, str]]] = {
    "presumption_of_minority": (
        "Âge inconnu, contesté ou estimé : la personne est présumée mineure, le doute lui profite.",
        "Age unknown, disputed or estimated: the person is presumed a minor; the doubt "
        "benefits them.",
    ),
    "minor_by_stated_age": (
        "Âge indiqué, non contesté : %(age)s ans, donc mineur.",
        "Stated age, not disputed: %(age)s, so a minor.",
    ),
    "adult_by_stated_age": (
        "Âge indiqué, non contesté : %(age)s ans, donc majeur.",
        "Stated age, not disputed: %(age)s, so an adult.",
    ),
    "ilo_dimension_rule": (
        "Établi par les indicateurs (deux forts, un fort et un moyen ou faible, trois moyens, "
        "ou deux moyens et un faible) : %(dimensions)s.",
        "Established by the indicators (two strong, one strong and one medium or weak, three "
        "medium, or two medium and one weak): %(dimensions)s.",
    ),
    "minor_exploitation_situation": (
        "Mineur : %(situations)s. Aucun moyen de contrainte n’est exigé.",
        "Minor: %(situations)s. No means of coercion is required.",
    ),
    "minor_work_with_act_or_exploitation": (
        "Mineur : %(situations)s, avec un élément d’acte (recrutement, déplacement, "
        "hébergement) ou d’exploitation.",
        "Minor: %(situations)s, with an act element (recruitment, transport, housing) or an "
        "exploitation element.",
    ),
    "minor_work_without_act_or_exploitation": (
        "Mineur : %(situations)s, sans élément d’acte ni d’exploitation établi pour l’instant.",
        "Minor: %(situations)s, with no act or exploitation element established yet.",
    ),
    "minor_act_and_exploitation": (
        "Mineur : un acte (recrutement, déplacement ou hébergement) et une exploitation sont "
        "établis.",
        "Minor: an act (recruitment, transport or housing) and exploitation are both established.",
    ),
    "young_adult_three_elements": (
        "Jeune majeur (18 à 21 ans) : acte, exploitation et moyen sont tous trois établis.",
        "Young adult (18 to 21): act, exploitation and means are all three established.",
    ),
    "young_adult_missing_elements": (
        "Jeune majeur (18 à 21 ans) : il faut acte, exploitation et moyen ; établis : %(found)s.",
        "Young adult (18 to 21): act, exploitation and means are needed; established: %(found)s.",
    ),
    "indication_present": (
        "Des éléments sont présents, sans suffire à une présomption.",
        "Some elements are present, not enough for a presumption.",
    ),
    "no_indication_complete_grid": (
        "Grille entièrement parcourue, aucun élément relevé.",
        "The whole grid was gone through; nothing was found.",
    ),
    "insufficient_information": (
        "Grille non terminée et aucun élément relevé pour l’instant.",
        "The grid was not completed and nothing has been found so far.",
    ),
    "vulnerability": (
        "Vulnérabilités : %(vulnerabilities)s.",
        "Vulnerabilities: %(vulnerabilities)s.",
    ),
    # Rule 5: one entry per action, named action_<code>, with the action's own source.
    "action": (
        "Action « %(action)s », car : %(reason)s.",
        "Action “%(action)s”, because: %(reason)s.",
    ),
}

SITUATION_LABELS: Final[dict[str, Text]] = {
    "prostitution": {"fr": "prostitution", "en": "prostitution"},
    "online_sexual_exploitation": {
        "fr": "exploitation sexuelle en ligne",
        "en": "online sexual exploitation",
    },
    "offences_under_constraint": {
        "fr": "infractions commises sous la contrainte",
        "en": "offences committed under constraint",
    },
    "begging": {"fr": "mendicité pour autrui", "en": "begging for others"},
    "labour": {"fr": "travail pour autrui", "en": "work for others"},
    "domestic_work": {"fr": "travail domestique pour autrui", "en": "household work for others"},
    "forced_marriage": {"fr": "mariage forcé", "en": "forced marriage"},
    "sold_or_given_away": {"fr": "vente ou cession de l’enfant", "en": "sale or transfer"},
    "organ_removal": {"fr": "prélèvement d’organe", "en": "organ removal"},
    "moved_by_third_party": {"fr": "déplacement par un tiers", "en": "moved by a third party"},
    "housed_by_third_party": {"fr": "hébergement par un tiers", "en": "housed by a third party"},
}

FORM_LABELS: Final[dict[str, Text]] = {
    "sexual_exploitation": {"fr": "exploitation sexuelle", "en": "sexual exploitation"},
    "online_sexual_exploitation": {
        "fr": "exploitation sexuelle en ligne",
        "en": "online sexual exploitation",
    },
    "forced_criminality": {"fr": "contrainte à commettre des délits", "en": "forced criminality"},
    "forced_begging": {"fr": "mendicité forcée", "en": "forced begging"},
    "forced_labour": {"fr": "travail forcé", "en": "forced labour"},
    "domestic_servitude": {"fr": "servitude domestique", "en": "domestic servitude"},
    "forced_marriage": {"fr": "mariage forcé", "en": "forced marriage"},
    "sale_of_child": {"fr": "vente d’enfant", "en": "sale of a child"},
    "organ_removal": {"fr": "prélèvement d’organe", "en": "organ removal"},
}

ACTION_LABELS: Final[dict[str, Text]] = {
    "treat_as_minor": {
        "fr": "traiter la personne comme mineure",
        "en": "treat the person as a minor",
    },
    "appoint_ad_hoc_administrator": {
        "fr": "demander un administrateur ad hoc",
        "en": "request an ad hoc administrator",
    },
    "safe_accommodation": {
        "fr": "mettre à l’abri dans un hébergement sûr, jamais à l’hôtel",
        "en": "provide safe accommodation, never a hotel",
    },
    "alert_child_protection": {
        "fr": "alerter la protection de l’enfance",
        "en": "alert child protection services",
    },
    "refer_juvenile_judge": {
        "fr": "saisir le juge des enfants (enfant en danger)",
        "en": "refer to the juvenile judge (child in danger)",
    },
    "access_to_care": {"fr": "ouvrir l’accès aux soins", "en": "open access to health care"},
    "non_punishment_review": {
        "fr": "demander que les infractions commises sous la contrainte ne soient pas sanctionnées",
        "en": "ask that offences committed under constraint are not punished",
    },
    "file_complaint_sexual_offence": {
        "fr": "porter plainte pour infraction sexuelle sur mineur de moins de 15 ans",
        "en": "file a complaint for a sexual offence against a child under 15",
    },
    "addiction_care": {
        "fr": "orienter vers un soin des addictions",
        "en": "refer to addiction care",
    },
    "report_online_content": {
        "fr": "signaler les contenus en ligne sur Pharos",
        "en": "report the online content to Pharos",
    },
}

ACTION_REASONS: Final[dict[str, Text]] = {
    "treat_as_minor": {"fr": "minorité présumée", "en": "minority presumed"},
    "appoint_ad_hoc_administrator": {
        "fr": "mineur sans parent ni représentant légal en France",
        "en": "minor with no parent or legal representative in France",
    },
    "safe_accommodation": {
        "fr": "mineur non accompagné ou victime présumée",
        "en": "unaccompanied minor or presumed victim",
    },
    "alert_child_protection": {
        "fr": "mineur à risque ou victime présumée",
        "en": "minor at risk or presumed victim",
    },
    "refer_juvenile_judge": {
        "fr": "mineur victime présumée, donc enfant en danger",
        "en": "minor presumed victim, hence a child in danger",
    },
    "access_to_care": {"fr": "victime présumée de traite", "en": "presumed victim of trafficking"},
    "non_punishment_review": {
        "fr": "infractions commises sous la contrainte",
        "en": "offences committed under constraint",
    },
    "file_complaint_sexual_offence": {
        "fr": "âge indiqué de moins de 15 ans, même contesté, et exploitation sexuelle",
        "en": "stated age under 15, even if disputed, and sexual exploitation",
    },
    "addiction_care": {
        "fr": "dépendance à des produits fournis par des tiers",
        "en": "dependence on substances supplied by others",
    },
    "report_online_content": {
        "fr": "exploitation sexuelle en ligne",
        "en": "online sexual exploitation",
    },
}

ELEMENT_LABELS: Final[dict[str, Text]] = {
    "act": {"fr": "acte", "en": "act"},
    "exploitation": {"fr": "exploitation", "en": "exploitation"},
    "means": {"fr": "moyen", "en": "means"},
}

VULNERABILITY_LABELS: Final[dict[str, Text]] = {
    "unaccompanied": {
        "fr": "sans parent ni représentant légal en France",
        "en": "no parent or legal representative in France",
    },
    "disability": {
        "fr": "handicap et dépendance possible à un tiers",
        "en": "disability and possible dependence on a third party",
    },
}

DRUG_DEPENDENCE_LABEL: Final[Text] = {
    "fr": "dépendance à des drogues ou médicaments fournis par d’autres",
    "en": "dependence on drugs or medication supplied by others",
}

MINORITY_SENTENCES: Final[dict[str, tuple[str, str]]] = {
    "unknown": (
        "L’âge n’est pas établi : la personne est présumée mineure et doit être traitée comme "
        "telle, le doute lui profite.",
        "The age is not established: the person is presumed a minor and must be treated as one; "
        "the doubt benefits them.",
    ),
    "presumed": (
        "L’âge indiqué (%(age)s ans) est contesté ou estimé : la personne est présumée mineure "
        "et doit être traitée comme telle, le doute lui profite.",
        "The stated age (%(age)s) is disputed or estimated: the person is presumed a minor and "
        "must be treated as one; the doubt benefits them.",
    ),
    "yes": ("La personne a %(age)s ans : elle est mineure.", "The person is %(age)s: a minor."),
    "no": (
        "La personne a %(age)s ans, âge non contesté : elle est majeure.",
        "The person is %(age)s, an age not disputed: an adult.",
    ),
}

ASSESSMENT_SENTENCES: Final[dict[str, tuple[str, str]]] = {
    "presumed_victim": (
        "Résultat : victime présumée de traite des êtres humains%(forms)s.",
        "Result: presumed victim of trafficking in human beings%(forms)s.",
    ),
    "at_risk": (
        "Résultat : risque de traite ou d’exploitation%(forms)s ; des éléments sont présents "
        "mais ne suffisent pas encore à une présomption, l’évaluation est à poursuivre.",
        "Result: at risk of trafficking or exploitation%(forms)s; some elements are present but "
        "not yet enough for a presumption, and the assessment should go on.",
    ),
    "insufficient_information": (
        "Résultat : informations insuffisantes ; la grille n’a pas été terminée et rien n’a été "
        "relevé pour l’instant.",
        "Result: not enough information; the grid was not completed and nothing has been found "
        "so far.",
    ),
    "no_indication": (
        "Résultat : aucun indice de traite relevé sur la grille complète.",
        "Result: no sign of trafficking found on the complete grid.",
    ),
}

WHY_PRESUMED: Final[dict[bool, tuple[str, str]]] = {
    True: (
        "Pour un mineur, ni contrainte, ni menace, ni tromperie n’ont à être prouvées.",
        "For a minor, no coercion, threat or deception needs to be proven.",
    ),
    False: (
        "Les trois éléments sont réunis : un acte, une exploitation et un moyen.",
        "All three elements are present: an act, exploitation and a means.",
    ),
}

FOLLOW_UP_SENTENCES: Final[dict[str, tuple[str, str]]] = {
    "dimensions": (
        "Les indicateurs relevés établissent, selon la règle de l’OIT : %(dimensions)s.",
        "By the ILO rule, the indicators found establish: %(dimensions)s.",
    ),
    "vulnerabilities": (
        "Vulnérabilités : %(vulnerabilities)s.",
        "Vulnerabilities: %(vulnerabilities)s.",
    ),
    "actions": ("À faire : %(actions)s.", "Next steps: %(actions)s."),
}

CLOSING: Final[dict[bool, tuple[str, str]]] = {
    True: (
        "Ce résultat est une présomption qui déclenche la protection ; ce n’est pas une "
        "identification formelle, qui relève des autorités.",
        "This result is a presumption that triggers protection; it is not a formal "
        "identification, which belongs to the authorities.",
    ),
    False: (
        "Ce résultat n’est pas une identification formelle, qui relève des autorités ; refaire "
        "le repérage si de nouveaux éléments apparaissent.",
        "This result is not a formal identification, which belongs to the authorities; screen "
        "again if new elements come to light.",
    ),
}
