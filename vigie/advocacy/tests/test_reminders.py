"""Reminders of the tracker's measures, by e-mail to the editors (`vigie advocacy remind`)."""

from datetime import date

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from vigie.tests_support.factories_advocacy import MeasureFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 4)


def test_editors_are_reminded_of_overdue_and_soon_due_measures(users, capsys):
    MeasureFactory(title="Circulaire aux parquets", due_on=date(2026, 11, 1))
    MeasureFactory(title="Décret d’application", due_on=date(2026, 12, 20), responsible="DGCS")
    MeasureFactory(title="Plus tard", due_on=date(2027, 6, 1))
    MeasureFactory(title="Déjà faite", due_on=date(2026, 10, 1), done_on=date(2026, 10, 2))

    call_command("advocacy", "remind", "--today", TODAY.isoformat())

    recipients = sorted(message.to[0] for message in mail.outbox)
    # The analysts of both organisations edit the tracker; nobody else is written to.
    assert recipients == sorted(users[("analyst", scope)].email for scope in ("a", "b"))
    body = mail.outbox[0].body
    assert "Circulaire aux parquets (REC-" in body
    assert "Décret d’application (REC-" in body and "— DGCS" in body
    assert body.index("Circulaire aux parquets") < body.index("Décret d’application")
    assert "Plus tard" not in body and "Déjà faite" not in body
    # The subject is one line of plain spaces (mail clients fold other spaces badly).
    assert mail.outbox[0].subject == "Vigie : 2 mesures à suivre"
    assert "/plaidoyer/recommandations/echeances/" in body
    assert "2 reminders sent." in capsys.readouterr().out


def test_nothing_due_sends_nothing_and_a_dry_run_never_sends(users, capsys):
    call_command("advocacy", "remind", "--today", TODAY.isoformat())
    assert mail.outbox == []
    MeasureFactory(due_on=date(2026, 11, 1))
    call_command("advocacy", "remind", "--dry-run", "--today", TODAY.isoformat())
    assert mail.outbox == []
    assert "Dry run: 2 reminders would be sent" in capsys.readouterr().out


def test_a_bad_date_is_named(db):
    with pytest.raises(CommandError, match="--today"):
        call_command("advocacy", "remind", "--today", "demain")
