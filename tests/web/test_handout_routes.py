"""GET /handout.pdf and, for a linked clinician, /clinic/people/{id}/handout.pdf: a PDF of the
person's program, bad queries answered 422 (the error page, or problem+json when JSON is asked
for) before anything is made, and a heavy slot held while it is made."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from footcoach.domain.accounts import Role
from footcoach.web.heavy import heavy_work
from tests.web.multi_user import multi_fixture  # noqa: F401
from tests.web.test_api import fields

JSON = {"Accept": "application/json"}


def _pdf(answer) -> PdfReader:
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["cache-control"] == "no-store"
    return PdfReader(io.BytesIO(answer.content))


def _text(reader: PdfReader) -> str:
    return re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in reader.pages))


def test_a_person_prints_their_own_handout(person):
    reader = _pdf(person.get("/handout.pdf?weeks=2&paper=letter&large_print=true"))
    assert round(float(reader.pages[0].mediabox.width)) == 612
    text = _text(reader)
    assert "Week 2: Monday 30 November 2026" in text and "Week 3:" not in text
    assert "Printed on Monday 23 November 2026" in text


@pytest.mark.parametrize(
    ("query", "bad"),
    [
        ("weeks=0", {"weeks"}),
        ("weeks=lots&paper=a3", {"weeks", "paper"}),
        ("large_print=maybe", {"large_print"}),
    ],
)
def test_a_bad_query_is_a_422_naming_it(person, query, bad):
    assert set(fields(person.get(f"/handout.pdf?{query}", headers=JSON))) == bad
    page = person.get(f"/handout.pdf?{query}")
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    for name in bad:
        assert name in page.text
    assert heavy_work(person.app).running == 0


def test_the_program_and_settings_pages_link_to_it(person):
    assert 'href="/handout.pdf"' in person.get("/program").text
    settings = person.get("/settings").text
    assert 'action="/handout.pdf"' in settings
    for name in ("weeks", "paper", "large_print"):
        assert f'name="{name}"' in settings


def test_one_at_a_time_for_a_person(person):
    work = heavy_work(person.app)
    work.take("local")
    try:
        answer = person.get("/handout.pdf")
        assert answer.status_code == 429 and int(answer.headers["retry-after"]) > 0
    finally:
        work.give_back("local")
    assert work.running == 0


def test_a_linked_clinician_prints_their_persons_handout(multi):
    ann = multi.actor("ann@example.org")
    physio = multi.actor("physio@example.org", Role.CLINICIAN)
    other = multi.actor("other@example.org", Role.CLINICIAN)
    accounts = multi.services.accounts
    accounts.redeem_invite(ann.user.id, accounts.create_invite(physio.user.id).code)
    url = f"/clinic/people/{ann.user.id}/handout.pdf"
    mine = _text(_pdf(ann.client.get("/handout.pdf")))
    theirs = _text(_pdf(physio.client.get(url)))
    assert theirs == mine
    assert url in physio.client.get(f"/clinic/people/{ann.user.id}").text
    assert other.client.get(url).status_code == 404
    assert physio.client.get(f"{url}?paper=a5").status_code == 422
