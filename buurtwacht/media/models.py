"""Photos on alerts (R-RUL-6).  The bytes are stored re-encoded, without metadata, in the
database row itself: deleting the row (the alert, the group, retention) deletes the photo,
with nothing left behind on a disk or in a cache."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from buurtwacht.alerts.models import Alert


class PhotoReason(models.TextChoices):
    """Why the photo is necessary: relevant and of added value for the alert."""

    RECOGNISE_PERSON = "recognise_person", _("It helps to recognise the person")
    RECOGNISE_VEHICLE = "recognise_vehicle", _("It helps to recognise the vehicle")
    DAMAGE = "damage", _("It shows damage or traces")
    SITUATION = "situation", _("It shows the situation better than words")


class AlertPhoto(models.Model):
    alert = models.OneToOneField(Alert, on_delete=models.CASCADE, related_name="photo")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=32, choices=PhotoReason.choices)
    reason_text = models.TextField()
    image = models.BinaryField()  # JPEG, at most MAX_SIDE pixels on its longest side
    thumbnail = models.BinaryField()  # JPEG, at most THUMB_SIDE
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"photo of alert {self.alert_id}"
