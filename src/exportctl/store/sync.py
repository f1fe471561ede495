"""`data sync`: download the official sources into a new data version (activated only after validation).

Sources, from their official endpoints (`OFFICIAL`):

* trade.gov Consolidated Screening List bulk JSON (consolidated.json) -> `csl`;
* eCFR versioner: title 15 parts 738, 740, 744 and 774 as full XML at the date the eCFR says title 15
  is up to date as of (titles.json `up_to_date_as_of`; no clock needed) -> the tables the sources
  catalog recognises in them (today: `country_chart` from Part 738; the other parts are reported as
  gaps and the active version's ccl/country_groups, from the derived JSON, are kept);
* USITC HTS REST export of the whole schedule as JSON (exportList, 0100-9999) -> `hts`;
* Federal Register API documents of the Bureau of Industry and Security -> `fr_bis`.

Everything is downloaded first, then parsed, then imported in one transaction (`merge`: the active
version's other sources, such as the OFAC SDN list, are kept). A download that cannot reach its host
raises OfflineError ("offline: ..."; the CLI prints one line and exits 2) before anything is written; an
answer that does not parse raises the parser's DataError; in both cases nothing changes. A downloaded
file for which this installation has no parser is reported under `gaps`, never silently dropped.
Tests replay recorded answers through httpx.MockTransport (tests/fixtures/sync/).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import importlib
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from exportctl.errors import DataError, OfflineError
from exportctl.sources.base import SourceTable
from exportctl.store.core import Store
from exportctl.store.federal_register import FIELDS as FR_FIELDS
from exportctl.store.federal_register import parse_fr_documents
from exportctl.store.gate_records import Gate

__all__ = ["ECFR_PARTS", "OFFICIAL", "SyncUrls", "make_client", "sync"]

ECFR_PARTS = (738, 740, 744, 774)
FR_AGENCY = "industry-and-security-bureau"
FR_PAGE = 1000
FR_MAX_PAGES = 10  # the API serves at most 10,000 results per query
USER_AGENT = "exportctl-sync (+https://github.com/exportctl)"


@dataclass(frozen=True)
class SyncUrls:
    """The endpoints sync reads (tests may point them elsewhere; the defaults are the official ones)."""

    csl: str = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.json"
    ecfr_titles: str = "https://www.ecfr.gov/api/versioner/v1/titles.json"
    ecfr_full: str = "https://www.ecfr.gov/api/versioner/v1/full/{date}/title-15.xml"
    hts: str = "https://hts.usitc.gov/reststop/exportList"
    fr: str = "https://www.federalregister.gov/api/v1/documents.json"


OFFICIAL = SyncUrls()


def make_client(transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """An httpx client with sync's timeouts and headers (a transport replaces the network in tests)."""
    return httpx.Client(
        transport=transport,
        timeout=httpx.Timeout(120.0, connect=15.0),
        follow_redirects=True,
        headers={"User-Agent": USER_AGENT},
    )


def _get(client: httpx.Client, url: str, params: dict[str, Any] | None = None) -> httpx.Response:
    try:
        response = client.get(url, params=params)
    except httpx.TransportError as exc:
        host = httpx.URL(url).host
        raise OfflineError(f"offline: cannot reach {host} ({type(exc).__name__}); nothing changed") from None
    if response.status_code != 200:
        raise DataError(
            f"HTTP {response.status_code} from the server", file=str(response.url), field="status"
        )
    return response


def _modified(response: httpx.Response, fallback: dt.date) -> str:
    """The Last-Modified date of an answer, else the date sync was asked to run on."""
    stamp = response.headers.get("last-modified")
    if stamp:
        try:
            return email.utils.parsedate_to_datetime(stamp).date().isoformat()
        except (TypeError, ValueError):
            pass
    return fallback.isoformat()


@dataclass(frozen=True)
class Fetched:
    """One downloaded file and how to read it."""

    label: str
    path: Path
    url: str
    date: str | None  # a data date known from the answer; None: the parser finds it


def _ecfr_date(client: httpx.Client, urls: SyncUrls) -> str:
    response = _get(client, urls.ecfr_titles)
    try:
        titles = response.json()["titles"]
        date = next(str(t["up_to_date_as_of"]) for t in titles if int(t["number"]) == 15)
        return dt.date.fromisoformat(date).isoformat()
    except (KeyError, TypeError, ValueError, StopIteration, json.JSONDecodeError):
        raise DataError("no up_to_date_as_of for title 15", file=urls.ecfr_titles, field="titles") from None


def _fr_documents(client: httpx.Client, urls: SyncUrls) -> bytes:
    params: dict[str, Any] | None = {
        "conditions[agencies][]": FR_AGENCY,
        "order": "newest",
        "per_page": FR_PAGE,
        "fields[]": list(FR_FIELDS),
    }
    url: str | None = urls.fr
    results: list[Any] = []
    for _ in range(FR_MAX_PAGES):
        if url is None:
            break
        page = _get(client, url, params)
        try:
            doc = page.json()
            results.extend(doc["results"])
        except (KeyError, TypeError, json.JSONDecodeError):
            raise DataError(
                "expected an object with 'results'", file=str(page.url), field="results"
            ) from None
        url, params = doc.get("next_page_url"), None  # the next page URL carries the query
    return json.dumps({"results": results}).encode("utf-8")


def fetch(client: httpx.Client, folder: Path, *, today: dt.date, urls: SyncUrls = OFFICIAL) -> list[Fetched]:
    """Download every source into `folder` (nothing is parsed or stored yet)."""
    out: list[Fetched] = []

    def save(label: str, name: str, data: bytes, url: str, date: str | None) -> None:
        path = folder / name
        path.write_bytes(data)
        out.append(Fetched(label, path, url, date))

    csl = _get(client, urls.csl)
    # The bulk file is regenerated hourly: its Last-Modified date is its data date.
    save("csl", "consolidated.json", csl.content, urls.csl, _modified(csl, today))
    ecfr_date = _ecfr_date(client, urls)
    for part in ECFR_PARTS:
        url = urls.ecfr_full.format(date=ecfr_date)
        answer = _get(client, url, {"part": str(part)})
        save(
            f"ecfr-{part}",
            f"ecfr-{ecfr_date}-title-15-part-{part}.xml",
            answer.content,
            f"{url}?part={part}",
            ecfr_date,
        )
    hts = _get(client, urls.hts, {"from": "0100", "to": "9999", "format": "JSON", "styles": "false"})
    save("hts", "hts-export.json", hts.content, urls.hts, _modified(hts, today))
    save("fr", "federal-register-bis.json", _fr_documents(client, urls), urls.fr, None)
    return out


def _parse_one(item: Fetched) -> list[SourceTable]:
    if item.label == "fr":
        return [parse_fr_documents(item.path)]
    catalog = importlib.import_module("exportctl.sources.catalog")
    found = catalog.detect_all(item.path)
    return [spec.parse(path, date=item.date) for spec, path in found]


def parse(fetched: list[Fetched]) -> tuple[list[SourceTable], list[str]]:
    """Parse the downloads: the tables, and the gaps (downloads no parser of this installation reads)."""
    tables: dict[str, SourceTable] = {}
    gaps: list[str] = []
    for item in fetched:
        try:
            found = _parse_one(item)
        except DataError as err:
            err.file = item.url  # the temporary file is gone; name what was downloaded
            raise
        if not found:
            # e.g. eCFR parts 740, 744 and 774: only Part 738 (the Country Chart) has an XML parser.
            gaps.append(f"{item.path.name}: no parser for this file ({item.label}); the active table is kept")
        for table in found:
            tables[table.name] = table
    return list(tables.values()), gaps


def sync(
    store: Store,
    *,
    today: dt.date,
    client: httpx.Client | None = None,
    force: bool = False,
    urls: SyncUrls = OFFICIAL,
    gate: Gate | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """Download, parse, validate and activate a new version; OfflineError (nothing changed) when offline."""
    own = client is None
    http = client or make_client()
    try:
        with tempfile.TemporaryDirectory(prefix="exportctl-sync-") as tmp:
            fetched = fetch(http, Path(tmp), today=today, urls=urls)
            tables, gaps = parse(fetched)
    finally:
        if own:
            http.close()
    if not tables:
        raise DataError("sync found nothing it could parse", field="sources")
    version = store.import_tables(
        tables,
        force=force,
        note=f"sync {today.isoformat()}",
        activate=True,
        merge=True,
        gate=gate,
        reason=reason,
    )
    return {
        "version": version,
        "active_version": store.active_version(),
        "previous_version": store.previous_version(),
        "fetched": [{"label": f.label, "url": f.url, "file": f.path.name} for f in fetched],
        "sources": [s.to_dict() for s in store.sources_of(version) if s.name in {t.name for t in tables}],
        "gaps": gaps,
    }
