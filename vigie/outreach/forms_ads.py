"""The form of an online advertisement (record and change). Field names are AdInput's, so a
service's ValidationError lands on the field it names; the rules live in services/ads.py.

Photos are read in memory (vigie/cases/uploads.py keeps every upload off the disk), reduced to a
perceptual hash by services/images.py and dropped: Vigie keeps no image of a child.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vigie.core.forms import form_errors_add

from .identifiers import phones_in_text
from .services.ad_input import AdInput
from .services.images import image_fingerprint
from .signs import SignMatch
from .signs_catalogue import signs_catalogue

# More photos than this in one go is not one ad's gallery.
PHOTOS_MAX = 20


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _lines(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _worker_flag_choices() -> list[tuple[str, str]]:
    """The catalogue's worker judgements, labelled in the active language."""
    return [
        (sign.flag, SignMatch(sign=sign, found=()).label)
        for sign in signs_catalogue().signs.values()
        if sign.kind == "worker_judgement"
    ]


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several files in one field (Django's documented pattern): the cleaned value is a list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class AdForm(forms.Form):
    site = forms.CharField(
        label=_("Site"),
        max_length=120,
        help_text=_("The name of the website or app where the ad was seen."),
    )
    url = forms.CharField(
        label=_("Address of the ad (URL)"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "off"}),
        help_text=_("The same address recorded twice is one ad: Vigie will say which."),
    )
    first_seen_on = forms.DateField(label=_("First seen on"), widget=_date_input())
    last_seen_on = forms.DateField(label=_("Last seen on"), widget=_date_input())
    text = forms.CharField(
        label=_("Text of the ad"),
        required=False,
        widget=_lines(8),
        help_text=_("Copied as written: phone numbers in it are found and linked."),
    )
    declared_age = forms.IntegerField(label=_("Stated age"), required=False)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    pseudonyms = forms.CharField(
        label=_("Pseudonyms"), required=False, widget=_lines(), help_text=_("One per line.")
    )
    phones = forms.CharField(
        label=_("Phone numbers"),
        required=False,
        widget=_lines(),
        help_text=_("One per line, as written in the ad (06 12 34 56 78, +40 712 345 678)."),
    )
    handles = forms.CharField(
        label=_("Accounts and handles"),
        required=False,
        widget=_lines(),
        help_text=_(
            "One per line: the platform, a colon and the name (snapchat:lea_x), "
            "or the profile's address (https://www.instagram.com/lea_x)."
        ),
    )
    photos = MultiplePhotoField(
        label=_("Photos of the ad"),
        required=False,
        help_text=_(
            "The photos are not kept: Vigie only keeps a fingerprint of each, which finds the "
            "same photo in other ads. JPEG, PNG or WebP."
        ),
    )
    worker_flags = forms.MultipleChoiceField(
        label=_("Your judgement"),
        required=False,
        choices=_worker_flag_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    observations = forms.CharField(label=_("Observations"), required=False, widget=_lines(4))

    # How the page groups the fields, each group a fieldset with its legend.
    GROUPS: tuple[tuple[Any, tuple[str, ...]], ...] = (
        (_("The ad"), ("site", "url", "first_seen_on", "last_seen_on", "text")),
        (_("The person as the ad presents them"), ("declared_age", "city", "pseudonyms")),
        (_("Ways to reach them"), ("phones", "handles")),
        (_("Photos"), ("photos", "remove_image_hashes")),
        (_("Your reading of the ad"), ("worker_flags", "observations")),
    )

    def __init__(self, *args: Any, image_hashes: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The fingerprints already recorded (changing an ad): kept unless ticked for removal.
        self.image_hashes = list(image_hashes)
        if self.image_hashes:
            self.fields["remove_image_hashes"] = forms.MultipleChoiceField(
                label=_("Photo fingerprints to remove"),
                required=False,
                choices=[(value, value) for value in self.image_hashes],
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Tick a fingerprint to remove it from the ad."),
            )

    def groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.GROUPS
        ]

    @property
    def photos_to_send_again(self) -> int:
        """A refused form cannot give back the files chosen: the page asks for them again."""
        return len(self.files.getlist("photos")) if self.is_bound and self.errors else 0

    def errors_add(self, error: ValidationError) -> None:
        """A service's error on the field it names; the fingerprints are the photos' field."""
        if hasattr(error, "error_dict"):
            error = ValidationError(
                {
                    ("photos" if field == "image_hashes" else field): messages
                    for field, messages in error.error_dict.items()
                }
            )
        form_errors_add(self, error)

    @classmethod
    def for_input(cls, data: AdInput) -> AdForm:
        """The form showing an ad as recorded (``ad_input_from``). Numbers found in the text are
        not repeated in the phones field: they come back from the text on saving, and go away
        with it when the worker deletes them from the text."""
        in_text = set(phones_in_text(data.text))
        return cls(
            image_hashes=data.image_hashes,
            initial={
                "site": data.site,
                "url": data.url,
                "first_seen_on": data.first_seen_on,
                "last_seen_on": data.last_seen_on,
                "text": data.text,
                "declared_age": data.declared_age,
                "city": data.city,
                "pseudonyms": "\n".join(data.pseudonyms),
                "phones": "\n".join(p for p in data.phones if p not in in_text),
                "handles": "\n".join(data.handles),
                "worker_flags": list(data.worker_flags),
                "observations": data.observations,
            },
        )

    @classmethod
    def blank(cls) -> AdForm:
        today = timezone.localdate()
        return cls(initial={"first_seen_on": today, "last_seen_on": today})

    def clean_photos(self) -> list[str]:
        """Each photo becomes its fingerprint here; the file itself goes no further."""
        photos: list[UploadedFile] = self.cleaned_data.get("photos") or []
        if len(photos) > PHOTOS_MAX:
            raise ValidationError(
                gettext("Send at most %(count)s photos at a time.") % {"count": PHOTOS_MAX}
            )
        # The upload handler keeps at most DOCUMENT_MAX_BYTES of the whole request in memory:
        # beyond, the last photos would arrive cut.
        if sum(photo.size or 0 for photo in photos) > settings.DOCUMENT_MAX_BYTES:
            raise ValidationError(
                gettext("The photos weigh more than %(size)s MB together: send fewer at a time.")
                % {"size": settings.DOCUMENT_MAX_BYTES // (1024 * 1024)}
            )
        hashes: list[str] = []
        errors: list[ValidationError] = []
        for photo in photos:
            try:
                hashes.append(image_fingerprint(photo, size=photo.size))
            except ValidationError as error:
                errors.extend(
                    ValidationError(
                        gettext("%(name)s: %(problem)s") % {"name": photo.name, "problem": message}
                    )
                    for message in error.messages
                )
            finally:
                photo.close()
        if errors:
            raise ValidationError(errors)
        return hashes

    def ad_input(self) -> AdInput:
        data = self.cleaned_data
        removed = set(data.get("remove_image_hashes") or [])
        kept = [value for value in self.image_hashes if value not in removed]
        return AdInput(
            site=data["site"],
            url=data["url"],
            first_seen_on=data["first_seen_on"],
            last_seen_on=data["last_seen_on"],
            text=data["text"],
            declared_age=data["declared_age"],
            city=data["city"],
            pseudonyms=_lines_of(data["pseudonyms"]),
            phones=_lines_of(data["phones"]),
            handles=_lines_of(data["handles"]),
            image_hashes=list(dict.fromkeys([*kept, *data["photos"]])),
            observations=data["observations"],
            worker_flags=list(data["worker_flags"]),
        )


class AdListForm(forms.Form):
    """The list's filters, from the query string. A value the list does not know is an error to
    show (422), never a silent reset."""

    signs_only = forms.BooleanField(label=_("Only ads with signs of a minor"), required=False)
    site = forms.ChoiceField(label=_("Site"), required=False)
    identifier = forms.CharField(
        label=_("Phone number or account"),
        required=False,
        max_length=200,
        help_text=_(
            "Finds the ads carrying this number however it is written (06 12 34 56 78 or "
            "+33612345678), or this account (snapchat:lea_x, a profile address, or a name "
            "searched on every platform)."
        ),
    )
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, sites: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site = cast(forms.ChoiceField, self.fields["site"])
        site.choices = [("", _("Every site")), *((s, s) for s in sites)]
