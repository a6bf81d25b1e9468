"""`/api/search` reads a phone number as analysts write it down (national, without "+",
with "00") as well as in E.164, and finds a payment by its ledger reference with its
payer and beneficiary (issue 19, "People named as people")."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_api import get

from pinchpoint.api.search import _readings

pytest_plugins = ["api_fixtures"]
REBIN = "+447911123456"  # the receiver of HW-1001 (docs/examples/ledger.csv)
AMANJ = "+9647501234567"  # its sender, an Iraqi number


def search(client: TestClient, q: str, who: dict[str, str]) -> Any:
    found = get(client, f"/api/search?q={q.replace('+', '%2B').replace(' ', '%20')}", who)
    assert isinstance(found, list)
    return found


@pytest.mark.parametrize("typed", ["07911 123456", "447911123456", "+44 7911 123456",
                                   "0044 7911 123456", "07911-123-456", "(07911) 123 456"])
def test_every_format_finds_the_holder_of_the_e164_number(
        client: TestClient, nadia: dict[str, str], typed: str) -> None:
    e164 = search(client, REBIN, nadia)
    assert e164 and e164[0]["match"] == f"phone: {REBIN}" and e164[0]["score"] == 1.0
    found = search(client, typed, nadia)
    assert found and found[0]["id"] == e164[0]["id"]
    if not typed.startswith("+"):
        assert found[0]["match"] == f"phone (read as {REBIN})"


def test_a_national_form_of_another_region_the_workspace_holds(
        client: TestClient, nadia: dict[str, str]) -> None:
    """The examples hold Iraqi numbers: "0750 123 4567" is read as dialled in Iraq."""
    e164 = search(client, AMANJ, nadia)
    found = search(client, "0750 123 4567", nadia)
    assert found and found[0]["id"] == e164[0]["id"]
    assert found[0]["match"] == f"phone (read as {AMANJ})"


def test_a_partial_national_form_finds_by_prefix(client: TestClient,
                                                 nadia: dict[str, str]) -> None:
    found = search(client, "07911 1234", nadia)
    assert found[0]["match"] == f"phone: {REBIN} (read as +4479111234…)"
    assert found[0]["score"] < 1.0
    assert search(client, "07911 9", nadia) == []  # too short to read as a number


def test_readings_say_every_region_and_guess_nothing() -> None:
    """A national form is read in each likely region; only numbers held are found."""
    assert _readings("07911 123456", ("GB", "IQ")) == ["+447911123456", "+9647911123456"]
    assert _readings("447911123456", ("GB",)) == ["+447911123456"]
    assert _readings("0044 7911 123456", ("GB",)) == ["+447911123456"]
    assert _readings("+44 (0)7911 123456", ()) == ["+447911123456"]
    assert _readings("+447911123456", ("GB",)) == []  # as typed already
    assert _readings("HW-1001", ("GB",)) == [] and _readings("0791", ("GB",)) == []


def test_a_ledger_reference_finds_the_payment_and_its_parties(
        client: TestClient, nadia: dict[str, str]) -> None:
    found = search(client, "HW-1001", nadia)
    payment = found[0]
    assert payment["schema"] == "Payment" and payment["score"] == 1.0
    assert payment["match"] == ("reference: HW-1001 "
                                "(payment from Amanj Hassan Zada to Rebin Ali)")
    parties = {h["label"]: h["match"] for h in found[1:]}
    assert parties["Amanj Hassan Zada"] == "payer of payment HW-1001"
    assert parties["Rebin Ali"] == "beneficiary of payment HW-1001"
    assert search(client, "hw-1001", nadia)[0]["id"] == payment["id"]
    several = search(client, "HW-100", nadia)  # by prefix: the payments, not the people
    assert len(several) >= 4 and {h["schema"] for h in several} == {"Payment"}


def test_another_agency_finds_none_of_it(client: TestClient, bruno: dict[str, str]) -> None:
    assert search(client, "07911 123456", bruno) == []
    assert search(client, "HW-1001", bruno) == []
