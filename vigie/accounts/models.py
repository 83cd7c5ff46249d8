"""Organisations (the tenants) and their users."""

from typing import ClassVar

from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin

from vigie.core.models import VigieModel

from .roles import Permission, Role, role_has_permission


class Organisation(VigieModel):
    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("Association")
        ASE = "ase", _("Child social services (ASE)")
        PJJ = "pjj", _("Judicial youth protection (PJJ)")
        UAPED = "uaped", _("Paediatric unit for children in danger (UAPED)")
        SIAO = "siao", _("Emergency housing service (SIAO)")
        POLICE = "police", _("Police or gendarmerie unit")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # INSEE département codes served (e.g. "75", "93", "2A", "971").
    departements = models.JSONField(_("départements served"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Counted in the cross-organisation statistics releases (vigie/monitoring): an organisation
    # that has not agreed to take part keeps its files out of every published number.
    in_statistics = models.BooleanField(_("counted in published statistics"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        raise ValueError(
            "Vigie has no superuser: use `vigie user create EMAIL --role platform_admin`."
        )


class User(AbstractBaseUser, VigieModel):  # type: ignore[django-manager-missing]
    """A person working in one organisation with one role.

    A person who works for two organisations holds two accounts: each account's rights and audit
    trail stay inside one tenant.
    """

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    # Bumped when the password or second factor changes, or the account is disabled: every
    # session started before is ended (see SessionLifetimeMiddleware).
    credentials_changed_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        constraints = [
            # Everyone but a platform administrator belongs to an organisation.
            models.CheckConstraint(
                condition=Q(role=Role.PLATFORM_ADMIN) | Q(organisation__isnull=False),
                name="user_has_organisation_unless_platform_admin",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    # No Django admin and no Django permission flags in Vigie: they would bypass the role table
    # and the tenant rules. Everything goes through has_vigie_permission.
    is_staff = False
    is_superuser = False

    def has_vigie_permission(self, permission: Permission) -> bool:
        return self.is_active and role_has_permission(self.role, permission)


class UserSession(models.Model):
    """A signed-in session, so that users see where they are signed in and can end it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tracked_sessions")
    session_key = models.CharField(max_length=64, unique=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.ip_address}"


class BackupCodeDevice(ThrottlingMixin, Device):
    """One-time recovery codes, stored hashed (unlike django-otp's static tokens)."""

    def get_throttle_factor(self) -> int:
        return 1

    def verify_token(self, token: str) -> bool:
        allowed, _detail = self.verify_is_allowed()
        if not allowed:
            return False
        normalised = normalise_backup_code(token)
        for code in self.codes.filter(used_at__isnull=True):
            if check_password(normalised, code.code_hash):
                code.used_at = timezone.now()
                code.save(update_fields=["used_at"])
                self.throttle_reset()
                return True
        self.throttle_increment()
        return False


class BackupCode(models.Model):
    device = models.ForeignKey(BackupCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=200)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"backup code {self.pk}"


def normalise_backup_code(token: str) -> str:
    return "".join(ch for ch in token.upper() if ch.isalnum())
