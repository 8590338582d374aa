"""Asking for a verified role over HTTP (the app): the same action as the web form.
Deciding stays on the staff pages."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from buurtwacht.municipality import actions, selectors
from buurtwacht.municipality.models import VerifiedRole

from .alerts import ERRORS, POST_ERRORS, caller

router = Router(tags=["verification"])


class VerificationIn(Schema):
    role: str = Field(..., json_schema_extra={"enum": list(VerifiedRole.values)})
    organisation: str
    official_email: str
    reference: str = Field("", description="What platform staff can check.")
    municipality_codes: list[str] = Field(
        default_factory=list, description="CBS codes (GM0014); coordinators only."
    )


class RequestOut(Schema):
    id: int
    role: str
    organisation: str
    municipality_codes: list[str]
    status: str
    confirm_by_email: bool = Field(..., description="A confirmation link went to the address.")


class RoleOut(Schema):
    role: str
    municipality_code: str
    granted_at: str


class MyVerificationOut(Schema):
    police: bool
    municipality_codes: list[str]
    roles: list[RoleOut]
    requests: list[RequestOut]


def _request(made: Any) -> dict[str, Any]:
    return {
        "id": made.pk,
        "role": made.role,
        "organisation": made.organisation,
        "municipality_codes": made.municipality_codes,
        "status": made.status,
        "confirm_by_email": made.status == "pending" and actions.official_domain(made),
    }


@router.post(
    "/verification-requests",
    response={201: RequestOut, **POST_ERRORS},
    operation_id="request_verification",
)
def request_verification(request: HttpRequest, body: VerificationIn) -> Status[dict[str, Any]]:
    """As police officer or municipality coordinator; platform staff decide (or an official
    municipality address of a configured domain confirms by e-mail)."""
    made = actions.request_verification(
        user=caller(request),
        draft=actions.VerificationDraft(
            role=body.role,
            organisation=body.organisation,
            official_email=body.official_email,
            reference=body.reference,
            municipality_codes=body.municipality_codes,
        ),
    )
    return Status(201, _request(made))


@router.get(
    "/verification",
    response={200: MyVerificationOut, **ERRORS},
    operation_id="my_verification",
)
def my_verification(request: HttpRequest) -> dict[str, Any]:
    user = caller(request)
    active = selectors.verifications_of(user=user).filter(revoked_at__isnull=True)
    return {
        "police": selectors.is_verified_police(user=user),
        "municipality_codes": sorted(selectors.municipality_codes_for(user=user)),
        "roles": [
            {
                "role": v.role,
                "municipality_code": v.municipality_code,
                "granted_at": v.granted_at.isoformat(),
            }
            for v in active
        ],
        "requests": [_request(r) for r in selectors.requests_of(user=user)],
    }
