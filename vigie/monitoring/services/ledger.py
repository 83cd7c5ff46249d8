"""The privacy ledger: every release's budget, charged to its year, never above the yearly total.

Releases over the same files compose: by basic composition, k releases of (ε_i, δ_i) are together
(Σε_i, Σδ_i)-differentially private. The ledger keeps that sum under the configured yearly total
(settings VIGIE_PRIVACY_YEARLY_EPSILON and VIGIE_PRIVACY_YEARLY_DELTA), so no sequence of releases
can add up to more than what the organisations agreed to publish in a year.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from ..models import LedgerEntry, LedgerYear, Release

# Sums of floats: a release that exactly fills the budget must not be refused for a rounding.
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Budget:
    year: int
    epsilon_limit: float
    delta_limit: float
    epsilon_spent: float
    delta_spent: float

    @property
    def epsilon_left(self) -> float:
        return max(self.epsilon_limit - self.epsilon_spent, 0.0)

    @property
    def delta_left(self) -> float:
        return max(self.delta_limit - self.delta_spent, 0.0)


def budget_get(year: int) -> Budget:
    spent = LedgerEntry.objects.filter(year=year).aggregate(e=Sum("epsilon"), d=Sum("delta"))
    return Budget(
        year=year,
        epsilon_limit=float(settings.VIGIE_PRIVACY_YEARLY_EPSILON),
        delta_limit=float(settings.VIGIE_PRIVACY_YEARLY_DELTA),
        epsilon_spent=float(spent["e"] or 0.0),
        delta_spent=float(spent["d"] or 0.0),
    )


@transaction.atomic
def budget_charge(*, release: Release, year: int) -> LedgerEntry:
    """Record the release's (ε, δ) for ``year``; ValidationError naming what would overflow.

    Runs in the caller's transaction: the release and its charge are written together or not at
    all. The year's row is locked first, so concurrent charges are checked one after the other.
    """
    LedgerYear.objects.get_or_create(year=year)
    LedgerYear.objects.select_for_update().get(year=year)
    budget = budget_get(year)
    errors: dict[str, str] = {}
    if budget.epsilon_spent + release.epsilon > budget.epsilon_limit + _TOLERANCE:
        errors["epsilon"] = _(
            "This release would spend ε = %(asked)s, but only %(left)s of the yearly "
            "%(limit)s is left for %(year)s."
        ) % {
            "asked": f"{release.epsilon:g}",
            "left": f"{budget.epsilon_left:g}",
            "limit": f"{budget.epsilon_limit:g}",
            "year": year,
        }
    if budget.delta_spent + release.delta > budget.delta_limit + _TOLERANCE:
        errors["delta"] = _(
            "This release would spend δ = %(asked)s, but only %(left)s of the yearly "
            "%(limit)s is left for %(year)s."
        ) % {
            "asked": f"{release.delta:g}",
            "left": f"{budget.delta_left:g}",
            "limit": f"{budget.delta_limit:g}",
            "year": year,
        }
    if errors:
        raise ValidationError(errors)
    return LedgerEntry.objects.create(
        release=release, year=year, epsilon=release.epsilon, delta=release.delta
    )
