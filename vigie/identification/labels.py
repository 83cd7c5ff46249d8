"""Words shown for the engine's protective actions (forms: cases.models.ExploitationForm)."""

from django.utils.translation import gettext_lazy as _

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
