"""Ages and the presumption of minority (Civil Code art. 388, CRC art. 1, both seeds).

Pure functions, shared by the case file, the rights plan and the alerts. When only a birth year is
known, or the age is disputed, the doubt benefits the child: the 18th birthday is taken as late as
the known facts allow (31 December of the year), so that protection never ends early.
"""

from datetime import date

MAJORITY_AGE = 18


def birthday(born: date, years: int) -> date:
    """The day ``born`` turns ``years`` (29 February birthdays fall on 1 March)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return date(born.year + years, 3, 1)


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def latest_birth_date(
    *, birth_date: date | None, birth_year: int | None, disputed: bool
) -> date | None:
    """The birth date to count from, the child's benefit applied; None when nothing is known."""
    if birth_date is not None and not disputed:
        return birth_date
    year = birth_date.year if birth_date is not None else birth_year
    if year is None:
        return None
    return date(year, 12, 31)


def majority_date(
    *, birth_date: date | None, birth_year: int | None, disputed: bool
) -> date | None:
    born = latest_birth_date(birth_date=birth_date, birth_year=birth_year, disputed=disputed)
    return birthday(born, MAJORITY_AGE) if born else None


def majority_month(
    *, birth_date: date | None, birth_year: int | None, disputed: bool
) -> date | None:
    """First day of the month of the presumed 18th birthday (stored for alerts, see Case)."""
    majority = majority_date(birth_date=birth_date, birth_year=birth_year, disputed=disputed)
    return majority.replace(day=1) if majority else None


def minority_on(
    day: date, *, birth_date: date | None, birth_year: int | None, disputed: bool
) -> str:
    """``yes``, ``presumed`` or ``no``, as the identification engine says it (its rule 1).

    ``no`` only for a known, undisputed age of 18 or more. While the age is disputed (an
    assessment contested, an appeal pending) or unknown, the young person is presumed a minor.
    """
    if disputed:
        return "presumed"
    if birth_date is not None:
        return "yes" if day < birthday(birth_date, MAJORITY_AGE) else "no"
    if birth_year is not None:
        # A year alone: certainly a minor before the earliest possible 18th birthday, certainly
        # an adult after the latest; in between the doubt benefits the child.
        if day < date(birth_year + MAJORITY_AGE, 1, 1):
            return "yes"
        if day >= date(birth_year + MAJORITY_AGE, 12, 31):
            return "no"
    return "presumed"


def is_minor_on(
    day: date, *, birth_date: date | None, birth_year: int | None, disputed: bool
) -> bool:
    """A minor, or presumed one: every protection for minors applies."""
    return minority_on(day, birth_date=birth_date, birth_year=birth_year, disputed=disputed) != "no"
