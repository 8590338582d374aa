"""manage.py download_open_data against a local server that speaks PDOK's OGC API Features:
paging by `next` links, a bbox filter, an error that lasts, a timeout.  The content is the real
open data that ships with Buurtwacht (gemeenten, PC4 areas, Groningen BAG addresses) in the
property names PDOK uses."""

import contextlib
import csv
import io
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import shapely
import shapely.geometry
from django.core.management import call_command
from django.core.management.base import CommandError

from buurtwacht.demo import data as demo
from buurtwacht.geo import download
from buurtwacht.geo.actions import import_addresses, import_areas
from buurtwacht.geo.models import Address, Area, AreaKind

GRONINGEN = "GM0014"
STREETS = {"Grote Beerstraat", "Paterswoldseweg", "Poelestraat"}


@dataclass
class Collections:
    items: dict[str, list[dict[str, Any]]]
    requests: list[tuple[str, int]] = field(default_factory=list)  # (collection, offset)
    fail: dict[tuple[str, int], int] = field(default_factory=dict)  # -> HTTP status
    slow: dict[tuple[str, int], float] = field(default_factory=dict)  # -> seconds


def _feature(geometry: Any, **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": props}


@pytest.fixture(scope="module")
def collections(gemeenten_geojson: Path, pc4_geojson: Path, groningen_csv: Path) -> Collections:
    gemeenten = [
        _feature(f["geometry"], gemeentecode=f["properties"]["code"], gemeentenaam=name)
        for f in json.loads(gemeenten_geojson.read_text())["features"]
        if (name := f["properties"]["areaname"])
    ]
    groningen = shapely.geometry.shape(
        next(f["geometry"] for f in gemeenten if f["properties"]["gemeentecode"] == GRONINGEN)
    ).buffer(0)
    pc4 = [
        _feature(f["geometry"], postcode=f["properties"]["pc4"])
        for f in json.loads(pc4_geojson.read_text())["features"]
    ]
    # The CBS wijken and buurten are not in the shipped open data: Groningen's PC4 areas
    # stand in for them, and the outlines of two neighbouring municipalities (in Groningen's
    # bbox, not in Groningen) for the neighbours' wijken.
    neighbours = [
        _feature(f["geometry"], postcode="0000")
        for f in gemeenten
        if f["properties"]["gemeentecode"] in {"GM1966", "GM1969"}
    ]
    wijken, buurten = [], []
    for index, feature in enumerate(pc4 + neighbours):
        shape = shapely.geometry.shape(feature["geometry"]).buffer(0)
        code = GRONINGEN if groningen.contains(shape.representative_point()) else "GM0000"
        wijk = f"WK{code[2:]}{index:02d}"
        wijken.append(
            _feature(
                feature["geometry"],
                wijkcode=wijk,
                wijknaam=f"Wijk {index}",
                gemeentecode=code,
                gemeentenaam="x",
            )
        )
        buurten.append(
            _feature(
                feature["geometry"],
                buurtcode=f"BU{code[2:]}{index:04d}",
                buurtnaam=f"Buurt {index}",
                wijkcode=wijk,
                gemeentecode=code,
                gemeentenaam="x",
            )
        )
    addresses = []
    with groningen_csv.open(newline="") as fh:
        for row in csv.DictReader(fh):
            if row["street"] in STREETS:
                addresses.append(
                    _feature(
                        {"type": "Point", "coordinates": [float(row["lon"]), float(row["lat"])]},
                        openbare_ruimte_naam=row["street"],
                        huisnummer=int(row["number"]),
                        huisletter=row["letter"] or None,
                        toevoeging=row["suffix"] or None,
                        postcode=row["postal_code"],
                        woonplaats_naam=row["city"],
                    )
                )
    # An address in the bbox of Groningen but outside it (in the Hoogkerk corner's box).
    minx, miny, maxx, maxy = groningen.bounds
    corner = next(
        (x, y)
        for x in (minx + 0.001, maxx - 0.001)
        for y in (miny + 0.001, maxy - 0.001)
        if not groningen.contains(shapely.Point(x, y))
    )
    addresses.append(
        _feature(
            {"type": "Point", "coordinates": list(corner)},
            openbare_ruimte_naam="Buitenweg",
            huisnummer=1,
            postcode="9999ZZ",
            woonplaats_naam="Ergens",
        )
    )
    return Collections(
        items={
            "gemeenten": gemeenten,
            "wijken": wijken,
            "buurten": buurten,
            "postcode4": pc4,
            "verblijfsobject": addresses,
        }
    )


@pytest.fixture
def pdok(collections: Collections) -> Iterator[tuple[str, Collections]]:
    collections.requests.clear()
    collections.fail.clear()
    collections.slow.clear()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            parts = url.path.strip("/").split("/")  # <api>/collections/<name>/items
            name = parts[-2]
            offset, limit = int(query.get("offset", 0)), int(query["limit"])
            collections.requests.append((name, offset))
            time.sleep(collections.slow.get((name, offset), 0))
            if status := collections.fail.get((name, offset)):
                self.send_error(status)
                return
            items = collections.items[name]
            if "bbox" in query:
                box = shapely.box(*map(float, query["bbox"].split(",")))
                items = [f for f in items if shapely.geometry.shape(f["geometry"]).intersects(box)]
            page = items[offset : offset + limit]
            links = []
            if offset + limit < len(items):
                following = urllib.parse.urlencode({**query, "offset": offset + limit})
                links.append(
                    {"rel": "next", "href": f"http://{self.headers['Host']}{url.path}?{following}"}
                )
            body = json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": page,
                    "links": links,
                    "numberMatched": len(items),
                    "numberReturned": len(page),
                }
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/geo+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError):  # the timeout test stopped waiting
                self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    yield base, collections
    server.shutdown()
    server.server_close()


def _sources(base: str) -> download.Sources:
    return download.Sources(
        gemeenten=f"{base}/cbs/collections/gemeenten/items",
        wijken=f"{base}/cbs/collections/wijken/items",
        buurten=f"{base}/cbs/collections/buurten/items",
        pc4=f"{base}/pc4/collections/postcode4/items",
        addresses=f"{base}/bag/collections/verblijfsobject/items",
    )


@pytest.fixture(autouse=True)
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(download, "PAGE_SIZE", 100)


QUICK = download.Fetcher(timeout=2, attempts=2, pause=0)


@pytest.mark.django_db
def test_a_municipality_downloads_page_by_page_into_files_the_importers_read(pdok, tmp_path):
    base, served = pdok
    folder = download.download_municipality(
        code="gm0014", dest=tmp_path, sources=_sources(base), fetcher=QUICK
    )
    assert folder == tmp_path / GRONINGEN
    pages = [offset for name, offset in served.requests if name == "verblijfsobject"]
    assert len(pages) > 1 and pages == sorted(set(pages))  # paged, each page once

    reports = {name: import_areas(path=folder / name) for name in download.AREA_FILES}
    report = import_addresses(path=folder / download.ADDRESS_FILE)
    assert report.rejected == []
    served_groningen = [
        f for f in served.items["buurten"] if f["properties"]["gemeentecode"] == GRONINGEN
    ]
    # Of the served wijken and buurten only Groningen's, of the gemeenten all of them.
    assert reports["buurten.geojson"].features == len(served_groningen)
    assert reports["wijken.geojson"].features == len(served_groningen)
    assert [reports[n].kind for n in download.AREA_FILES] == ["gemeente", "wijk", "buurt", "pc4"]
    assert reports["gemeenten.geojson"].features == len(served.items["gemeenten"])
    for code in [f["properties"]["buurtcode"] for f in served_groningen]:
        assert (
            Area.objects.get(kind=AreaKind.BUURT, code=code, retired_at=None).municipality_code
            == GRONINGEN
        )
    assert Area.objects.filter(kind=AreaKind.PC4, code="9711").exists()
    # Every served address inside Groningen, and only those.
    assert report.rows == len(served.items["verblijfsobject"]) - 1
    assert not Address.objects.filter(postcode="9999ZZ").exists()
    street = Address.objects.filter(street__name="Grote Beerstraat").first()
    assert street is not None and street.street.municipality_code == GRONINGEN

    manifest = download.complete_download(folder)
    assert manifest is not None
    assert manifest["files"][download.ADDRESS_FILE]["rows"] == report.rows
    assert not (folder / ".parts").exists()

    served.requests.clear()
    download.download_municipality(code=GRONINGEN, dest=tmp_path, sources=_sources(base))
    assert served.requests == []  # complete and unchanged: nothing fetched again
    (folder / download.ADDRESS_FILE).write_text("changed")
    download.download_municipality(
        code=GRONINGEN, dest=tmp_path, sources=_sources(base), fetcher=QUICK
    )
    assert served.requests and download.complete_download(folder) is not None


def test_a_download_that_stopped_on_an_error_goes_on_where_it_stopped(pdok, tmp_path):
    base, served = pdok
    served.fail[("verblijfsobject", 200)] = 503
    with pytest.raises(download.DownloadError, match="HTTP 503"):
        download.download_municipality(
            code=GRONINGEN, dest=tmp_path, sources=_sources(base), fetcher=QUICK
        )
    assert served.requests.count(("verblijfsobject", 200)) == QUICK.attempts
    assert download.complete_download(tmp_path / GRONINGEN) is None

    served.fail.clear()
    served.requests.clear()
    download.download_municipality(
        code=GRONINGEN, dest=tmp_path, sources=_sources(base), fetcher=QUICK
    )
    # Only what was missing: no area collection again, the address pages from 200 on.
    assert {name for name, _ in served.requests} == {"verblijfsobject"}
    assert min(offset for _, offset in served.requests) == 200
    assert download.complete_download(tmp_path / GRONINGEN) is not None


def test_a_server_that_does_not_answer_in_time_stops_the_download_with_a_clear_error(
    pdok, tmp_path
):
    base, served = pdok
    served.slow[("buurten", 0)] = 1.5
    fetcher = download.Fetcher(timeout=0.3, attempts=1, pause=0)
    with pytest.raises(download.DownloadError, match=r"geen antwoord binnen 0\.3 s"):
        download.download_municipality(
            code=GRONINGEN, dest=tmp_path, sources=_sources(base), fetcher=fetcher
        )


def test_the_command_refuses_a_code_that_is_not_a_municipality(tmp_path):
    with pytest.raises(CommandError, match="GM en vier cijfers"):
        call_command("download_open_data", "Groningen", "--dest", str(tmp_path))


@pytest.mark.django_db
def test_the_demo_without_a_download_runs_on_the_shipped_open_data(tmp_path, settings):
    settings.PDOK_CBS_URL = "http://127.0.0.1:9/cbs"  # port 9 (discard): no network needed
    demo.load_open_data(data_dir=tmp_path, out=io.StringIO())
    assert Address.objects.filter(street__name="Grote Beerstraat").count() == 170
    assert Area.objects.filter(kind=AreaKind.GEMEENTE, code=GRONINGEN).exists()
    assert Area.objects.filter(kind=AreaKind.PC4, code="9712").exists()


def test_the_demo_asked_to_download_without_network_says_what_to_do(tmp_path, settings):
    settings.PDOK_CBS_URL = "http://127.0.0.1:9/cbs"  # port 9 (discard): refused at once
    with pytest.raises(demo.DemoDataError, match="--download"):
        demo.load_open_data(data_dir=tmp_path, out=io.StringIO(), download_missing=True)
