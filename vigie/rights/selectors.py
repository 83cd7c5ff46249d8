"""Reads of rights plans, for a case already obtained (and audited) through case_get_for_user."""

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from vigie.cases.models import Case
from vigie.identification.labels import ACTION_LABELS

from .catalogue import Right, load_catalogue
from .forms import RightItemForm
from .labels import automatic_reason_label
from .models import OPEN_STATES, RightItem, RightState
from .plan import OPENED_BY_CATALOGUE

# "Due soon": the window the daily view and the digests use too.
DUE_SOON_DAYS = 14


def _language() -> str:
    return (get_language() or "fr")[:2]


def right_title(right_id: str) -> str:
    """The catalogue's name of a right in the current language (the id for an unknown one)."""
    right = load_catalogue().rights.get(right_id)
    if right is None:
        return right_id
    return right.label.get(_language()) or right.label["fr"]


@dataclass
class RightRow:
    """One line of a child's plan, as the case page shows it."""

    item: RightItem
    right: Right | None
    today: date

    def _text(self, texts: dict[str, str]) -> str:
        return texts.get(_language()) or texts.get("fr", "")

    @property
    def title(self) -> str:
        return self._text(self.right.label) if self.right else self.item.right_id

    @property
    def help(self) -> str:
        return self._text(self.right.help) if self.right else ""

    @property
    def evidence_expected(self) -> str:
        return self._text(self.right.evidence) if self.right else ""

    @property
    def deadline_basis(self) -> str:
        return self._text(self.right.deadline_basis) if self.right else ""

    @property
    def seed_source(self) -> str:
        """The report the seed paragraph comes from (the catalogue's citation)."""
        return load_catalogue().sources.get(self.right.seed.source, "") if self.right else ""

    @property
    def is_open(self) -> bool:
        return self.item.state in OPEN_STATES

    @property
    def days_left(self) -> int | None:
        if self.item.due_on is None:
            return None
        return (self.item.due_on - self.today).days

    @property
    def urgency(self) -> str:
        """ "overdue", "today", "soon" or "" -- for a CSS hook; the words are in ``due_words``."""
        days = self.days_left
        if not self.is_open or days is None:
            return ""
        if days < 0:
            return "overdue"
        if days == 0:
            return "today"
        return "soon" if days <= DUE_SOON_DAYS else ""

    @property
    def due_words(self) -> str:
        """The deadline in words, so that it never depends on a colour."""
        days = self.days_left
        if not self.is_open or days is None:
            return ""
        if days < 0:
            return ngettext("Overdue by %(days)d day", "Overdue by %(days)d days", -days) % {
                "days": -days
            }
        if days == 0:
            return _("Due today")
        if days <= DUE_SOON_DAYS:
            return ngettext("Due in %(days)d day", "Due in %(days)d days", days) % {"days": days}
        return ""

    @property
    def opened_by_words(self) -> str:
        opened_by = self.item.opened_by
        if opened_by in ("", OPENED_BY_CATALOGUE):
            return _("The case file")
        label = ACTION_LABELS.get(opened_by)
        if label is None:
            return opened_by
        return _("Screening: %(action)s") % {"action": label}

    @property
    def automatic_words(self) -> str:
        return automatic_reason_label(self.item.automatic_reason)

    @cached_property
    def form(self) -> RightItemForm:
        return RightItemForm(
            initial={"state": self.item.state}, auto_id=RightItemForm.auto_id_for(self.item)
        )


def rights_plan_for_case(*, case: Case) -> list[RightRow]:
    """The case's plan: open rights by deadline, then finished ones, then those not applicable."""
    catalogue = load_catalogue()
    today = timezone.localdate()
    order = {right_id: position for position, right_id in enumerate(catalogue.rights)}
    items = list(RightItem.objects.filter(case=case))

    def sort_key(item: RightItem) -> tuple[int, date, int, str]:
        group = (
            0 if item.state in OPEN_STATES else 2 if item.state == RightState.NOT_APPLICABLE else 1
        )
        return (group, item.due_on or date.max, order.get(item.right_id, len(order)), item.right_id)

    return [
        RightRow(item=item, right=catalogue.rights.get(item.right_id), today=today)
        for item in sorted(items, key=sort_key)
    ]
