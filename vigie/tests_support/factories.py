"""factory_boy factories for the test suites of every app."""

import functools

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigie.accounts.models import Organisation, User
from vigie.cases.models import Case

TEST_PASSWORD = "correct horse battery staple vigie"


@functools.cache
def _test_password_hash() -> str:
    return make_password(TEST_PASSWORD)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = "association"
    departements = factory.LazyFunction(lambda: ["75"])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    role = "caseworker"
    organisation = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        # The test password's hash is computed once: Argon2 is slow on purpose.
        self.password = make_password(extracted) if extracted else _test_password_hash()
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        """Every account is enrolled unless built with totp=False."""
        if create and extracted is not False:
            TOTPDevice.objects.create(user=self, name="TOTP", confirmed=True)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"T-{n:06d}")
    first_name = "Aminata"
    last_name = factory.Sequence(lambda n: f"Testname{n}")
    birth_year = 2010
    gender = "girl"
    exploitation_forms = factory.LazyFunction(lambda: ["sexual_exploitation"])
    identified_on = factory.LazyFunction(timezone.localdate)


def audit_trail_reset_for_tests() -> None:
    """Empty the audit tables the way `vigie audit purge` may: under a purge permit.

    Transactional tests end with a flush that the append-only triggers would refuse.
    """
    from django.db import transaction

    from vigie.audit.models import AuditChainHead, AuditEvent, AuditEventSubject, AuditPurgePermit

    with transaction.atomic():
        permit = AuditPurgePermit.objects.create()
        AuditEventSubject.objects.all().delete()
        AuditEvent.objects.all().delete()
        AuditChainHead.objects.all().delete()
        permit.delete()


def screening_for_tests(case):
    """A stored screening of ``case`` with an empty result, for pages that need one to exist."""
    from vigie.identification.models import Screening

    return Screening.objects.create(
        case=case,
        catalogue_version="test",
        input={},
        result={"forms": [], "actions": [], "rules": [], "dimensions": [], "explanation": {}},
        assessment="no_indication",
        minor="presumed",
    )
