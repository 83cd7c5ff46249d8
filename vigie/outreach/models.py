"""Digital outreach: online advertisements, what links them, contacts made and reports sent.

Seed 000 §III.4: prostitution of minors has moved online; outreach teams find advertisements on
escort sites, write to the person with a template message and report to Pharos. An ad's text,
address, phones, handles, pseudonyms, city and the worker's observations can lead to a child:
they are encrypted in the application like case data (vigie/core/crypto.py). Identifiers are
found again through keyed blind indexes, never through plaintext. Ads are kept briefly (the
setting ``VIGIE_OUTREACH_RETENTION_DAYS``, 183 days by default) unless linked to a case file:
``vigie retention`` deletes the others.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from vigie.accounts.models import Organisation, User
from vigie.cases.models import Case
from vigie.core.crypto import EncryptedTextField
from vigie.core.models import VigieModel


class AdvertisementQuerySet(models.QuerySet["Advertisement"]):
    def visible_to(self, user: User) -> "AdvertisementQuerySet":
        """Every read of advertisements for a person goes through here (see selectors)."""
        from .access import ad_visibility_filter

        return self.filter(ad_visibility_filter(user))


class Advertisement(VigieModel):
    """One online advertisement seen by the team (Vigie never crawls: a worker records it)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="advertisements"
    )
    # Human reference for reports and the evidence sent to the authorities ("ANN-2026-00042").
    reference = models.CharField(_("reference"), max_length=40)
    # The platform's name (a public website, not personal data): kept plain for lists and filters.
    site = models.CharField(_("site"), max_length=120)
    url = EncryptedTextField(_("address (URL)"), blank=True)
    # Keyed index of the normalised URL: the same ad recorded or imported twice is one ad.
    url_index = models.CharField(max_length=64, blank=True, db_index=True)
    first_seen_on = models.DateField(_("first seen on"))
    last_seen_on = models.DateField(_("last seen on"))
    text = EncryptedTextField(_("text of the advertisement"), blank=True)
    declared_age = models.PositiveSmallIntegerField(_("stated age"), null=True, blank=True)
    city = EncryptedTextField(_("city"), blank=True)
    # One pseudonym per line.
    pseudonyms = EncryptedTextField(_("pseudonyms"), blank=True)
    observations = EncryptedTextField(_("worker's observations"), blank=True)
    # Boxes the worker ticked from the signs catalogue's worker judgements (photos look young).
    worker_flags = models.JSONField(default=list, blank=True)
    # Signs of a minor found by vigie/outreach/signs.py when the ad was last saved.
    signs = models.JSONField(default=list, blank=True)
    signs_catalogue_version = models.CharField(max_length=40, blank=True)
    declared_minor = models.BooleanField(default=False)
    # 0 none, 1 weak, 2 medium, 3 strong sign or declared minor: lists sort on it, descending.
    priority = models.PositiveSmallIntegerField(default=0, db_index=True)
    # Opening a case from the ad (when a contact led to support) keeps the link, and the ad
    # then lives as long as the case file.
    case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="advertisements",
    )
    cluster = models.ForeignKey(
        "AdCluster", null=True, blank=True, on_delete=models.SET_NULL, related_name="ads"
    )
    # Latest of seen, contacted or reported: retention counts from here.
    last_activity_on = models.DateField(db_index=True)

    objects = AdvertisementQuerySet.as_manager()

    class Meta:
        ordering = ["-priority", "-last_seen_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="outreach_ad_reference_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(last_seen_on__gte=models.F("first_seen_on")),
                name="outreach_ad_seen_order",
            ),
            models.CheckConstraint(
                condition=models.Q(priority__lte=3), name="outreach_ad_priority_range"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "-priority", "-last_seen_on"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def pseudonym_list(self) -> list[str]:
        return [line.strip() for line in (self.pseudonyms or "").splitlines() if line.strip()]


class IdentifierKind(models.TextChoices):
    PHONE = "phone", _("Phone number")
    HANDLE = "handle", _("Account or handle")
    IMAGE = "image", _("Photo fingerprint")


class AdIdentifier(models.Model):
    """A normalised phone (E.164), handle (``platform:account``) or photo perceptual hash.

    The value is encrypted; ``value_index`` (HMAC of kind and value) finds every ad sharing it
    without decrypting anything, which is how a worker searches a number across the ads.
    """

    ad = models.ForeignKey(Advertisement, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=10, choices=IdentifierKind.choices)
    value = EncryptedTextField()
    value_index = models.CharField(max_length=64, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ad", "kind", "value_index"], name="outreach_identifier_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}"


class AdCluster(models.Model):
    """A possible network: ads sharing phones, handles, photos or near-identical text.

    Rebuilt for the whole organisation by ``clusters_refresh`` after every change. Its public
    address is that of its anchor ad (the oldest recorded), which survives a rebuild; the links
    shown as a graph are kept encrypted because they carry the shared phones and handles.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="ad_clusters"
    )
    anchor = models.OneToOneField(
        Advertisement, on_delete=models.CASCADE, related_name="anchored_cluster"
    )
    ads_count = models.PositiveIntegerField()
    phones_count = models.PositiveIntegerField()
    handles_count = models.PositiveIntegerField()
    images_count = models.PositiveIntegerField()
    cities_count = models.PositiveIntegerField()
    declared_minors = models.PositiveIntegerField()
    # Highest priority of its ads: a network with a declared minor comes first.
    priority = models.PositiveSmallIntegerField(default=0)
    # JSON list of [source ad uuid, target ad uuid, kind, shared value].
    links = EncryptedTextField(blank=True)
    refreshed_at = models.DateTimeField()

    class Meta:
        ordering = ["-priority", "-ads_count", "pk"]
        indexes = [models.Index(fields=["organisation", "-priority", "-ads_count"])]

    def __str__(self) -> str:
        return f"cluster of {self.ads_count}"


class OutreachSettings(models.Model):
    """The organisation's values for the contact templates' variables."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="outreach_settings"
    )
    hotline = models.CharField(_("hotline number"), max_length=40, blank=True)
    signature = models.CharField(_("signature"), max_length=200, blank=True)

    def __str__(self) -> str:
        return str(self.organisation_id)


class ContactTemplate(VigieModel):
    """A first message offering support, in one language, editable by coordinators.

    Variables are written ``{hotline}``, ``{organisation}``, ``{signature}``, ``{pseudonym}``
    (vigie/outreach/templates_messages.py renders and validates them).
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contact_templates"
    )
    name = models.CharField(_("name"), max_length=120)
    language = models.CharField(_("language"), max_length=10)
    body = models.TextField(_("message"))
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name", "language"],
                name="outreach_template_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"


class ContactChannel(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")
    SNAPCHAT = "snapchat", _("Snapchat")
    INSTAGRAM = "instagram", _("Instagram")
    TELEGRAM = "telegram", _("Telegram")
    SMS = "sms", _("Text message (SMS)")
    PHONE_CALL = "phone_call", _("Phone call")
    SITE_MESSAGE = "site_message", _("Message on the site")
    EMAIL = "email", _("Email")
    OTHER = "other", _("Other")


class ContactAnswer(models.TextChoices):
    NO_ANSWER = "no_answer", _("No answer yet")
    ANSWERED = "answered", _("Answered")
    ACCEPTED_SUPPORT = "accepted_support", _("Accepted support")
    REFUSED = "refused", _("Refused")
    BLOCKED = "blocked", _("Blocked us or deleted the account")
    THIRD_PARTY = "third_party", _("Someone else answered")


class AdContact(VigieModel):
    """One attempt to reach the person behind an ad (seed 000 §III.4: victims rarely answer,
    so every try, its answer and the next step are kept)."""

    ad = models.ForeignKey(Advertisement, on_delete=models.CASCADE, related_name="contacts")
    channel = models.CharField(_("channel"), max_length=20, choices=ContactChannel.choices)
    contacted_on = models.DateField(_("date"))
    template = models.ForeignKey(
        ContactTemplate,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("template used"),
    )
    # The message as sent, variables filled in (the template may change later).
    message = EncryptedTextField(_("message sent"), blank=True)
    answer = models.CharField(
        _("answer"), max_length=20, choices=ContactAnswer.choices, default=ContactAnswer.NO_ANSWER
    )
    answer_note = EncryptedTextField(_("about the answer"), blank=True)
    next_step = EncryptedTextField(_("next step"), blank=True)
    next_step_on = models.DateField(_("next step on"), null=True, blank=True)

    class Meta:
        ordering = ["-contacted_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.channel} {self.contacted_on}"


class ReportRecipient(models.TextChoices):
    PHAROS = "pharos", _("Pharos (online reporting platform)")
    POLICE = "police", _("Police")
    GENDARMERIE = "gendarmerie", _("Gendarmerie")
    OFMIN = "ofmin", _("Office for minors (OFMIN)")
    PROSECUTOR = "prosecutor", _("Public prosecutor")


class ReportScope(models.TextChoices):
    AD = "ad", _("One advertisement")
    CLUSTER = "cluster", _("A possible network")


class AuthorityReport(VigieModel):
    """A report sent to Pharos or the police, about one ad or a whole possible network.

    The ads reported are fixed at the time of the report: a network that grows later does not
    change what was reported.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="authority_reports"
    )
    recipient = models.CharField(_("sent to"), max_length=20, choices=ReportRecipient.choices)
    reported_on = models.DateField(_("date of the report"))
    reference = EncryptedTextField(_("reference given by the authority"), blank=True)
    scope = models.CharField(max_length=10, choices=ReportScope.choices)
    ads = models.ManyToManyField(Advertisement, related_name="reports")
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["-reported_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.recipient} {self.reported_on}"
