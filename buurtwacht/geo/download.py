"""Download the open data of chosen municipalities from PDOK's public OGC API Features.

What comes out is what the importers read: for municipality ``GM0014`` a folder ``GM0014/``
with ``gemeenten.geojson`` (all of the country: streets get their municipality from it),
``wijken.geojson``, ``buurten.geojson`` and ``pc4.geojson`` (CBS wijk- en buurtkaart and
CBS postcode-4 areas, WGS84) and ``adressen.csv`` (BAG addresses, the columns of
``import_addresses``), plus ``manifest.json`` with each file's SHA-256 and row count.

- **Paging** follows the ``next`` links of OGC API Features (``limit`` per page).
- **Resumable**: each page is kept (already filtered to the municipality) in
  ``.parts/<file>/`` with a small state file, written after the page; a run that stopped
  (error, timeout, Ctrl-C) continues from the first page it does not have.
- **Checksums**: PDOK's OGC APIs publish none, so the manifest records our own; a folder
  whose files no longer match their manifest is downloaded again.
- The municipality's outline (from ``gemeenten``) selects what lies inside it: areas by
  their ``gemeentecode`` (wijken, buurten) or by overlap (PC4), addresses by their point.
"""

import csv
import hashlib
import io
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
import shapely.geometry
from django.conf import settings
from django.utils.translation import gettext as _

from .actions.addresses import ADDRESS_COLUMNS
from .actions.common import ImportFileError, Writer

PAGE_SIZE = 1000  # PDOK's largest `limit`
AREA_FILES = ("gemeenten.geojson", "wijken.geojson", "buurten.geojson", "pc4.geojson")
ADDRESS_FILE = "adressen.csv"
MANIFEST = "manifest.json"
# BAG property names, first match wins (PDOK's BAG OGC API, and older spellings).
BAG_FIELDS: dict[str, tuple[str, ...]] = {
    "street": ("openbare_ruimte_naam", "openbareruimtenaam", "straatnaam"),
    "number": ("huisnummer",),
    "letter": ("huisletter",),
    "suffix": ("toevoeging", "huisnummertoevoeging"),
    "postal_code": ("postcode",),
    "city": ("woonplaats_naam", "woonplaatsnaam", "woonplaats"),
}


class DownloadError(ImportFileError):
    """A download stopped; what was fetched so far is kept for the next run."""


@dataclass(frozen=True)
class Sources:
    """Where each collection lives (items URLs of OGC API Features)."""

    gemeenten: str
    wijken: str
    buurten: str
    pc4: str
    addresses: str

    @classmethod
    def from_settings(cls) -> "Sources":
        cbs = settings.PDOK_CBS_URL.rstrip("/")
        return cls(
            gemeenten=f"{cbs}/collections/gemeenten/items",
            wijken=f"{cbs}/collections/wijken/items",
            buurten=f"{cbs}/collections/buurten/items",
            pc4=f"{settings.PDOK_PC4_URL.rstrip('/')}/collections/postcode4/items",
            addresses=f"{settings.PDOK_BAG_URL.rstrip('/')}/collections/verblijfsobject/items",
        )


@dataclass(frozen=True)
class Fetcher:
    """HTTP with a timeout and a few retries for what may pass (timeouts, 5xx, 429)."""

    timeout: float = 30.0
    attempts: int = 3
    pause: float = 2.0

    def json(self, url: str) -> dict[str, Any]:
        last = ""
        for attempt in range(self.attempts):
            if attempt:
                time.sleep(self.pause * attempt)
            request = urllib.request.Request(  # noqa: S310  (https URLs from the settings)
                url, headers={"Accept": "application/geo+json, application/json"}
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    data = json.load(response)
            except urllib.error.HTTPError as exc:
                last = f"HTTP {exc.code}"
                if exc.code < 500 and exc.code != 429:
                    break
            except (TimeoutError, urllib.error.URLError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                if not isinstance(reason, TimeoutError):
                    last = str(reason)  # no network, no such host: trying again won't help
                    break
                last = _("no answer within %(seconds)s s") % {"seconds": self.timeout}
            except (json.JSONDecodeError, UnicodeDecodeError):
                last = _("the answer is not JSON")
            else:
                if isinstance(data, dict):
                    return data
                last = _("the answer is not a JSON object")
        raise DownloadError(
            _("Could not fetch %(url)s: %(reason)s") % {"url": _shorten(url), "reason": last}
        )


def _shorten(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


# --- one collection, page by page -------------------------------------------------------


def _page_url(url: str, params: dict[str, str]) -> str:
    query = urllib.parse.urlencode({"f": "json", "limit": str(PAGE_SIZE), **params})
    return f"{url}{'&' if '?' in url else '?'}{query}"


def _next_link(page: dict[str, Any]) -> str | None:
    for link in page.get("links") or []:
        if isinstance(link, dict) and link.get("rel") == "next" and link.get("href"):
            return str(link["href"])
    return None


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _collect(
    *,
    name: str,
    first_url: str,
    parts: Path,
    fetcher: Fetcher,
    keep: Callable[[list[dict[str, Any]]], bytes],
    progress: Callable[[str, int, int | None], None],
) -> list[Path]:
    """Fetch every page of a collection into ``parts/<name>/NNNNN`` (``keep`` turns the
    features of a page into the bytes to keep), resuming after the last page kept."""
    folder = parts / name
    folder.mkdir(parents=True, exist_ok=True)
    state_path = folder / "state.json"
    state = json.loads(state_path.read_text()) if state_path.is_file() else {}
    if state.get("first") != first_url:  # another query: start over
        state = {"first": first_url, "pages": 0, "next": first_url, "features": 0}
    while state["next"]:
        page = fetcher.json(state["next"])
        features = page.get("features")
        if not isinstance(features, list):
            raise DownloadError(
                _("%(url)s is not a page of GeoJSON features") % {"url": _shorten(state["next"])}
            )
        _write_atomic(folder / f"{state['pages']:05d}", keep(features))
        state.update(
            pages=state["pages"] + 1,
            next=_next_link(page),
            features=state["features"] + len(features),
            matched=page.get("numberMatched"),
        )
        _write_atomic(state_path, json.dumps(state).encode())
        progress(name, state["features"], state.get("matched"))
    return [folder / f"{index:05d}" for index in range(state["pages"])]


# --- what to keep of a page ----------------------------------------------------------------


def _features_json(features: list[dict[str, Any]]) -> bytes:
    return json.dumps(features, ensure_ascii=False).encode()


def _join_features(paths: list[Path]) -> bytes:
    features = [item for path in paths for item in json.loads(path.read_bytes())]
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False
    ).encode()


def _of_municipality(code: str) -> Callable[[list[dict[str, Any]]], bytes]:
    def keep(features: list[dict[str, Any]]) -> bytes:
        return _features_json(
            [f for f in features if (f.get("properties") or {}).get("gemeentecode") == code]
        )

    return keep


def _overlapping(outline: shapely.Geometry) -> Callable[[list[dict[str, Any]]], bytes]:
    def keep(features: list[dict[str, Any]]) -> bytes:
        kept = []
        for feature in features:
            try:
                shape = shapely.geometry.shape(feature["geometry"]).buffer(0)
            except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException):
                continue  # the importer reports broken outlines; here they are not ours
            if shape.intersection(outline).area > 0.05 * shape.area:
                kept.append(feature)
        return _features_json(kept)

    return keep


def _first(props: dict[str, Any], names: tuple[str, ...]) -> str:
    for name in names:
        value = props.get(name)
        if value not in (None, ""):
            return str(value)
    return ""


def _addresses_inside(outline: shapely.Geometry) -> Callable[[list[dict[str, Any]]], bytes]:
    shapely.prepare(outline)

    def keep(features: list[dict[str, Any]]) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out)
        for feature in features:
            geometry = feature.get("geometry") or {}
            coords = geometry.get("coordinates") if geometry.get("type") == "Point" else None
            if not coords or len(coords) < 2:
                continue
            lon, lat = float(coords[0]), float(coords[1])
            if not shapely.contains_xy(outline, lon, lat):
                continue
            props = feature.get("properties") or {}
            row = {column: _first(props, BAG_FIELDS[column]) for column in BAG_FIELDS}
            writer.writerow([*(row[column] for column in ADDRESS_COLUMNS[:6]), lon, lat])
        return out.getvalue().encode()

    return keep


# --- a municipality -----------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def complete_download(folder: Path) -> dict[str, Any] | None:
    """The manifest of a finished download in ``folder`` whose files still match it."""
    path = folder / MANIFEST
    if not path.is_file():
        return None
    manifest = json.loads(path.read_text())
    for name, entry in manifest["files"].items():
        file = folder / name
        if not file.is_file() or _sha256(file) != entry["sha256"]:
            return None
    return manifest


def _outline(gemeenten: Path, code: str) -> shapely.Geometry:
    for feature in json.loads(gemeenten.read_bytes())["features"]:
        if (feature.get("properties") or {}).get("gemeentecode") == code:
            return shapely.geometry.shape(feature["geometry"]).buffer(0)
    raise DownloadError(_("Municipality %(code)s is not in the CBS gemeenten") % {"code": code})


def download_municipality(
    *,
    code: str,
    dest: Path,
    sources: Sources | None = None,
    fetcher: Fetcher | None = None,
    stdout: Writer | None = None,
) -> Path:
    """Download (or finish downloading) the open data of one municipality into
    ``dest/<code>/``; returns that folder.  A finished, unchanged download is kept as it is."""
    code = code.strip().upper()
    if not (code.startswith("GM") and code[2:].isdigit() and len(code) == 6):
        raise DownloadError(
            _("%(code)s is not a CBS municipality code (GM and four digits, e.g. GM0014)")
            % {"code": code}
        )
    folder = dest / code
    if complete_download(folder) is not None:
        _say(stdout, _("%(folder)s is complete; nothing to download") % {"folder": folder})
        return folder
    sources = sources or Sources.from_settings()
    fetcher = fetcher or Fetcher()
    parts = folder / ".parts"
    progress = _progress(stdout)

    def collect(name: str, url: str, keep: Callable[[list[dict[str, Any]]], bytes], **params: str):
        return _collect(
            name=name,
            first_url=_page_url(url, params),
            parts=parts,
            fetcher=fetcher,
            keep=keep,
            progress=progress,
        )

    files: dict[str, bytes] = {}
    files["gemeenten.geojson"] = _join_features(
        collect("gemeenten", sources.gemeenten, _features_json)
    )
    _write_atomic(folder / "gemeenten.geojson", files["gemeenten.geojson"])
    outline = _outline(folder / "gemeenten.geojson", code)
    bbox = ",".join(f"{value:.6f}" for value in outline.bounds)
    for name, url in (("wijken", sources.wijken), ("buurten", sources.buurten)):
        files[f"{name}.geojson"] = _join_features(
            collect(name, url, _of_municipality(code), bbox=bbox)
        )
    files["pc4.geojson"] = _join_features(
        collect("pc4", sources.pc4, _overlapping(outline), bbox=bbox)
    )
    header = ",".join(ADDRESS_COLUMNS).encode() + b"\r\n"
    address_parts = collect("adressen", sources.addresses, _addresses_inside(outline), bbox=bbox)
    files[ADDRESS_FILE] = header + b"".join(path.read_bytes() for path in address_parts)

    manifest: dict[str, Any] = {"municipality": code, "sources": vars(sources), "files": {}}
    for name, data in files.items():
        _write_atomic(folder / name, data)
        rows = data.count(b"\n") - 1 if name == ADDRESS_FILE else len(json.loads(data)["features"])
        manifest["files"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "rows": rows}
    _write_atomic(folder / MANIFEST, json.dumps(manifest, indent=2).encode())
    for path in parts.glob("*/*"):
        path.unlink()
    for path in parts.glob("*"):
        path.rmdir()
    parts.rmdir()
    return folder


def _say(stdout: Writer | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


def _progress(stdout: Writer | None) -> Callable[[str, int, int | None], None]:
    """One line per page: a bar when the server says how many there are."""

    def show(name: str, done: int, total: int | None) -> None:
        if stdout is None:
            return
        if total:
            filled = min(20, round(20 * done / total))
            stdout.write(f"{name:<10} [{'#' * filled}{'.' * (20 - filled)}] {done}/{total}\n")
        else:
            stdout.write(f"{name:<10} {done}\n")

    return show
