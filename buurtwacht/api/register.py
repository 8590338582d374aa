"""The public register as GeoJSON (R-REG-1), for the map and for municipalities.

No login.  Only listed groups and only public fields: id, name, the public page, the
municipality code and a size range.  Answers carry an ETag (the register's version and the
question); a client that sends it back in If-None-Match gets 304 without a body.
"""

import hashlib
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from buurtwacht.register.index import RegisterIndex, register_index

from .schemas import ErrorOut, InvalidOut

router = Router(tags=["register"])

GEOJSON = "application/geo+json"
MAX_AGE = 60


class FeatureCollectionOut(Schema):
    """A GeoJSON FeatureCollection.  Each feature is a group's outline (properties id,
    name, url, municipality, size) or, for a crowded viewport, a cluster point
    (properties cluster=true, count)."""

    type: str = "FeatureCollection"
    clustered: bool = False
    count: int = 0
    features: list[dict[str, Any]]


class BoxQuery(Schema):
    bbox: str = Field(
        ...,
        description="min_lon,min_lat,max_lon,max_lat in WGS84, e.g. 6.5,53.19,6.6,53.24",
        examples=["6.5,53.19,6.6,53.24"],
    )
    zoom: int = Field(..., ge=0, le=22, description="The map's zoom level (Web Mercator).")


def _error(status: int, code: str, message: str) -> HttpResponse:
    return HttpResponse(
        json.dumps({"code": code, "message": message}),
        status=status,
        content_type="application/json",
    )


def _answer(request: HttpRequest, *, index: RegisterIndex, question: str, body) -> HttpResponse:
    etag = (
        '"'
        + hashlib.blake2b(f"{index.version}|{question}".encode(), digest_size=12).hexdigest()
        + '"'
    )
    headers = {
        "ETag": etag,
        "Cache-Control": f"public, max-age={MAX_AGE}",
        "Vary": "Accept-Encoding",
    }
    wanted = request.headers.get("If-None-Match", "")
    if etag in [tag.strip().removeprefix("W/") for tag in wanted.split(",")]:
        return HttpResponse(status=304, headers=headers)
    return HttpResponse(body(), content_type=GEOJSON, headers=headers)


def _collection(features: list[str], *, clustered: bool, count: int) -> str:
    flag = "true" if clustered else "false"
    head = f'{{"type":"FeatureCollection","clustered":{flag},"count":{count},"features":['
    return head + ",".join(features) + "]}"


# The answers are served as application/geo+json (RFC 7946): the document says so.
GEOJSON_ANSWER = {
    "responses": {
        "200": {
            "content": {
                "application/geo+json": {
                    "schema": {"$ref": "#/components/schemas/FeatureCollectionOut"}
                }
            }
        }
    }
}


@router.get(
    "/register/groups.geojson",
    auth=None,
    url_name="register_bbox",
    operation_id="register_bbox",
    response={200: FeatureCollectionOut, 304: None, 400: ErrorOut, 422: InvalidOut},
    openapi_extra=GEOJSON_ANSWER,
    summary="Listed groups in a bounding box, simplified for the zoom level",
)
def groups_in_box(request: HttpRequest, query: Query[BoxQuery]) -> HttpResponse:
    try:
        min_lon, min_lat, max_lon, max_lat = (float(part) for part in query.bbox.split(","))
    except ValueError:
        return _error(400, "bbox", _("bbox is four numbers: min_lon,min_lat,max_lon,max_lat."))
    if not (-180 <= min_lon < max_lon <= 180 and -90 <= min_lat < max_lat <= 90):
        return _error(400, "bbox", _("bbox is four numbers: min_lon,min_lat,max_lon,max_lat."))
    index = register_index()
    # Rounded, so nearby viewports of the same map share an answer (and an ETag).
    box = tuple(round(v, 4) for v in (min_lon, min_lat, max_lon, max_lat))
    question = f"bbox|{box}|{query.zoom}"

    def body() -> str:
        view = index.viewport(
            min_lon=box[0], min_lat=box[1], max_lon=box[2], max_lat=box[3], zoom=query.zoom
        )
        return _collection(view.features, clustered=view.clustered, count=view.count)

    return _answer(request, index=index, question=question, body=body)


@router.get(
    "/register/municipalities/{code}.geojson",
    auth=None,
    url_name="register_municipality",
    operation_id="register_municipality",
    response={200: FeatureCollectionOut, 304: None, 422: InvalidOut},
    openapi_extra=GEOJSON_ANSWER,
    summary="Every listed group of one municipality (CBS code, e.g. GM0014)",
)
def groups_of_municipality(request: HttpRequest, code: str, zoom: int = 12) -> HttpResponse:
    index = register_index()
    zoom = max(0, min(zoom, 22))

    def body() -> str:
        features = index.municipality(code.upper(), zoom=zoom)
        return _collection(features, clustered=False, count=len(features))

    return _answer(request, index=index, question=f"gm|{code.upper()}|{zoom}", body=body)
