"""Accounts: a resident with an e-mail login, a date of birth (18+) and a home address.

Members of a group see each other's name or initials only; e-mail, date of birth and
house number stay with the account (and its own export).
"""

import unicodedata
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils.translation import gettext_lazy as _

from buurtwacht.core.models import TimeStampedModel


def normalize_email(address: str | None) -> str:
    """The one spelling of an e-mail address that is stored and compared (exactly: never
    ``iexact``, whose database-side case folding differs: PostgreSQL folds the dotless i,
    U+0131, of ``l\u0131v@`` to ``liv@``).  Login, lockout counting and registration use it."""
    return unicodedata.normalize("NFKC", (address or "").strip()).lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        user = self.model(email=normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)  # house-rule: the manager behind accounts.actions
        return user

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email=normalize_email(username))

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


def normalized_login(request: Any, credentials: dict[str, str] | None = None) -> str:
    """The username django-axes counts failures for: case does not make a new one."""
    username = (credentials or {}).get("username") or getattr(request, "POST", {}).get("username")
    return normalize_email(username)


class User(AbstractBaseUser, PermissionsMixin, TimeStampedModel):
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    # Verified roles (police, municipality) are decisions of platform staff, recorded in
    # the municipality app (municipality/selectors.py: is_verified_police,
    # municipality_codes_for).
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Registered on the site: inactive until the link in the e-mail is followed.
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    # The site's language the person last chose (the switch, or the one they registered
    # in): notifications to them are written in it.  Empty: the site's default.
    language = models.CharField(_("language"), max_length=8, blank=True, default="")

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def initials(self) -> str:
        return "".join(part[0].upper() + "." for part in self.name.split() if part)

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split()[0] if self.name else ""


class HomeAddress(TimeStampedModel):
    """The resident's address as the geocoder resolved it.  Never shown to other members."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="home_address")
    street = models.CharField(max_length=200)
    number = models.PositiveIntegerField()
    letter = models.CharField(max_length=4, blank=True, default="")
    addition = models.CharField(max_length=8, blank=True, default="")
    postcode = models.CharField(max_length=6)
    city = models.CharField(max_length=200)
    municipality_code = models.CharField(max_length=16, blank=True, default="")
    lon = models.FloatField()
    lat = models.FloatField()

    def __str__(self) -> str:
        return f"{self.street} {self.house_number}, {self.postcode} {self.city}"

    @property
    def house_number(self) -> str:
        extra = f"-{self.addition}" if self.addition else ""
        return f"{self.number}{self.letter}{extra}"
