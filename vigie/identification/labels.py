"""Words shown for the engine's codes (forms of exploitation and protective actions)."""

from django.utils.translation import gettext_lazy as _

FORM_LABELS = {
    "sexual_exploitation": _("Sexual exploitation / prostitution"),
    "online_sexual_exploitation": _("Online sexual exploitation"),
    "forced_criminality": _("Forced criminality"),
    "forced_begging": _("Forced begging"),
    "forced_labour": _("Forced labour"),
    "domestic_servitude": _("Domestic servitude"),
    "forced_marriage": _("Forced marriage"),
    "sale_of_child": _("Sale of children"),
    "organ_removal": _("Removal of organs"),
}

ACTION_LABELS = {
    "treat_as_minor": _("Treat as a minor (presumption of minority)"),
    "appoint_ad_hoc_administrator": _("Ask for an ad hoc administrator without delay"),
    "safe_accommodation": _("Find safe accommodation (never a hotel)"),
    "alert_child_protection": _("Alert child protection (information préoccupante)"),
    "refer_juvenile_judge": _("Refer to the juvenile judge: child in danger"),
    "access_to_care": _("Give access to health and psychological care"),
    "non_punishment_review": _("Ask for non-punishment: offences committed under constraint"),
    "file_complaint_sexual_offence": _("File a complaint: sexual offence against a child under 15"),
    "addiction_care": _("Arrange addiction care suited to minors"),
    "report_online_content": _("Report the online content (Pharos)"),
}
