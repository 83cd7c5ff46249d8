"""The recommendations tracker and the alternative report (issue 8).

Data model after IMPACT OSS (OHCHR's open-source recommendations tracker): frameworks issue
recommendations; each recommendation has themes, articles, SDG targets, responsible authorities
and links to the same demand made by other bodies. Assessments (ours) are kept apart from the
State's own claims; each carries evidence, some of it live figures from statistics releases.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigie.core.models import VigieModel
from vigie.monitoring.models import Release


class FrameworkKind(models.TextChoices):
    UN_COMMITTEE = "un_committee", _("UN treaty body (concluding observations)")
    OPTIONAL_PROTOCOL = "optional_protocol", _("Optional Protocol")
    NGO_REPORT = "ngo_report", _("Alternative report")
    NATIONAL_PLAN = "national_plan", _("National action plan")
    SDG = "sdg", _("Sustainable Development Goals")


class Framework(VigieModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=FrameworkKind.choices)
    document_reference = models.CharField(_("document reference"), max_length=100, blank=True)
    author = models.CharField(_("author"), max_length=300, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    url = models.URLField(_("address"), blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Theme(VigieModel):
    """A theme: a section of a report (the seeds' section titles) or a CRC reporting cluster."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, null=True, blank=True, related_name="themes"
    )
    section = models.CharField(_("section"), max_length=20, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework__code", "position", "code"]

    def __str__(self) -> str:
        return self.code


class RecommendationKind(models.TextChoices):
    RECOMMENDATION = "recommendation", _("Recommendation")
    QUESTION = "question", _("Question to the Committee")
    PROVISION = "provision", _("Provision or target")


class Recommendation(VigieModel):
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="recommendations"
    )
    reference = models.CharField(_("reference"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=RecommendationKind.choices)
    section = models.CharField(_("section"), max_length=20, blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    text_fr = models.TextField(_("text (French)"), blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="recommendations")
    # CRC reporting clusters, CRC / OPSC articles ("CRC 34", "OPSC 8"), SDG targets ("8.7").
    crc_clusters = models.JSONField(_("CRC clusters"), default=list, blank=True)
    articles = models.JSONField(_("articles"), default=list, blank=True)
    sdg_targets = models.JSONField(_("SDG targets"), default=list, blank=True)
    authorities = models.JSONField(_("responsible authorities"), default=list, blank=True)
    # The same demand made by several bodies.
    related = models.ManyToManyField("self", blank=True, symmetrical=True)
    # Lower-case, accents removed: what the full-text search reads on every database.
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["framework__code", "reference"]

    def __str__(self) -> str:
        return self.reference


class AssessmentStatus(models.TextChoices):
    NOT_IMPLEMENTED = "not_implemented", _("Not implemented")
    PARTIALLY = "partially", _("Partially implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    REGRESSED = "regressed", _("Regressed")
    UNKNOWN = "unknown", _("Unknown")


class AssessmentSource(models.TextChoices):
    # Kept apart: what the associations observe, and what the State says it did.
    ASSESSMENT = "assessment", _("Our assessment")
    STATE_CLAIM = "state_claim", _("The State's claim")


class Assessment(VigieModel):
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="assessments"
    )
    source = models.CharField(
        _("source"),
        max_length=20,
        choices=AssessmentSource.choices,
        default=AssessmentSource.ASSESSMENT,
    )
    assessed_on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=20, choices=AssessmentStatus.choices)
    rationale = models.TextField(_("rationale"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessor"),
    )

    class Meta:
        ordering = ["-assessed_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.recommendation_id} {self.status} {self.assessed_on}"


class EvidenceKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    LINK = "link", _("Link")
    FIGURE = "figure", _("Figure from a statistics release")


class Evidence(VigieModel):
    """A document, a link, or a figure: one cell (or total) of a release table.

    A live figure (``release`` empty) is read from the latest published release that has its
    table, so it refreshes when a new release is published; a pinned one keeps its release.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("address"), blank=True)
    note = models.TextField(_("note"), blank=True)
    release = models.ForeignKey(
        Release, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The figure: a table (dimension codes) and a cell (value codes); [] and [] for the total.
    table = models.JSONField(default=list, blank=True)
    cell = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.title


class Measure(VigieModel):
    """What should be done for a recommendation, and by when: reminders are due from it."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="measures"
    )
    title = models.CharField(_("measure"), max_length=300)
    indicator = models.CharField(_("indicator"), max_length=300, blank=True)
    responsible = models.CharField(_("responsible"), max_length=200, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "title"]

    def __str__(self) -> str:
        return self.title


class TrackerChange(models.Model):
    """History of every change in the tracker: who, when, what (before and after)."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="changes"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=40)
    details = models.JSONField(default=dict)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.changed_at}"


class Report(VigieModel):
    """An alternative report, assembled from themes; its figures come from one release."""

    title = models.CharField(_("title"), max_length=300)
    language = models.CharField(
        _("language"), max_length=2, choices=[("fr", "Français"), ("en", "English")], default="fr"
    )
    release = models.ForeignKey(
        Release,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("statistics release"),
    )
    executive_summary = models.TextField(_("executive summary"), blank=True)
    member_organisations = models.TextField(_("member organisations"), blank=True)
    annexes = models.TextField(_("annexes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title


class ReportSection(VigieModel):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(default=0)
    theme = models.ForeignKey(Theme, on_delete=models.SET_NULL, null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    # Observations may embed figures as [figure:N], N the position of a ReportFigure below.
    observations = models.TextField(_("observations"), blank=True)
    violations = models.TextField(_("violations of the rights of the child"), blank=True)
    questions = models.TextField(_("questions to the Committee"), blank=True)
    recommendations = models.ManyToManyField(Recommendation, blank=True, related_name="+")

    class Meta:
        ordering = ["report", "position"]

    def __str__(self) -> str:
        return self.title


class ReportFigure(VigieModel):
    """A published figure embedded in a section: one cell of one table of the report's release."""

    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="figures")
    number = models.PositiveSmallIntegerField()
    label = models.CharField(_("label"), max_length=300)
    table = models.JSONField(default=list, blank=True)
    cell = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["section", "number"]
        constraints = [
            models.UniqueConstraint(fields=["section", "number"], name="report_figure_number")
        ]

    def __str__(self) -> str:
        return self.label
