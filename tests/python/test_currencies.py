"""The currencies the raw data may use: one list, with ISO 4217 minor-unit exponents."""

from __future__ import annotations

import csv

from renewal_warehouse.pipeline import contract as rc
from tests_root import ROOT


def _seed() -> dict[str, dict]:
    with open(ROOT / "seeds" / "ref_currencies.csv", newline="") as fh:
        return {row["currency"]: row for row in csv.DictReader(fh)}


def test_the_seed_lists_exactly_the_contract_currencies():
    """A currency accepted by the contract without an exponent would lose its lines in staging."""
    assert sorted(_seed()) == sorted(rc.CURRENCIES)


def test_exponents_follow_iso_4217():
    seed = _seed()
    assert {c: int(seed[c]["minor_unit_exponent"]) for c in ("USD", "EUR", "JPY", "KRW", "BHD", "KWD")} == {
        "USD": 2, "EUR": 2, "JPY": 0, "KRW": 0, "BHD": 3, "KWD": 3}
    for row in seed.values():
        assert int(row["minor_units_per_major"]) == 10 ** int(row["minor_unit_exponent"]), row["currency"]
