"""Ward and place profiles: the report's figures for each area, who may read which, and the
context built once per version of what it is made from."""

from __future__ import annotations

import html as htmllib
import re
import shutil

import pytest

from sia.config import load_partnership
from sia.warehouse import WAREHOUSE_FILE, Warehouse
from tests.webapp.kirklees_demo import kirklees_demo
from webapp.accounts.models import set_ward
from webapp.profiles import services

pytestmark = pytest.mark.slow  # the Kirklees demo, built once per session: about a minute

KIRKLEES = load_partnership("kirklees")
WARD_CODE = {w.name: w.code for w in KIRKLEES.wards}


@pytest.fixture(scope="module")
def demo():
    return kirklees_demo()


@pytest.fixture(autouse=True)
def fresh_cache():
    services.forget()
    yield
    services.forget()


@pytest.fixture
def on_demo(settings, demo):
    settings.SIA_DATA_DIR = demo.data_dir
    settings.SIA_CONFIG = "kirklees"
    return demo


def _table(page: str, table_id: str) -> list[list[str]]:
    """The body rows of a table of the page, each cell's text."""
    body = page.split(f'id="table-{table_id}"', 1)[1].split("</table>", 1)[0]
    body = body.split("<tbody", 1)[1]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        rows.append([htmllib.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return rows


def _profile(context, kind: str, slug: str):
    found = context.wards if kind == "ward" else context.places
    return next(p for p in found if p.slug == slug)


@pytest.mark.django_db
def test_a_ward_profile_shows_the_reports_figures_hotspots_and_concerns(client, people, on_demo):
    client.force_login(people["partner viewer"])
    # a ward with hotspots and concerns raised, to compare more than empty tables
    profile = next(
        p for p in on_demo.context.wards if p.hotspots.rows and p.raised.rows and p.figures.rows
    )
    page = client.get(f"/profiles/wards/{profile.slug}/").content.decode()
    assert f'<h1 class="govuk-heading-l">{profile.name}</h1>' in page
    for table in (profile.figures, profile.hotspots, profile.raised):
        assert _table(page, table.id) == table.rows, table.id
    # "Against district" is the ward's rate over the district's, as the report says
    for row in _table(page, profile.figures.id):
        rate, district, against = row[3], row[4], row[5]
        if against != "–":
            # the rates are printed to 2 places: the ratio lies within what they allow
            r, d = (float(x.replace(",", "")) for x in (rate, district))
            low, high = (r - 0.005) / (d + 0.005), (r + 0.005) / (d - 0.005)
            assert low - 0.005 <= float(against) <= high + 0.005, row


@pytest.mark.django_db
def test_suppressed_cells_show_the_label_and_never_the_count(client, people, on_demo):
    """The true values of hidden cells are kept only by the report's context (for its scan
    test); the page shows what the report prints."""
    client.force_login(people["analyst"])
    hidden = [p for p in on_demo.context.wards + on_demo.context.places if p.figures.hidden]
    assert hidden, "the demo has no ward with a suppressed count: the test would prove nothing"
    for profile in hidden[:5]:
        kind = "wards" if profile.kind == "ward" else "places"
        page = client.get(f"/profiles/{kind}/{profile.slug}/").content.decode()
        rows = dict(zip(profile.figures.keys, _table(page, profile.figures.id), strict=True))
        columns = profile.figures.columns
        for key, column in profile.figures.hidden:
            shown = rows[key][columns.index(column)]
            assert shown != profile.figures.raw[f"{key}|{column}"], (profile.slug, key, column)
            assert shown in ("–", "[c]", KIRKLEES.disclosure.sensitive_label), shown


@pytest.mark.django_db
def test_a_place_profile_links_its_wards(client, people, on_demo):
    client.force_login(people["officer"])
    place = on_demo.context.places[0]
    page = client.get(f"/profiles/places/{place.slug}/").content.decode()
    assert _table(page, place.figures.id) == place.figures.rows
    linked = re.findall(r'href="/profiles/wards/([a-z0-9-]+)/"', page)
    wards = {w.slug for w in on_demo.context.wards if w.place == place.name}
    assert set(linked) == wards and wards


@pytest.mark.django_db
def test_no_record_level_data_on_a_profile(client, people, on_demo):
    """Neither an event's id nor its street appears on the profile of its ward."""
    client.force_login(people["partner viewer"])
    profile = on_demo.context.wards[0]
    page = client.get(f"/profiles/wards/{profile.slug}/").content.decode()
    with Warehouse.open(KIRKLEES, on_demo.data_dir, read_only=True) as wh:
        events = wh.rows(
            "SELECT source_id, location FROM events WHERE ward_code = $code "
            "AND location IS NOT NULL ORDER BY source_id LIMIT 200",
            {"code": profile.code},
        )
    assert len(events) == 200
    text = htmllib.unescape(page)
    leaked = [e for e in events if e["source_id"] in text or e["location"] in text]
    assert not leaked, leaked[:3]


@pytest.mark.django_db
def test_a_councillor_reads_only_their_ward_and_its_place(client, people, on_demo):
    councillor = people["councillor"]
    set_ward(councillor, WARD_CODE["Dewsbury West"])
    client.force_login(councillor)
    listing = client.get("/profiles/").content.decode()
    links = re.findall(r'href="(/profiles/(?:wards|places)/[a-z0-9-]+/)"', listing)
    assert sorted(links) == [
        "/profiles/places/dewsbury-mirfield/",
        "/profiles/wards/dewsbury-west/",
    ]
    assert client.get("/profiles/wards/dewsbury-west/").status_code == 200
    assert client.get("/profiles/places/dewsbury-mirfield/").status_code == 200
    assert client.get("/profiles/wards/dewsbury-east/").status_code == 403
    assert client.get("/profiles/places/huddersfield/").status_code == 403
    # the ward's page links its place; the place's page links only the councillor's ward
    place_page = client.get("/profiles/places/dewsbury-mirfield/").content.decode()
    assert re.findall(r'href="/profiles/wards/([a-z0-9-]+)/"', place_page) == ["dewsbury-west"]


@pytest.mark.django_db
def test_a_councillor_without_a_ward_reads_no_profile(client, people, on_demo):
    client.force_login(people["councillor"])
    listing = client.get("/profiles/").content.decode()
    assert 'id="no-profiles"' in listing
    assert "/profiles/wards/" not in listing
    assert client.get("/profiles/wards/dewsbury-west/").status_code == 403


@pytest.mark.django_db
def test_an_unknown_area_is_not_found(client, people, on_demo):
    client.force_login(people["analyst"])
    assert client.get("/profiles/wards/nowhere/").status_code == 404
    assert client.get("/profiles/places/dewsbury-west/").status_code == 404  # a ward's slug


@pytest.mark.django_db
def test_without_a_warehouse_a_profile_says_so(client, people, settings, tmp_path):
    settings.SIA_DATA_DIR = tmp_path
    client.force_login(people["partner viewer"])
    page = client.get("/profiles/wards/dewsbury-west/").content.decode()
    assert services.NO_DATA in htmllib.unescape(page)


@pytest.mark.django_db
def test_the_context_is_built_once_per_version(
    client, people, settings, tmp_path, demo, monkeypatch
):
    """Page views reuse the context; a write that changes none of the assessment, loads,
    prioritisation or overrides keeps it; an analyst's override makes a new one."""
    shutil.copy(demo.data_dir / WAREHOUSE_FILE, tmp_path / WAREHOUSE_FILE)
    settings.SIA_DATA_DIR = tmp_path
    import sia.report

    built = []
    real = sia.report.report_context

    def counting(wh, partnership):
        built.append(1)
        return real(wh, partnership)

    monkeypatch.setattr(sia.report, "report_context", counting)
    client.force_login(people["partner viewer"])
    for slug in ("dewsbury-west", "batley-east", "dewsbury-west"):
        assert client.get(f"/profiles/wards/{slug}/").status_code == 200
    assert len(built) == 1
    with Warehouse.open(KIRKLEES, tmp_path) as wh:
        wh.con.execute("CREATE TABLE scratch AS SELECT 1 AS x")
    assert client.get("/profiles/wards/dewsbury-west/").status_code == 200
    assert len(built) == 1
    from sia.prioritise.store import record_override

    with Warehouse.open(KIRKLEES, tmp_path) as wh:
        record_override(wh, KIRKLEES.priorities[0].id, "monitor", "A test", "A Analyst")
    assert client.get("/profiles/wards/dewsbury-west/").status_code == 200
    assert len(built) == 2
