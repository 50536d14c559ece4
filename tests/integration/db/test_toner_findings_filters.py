"""The findings list narrowed by agreement, country, owner, severity and code, in the database, on every backend."""

from __future__ import annotations

import pytest

from cashtrail.bootstrap import App
from cashtrail.identity.model import Actor
from cashtrail.toner.errors import BadFindingFilter
from cashtrail.toner.queries import FindingFilter, findings_list
from tests.toner_findings_scenario import NO_SETUP, two_countries


def _found(app: App, **wanted: str) -> list[tuple[str, str]]:
    return [(r.agreement, f.code) for r, f in findings_list(app.uow(), Actor.system(), FindingFilter(**wanted))]


def test_without_filters_every_open_finding_of_both_agreements_is_listed(app: App) -> None:
    two_countries(app)
    assert len(_found(app)) == 5


def test_the_agreement_filter_keeps_only_that_agreements_findings(app: App) -> None:
    two_countries(app)
    assert _found(app, agreement="MPS-1") == [("MPS-1", "asset_not_on_contract"), ("MPS-1", "shipments_without_usage")]


def test_the_country_filter_keeps_only_agreements_of_that_country(app: App) -> None:
    two_countries(app)
    assert _found(app, country="FR") == [(NO_SETUP, "no_toner_contract")] * 3


def test_the_owner_filter_keeps_only_the_owners_reconciliations(app: App) -> None:
    two_countries(app)
    assert {a for a, _ in _found(app, owner="tina")} == {"MPS-1"}
    assert {a for a, _ in _found(app, owner="unassigned")} == {NO_SETUP}


def test_the_severity_filter_keeps_errors_or_warnings(app: App) -> None:
    two_countries(app)
    assert _found(app, severity="warning") == [("MPS-1", "shipments_without_usage")]
    assert len(_found(app, severity="error")) == 4


def test_the_code_filter_combines_with_the_others(app: App) -> None:
    two_countries(app)
    assert _found(app, code="asset_not_on_contract", country="BE") == [("MPS-1", "asset_not_on_contract")]
    assert _found(app, code="asset_not_on_contract", country="FR") == []


@pytest.mark.parametrize(("name", "value"), [("code", "maping_error"), ("severity", "fatal"), ("state", "opne")])
def test_an_unknown_code_severity_or_state_is_refused_not_silently_empty(app: App, name: str, value: str) -> None:
    two_countries(app)
    with pytest.raises(BadFindingFilter) as refused:
        findings_list(app.uow(), Actor.system(), FindingFilter(**{name: value}))
    assert refused.value.code == "toner.bad_finding_filter"
    assert (refused.value.fields["field"], refused.value.fields["value"]) == (name, value)
    assert "mapping_error" in refused.value.detail or name != "code"
