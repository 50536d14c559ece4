"""The toner trend on a real database (SQLite and PostgreSQL): one point per period, never a sum of lengths."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cashtrail.bootstrap import App
from cashtrail.identity.model import Actor
from cashtrail.toner.errors import BadTrendDimension
from cashtrail.toner.model import ReconciliationPeriod
from cashtrail.toner.queries import trend
from cashtrail.toner.run_services import run_reconciliation
from tests.toner_scenario import same_agreement, worked_example


def test_a_quarterly_and_a_half_yearly_agreement_in_one_country_give_separate_points(app: App, system: Actor) -> None:
    worked_example(app)  # MPS-1, quarterly, BE
    same_agreement(app, "MPS-H", period=ReconciliationPeriod.HALF_YEARLY)  # same customer, so BE too
    run_reconciliation(app.uow(), app.clock, system, "2026-H1")
    quarter = trend(app.uow(), system, by="agreement", value="MPS-1")[0]
    half = trend(app.uow(), system, by="agreement", value="MPS-H")[0]
    assert (quarter.period, half.period) == ("2026-Q1", "2026-H1")

    points = trend(app.uow(), system, by="country", value="BE")
    by_label = {p.period: p for p in points}
    assert list(by_label)[:2] == ["2026-Q1", "2026-H1"]  # by start, then the shorter period first
    assert len(by_label) == len(points)  # one point per period
    assert (by_label["2026-Q1"].period_start, by_label["2026-Q1"].period_end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert (by_label["2026-H1"].period_start, by_label["2026-H1"].period_end) == (date(2026, 1, 1), date(2026, 6, 30))
    for mine, alone in ((by_label["2026-Q1"], quarter), (by_label["2026-H1"], half)):
        assert (mine.expected, mine.shipped, mine.excess, mine.charge) == (
            alone.expected,
            alone.shipped,
            alone.excess,
            alone.charge,
        )
    assert by_label["2026-Q1"].expected == Decimal(120_000)
    assert [p.period_start for p in points] == sorted(p.period_start for p in points)


@pytest.mark.parametrize("by", ["countyr", "", "Country"])
def test_an_unknown_trend_dimension_is_refused_with_the_allowed_values(app: App, system: Actor, by: str) -> None:
    worked_example(app)
    run_reconciliation(app.uow(), app.clock, system, "2026-Q1")
    with pytest.raises(BadTrendDimension) as refused:
        trend(app.uow(), system, by=by, value="BE")
    assert refused.value.code == "toner.bad_trend_dimension"
    assert refused.value.fields == {"by": by, "allowed": ["country", "agreement"]}
    assert "country, agreement" in refused.value.detail
