"""This device's push subscription, from static/web/notify.js (the preferences page): the
browser's PushSubscription.toJSON() in, how many of the member's devices get push out.
notify/subscriptions.py checks the address and the keys, the actions store and remove."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from buurtwacht.accounts.models import User
from buurtwacht.notify import actions
from buurtwacht.notify.selectors import push_device_count
from buurtwacht.notify.subscriptions import check_subscription, devices_text

from .alerts import POST_ERRORS, caller

router = Router(tags=["push"])


class PushKeys(Schema):
    p256dh: str = Field(..., description="The browser's P-256 public key, base64url.")
    auth: str = Field(..., description="The 16-byte authentication secret, base64url.")


class PushSubscriptionIn(Schema):
    """PushSubscription.toJSON() as the browser gives it (other fields are ignored)."""

    endpoint: str = Field(
        ..., description="The push service's address: https, public, at most 1000 characters."
    )
    keys: PushKeys


class PushEndpointIn(Schema):
    endpoint: str = Field(..., description="The address of the subscription to remove.")


class PushDevicesOut(Schema):
    message: str = Field(..., description="What happened, for people.")
    devices: int = Field(..., description="How many of the member's devices get push now.")
    devices_text: str = Field(..., description="The same, for people.")


def _devices(user: User, message: str) -> dict[str, Any]:
    count = push_device_count(user=user)
    return {"message": message, "devices": count, "devices_text": devices_text(count)}


@router.post(
    "/push-subscriptions",
    response={200: PushDevicesOut, **POST_ERRORS},
    operation_id="subscribe_push",
)
def subscribe_push(request: HttpRequest, body: PushSubscriptionIn) -> dict[str, Any]:
    """Push on this device.  The same browser again changes nothing; an address another
    account subscribed is this account's now (one browser, one person at a time)."""
    user = caller(request)
    endpoint, p256dh, auth = check_subscription(
        endpoint=body.endpoint, p256dh=body.keys.p256dh, auth=body.keys.auth
    )
    actions.subscribe_push(user=user, endpoint=endpoint, p256dh=p256dh, auth=auth)
    return _devices(user, _("Push notifications on this device are on."))


@router.delete(
    "/push-subscriptions",
    response={200: PushDevicesOut, **POST_ERRORS},
    operation_id="unsubscribe_push",
)
def unsubscribe_push(request: HttpRequest, body: PushEndpointIn) -> dict[str, Any]:
    """No more push on this device; an address that is not one of the member's changes
    nothing."""
    user = caller(request)
    actions.unsubscribe_push(user=user, endpoint=body.endpoint)
    return _devices(user, _("Push notifications on this device are off."))
