"""Dunning policies per customer segment, as stored: levels, grace days, minimum amounts, exclusions, and whether
statutory late-payment interest and the fixed compensation are claimed (B2B, Directive 2011/7/EU).

A :class:`PolicySettings` is what the user maintains; :meth:`PolicySettings.policy` turns it into the pure
:class:`~cashtrail.dunning.levels.DunningPolicy` that decides the letters. A customer without a collections profile
belongs to the segment ``standard``.

>>> standard_policy().policy().level_for(31).name
'formal notice'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cashtrail.dunning.errors import InvalidPolicy
from cashtrail.dunning.levels import Channel, DunningLevel, DunningPolicy
from cashtrail.money import Money

DEFAULT_SEGMENT = "standard"


@dataclass(frozen=True)
class LevelSettings:
    """One level as the user sets it; the fee is in the policy's currency (``None``: no fee)."""

    number: int
    name: str
    days_past_due: int
    channel: str = Channel.EMAIL
    fee: Decimal | None = None
    charge_interest: bool = False

    def level(self, currency: str) -> DunningLevel:
        fee = None if self.fee is None else Money(self.fee, currency)
        return DunningLevel(
            self.number,
            self.name,
            self.days_past_due,
            f"dunning/level{self.number}",
            Channel(self.channel),
            fee,
            self.charge_interest,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "name": self.name,
            "days_past_due": self.days_past_due,
            "channel": str(self.channel),
            "fee": None if self.fee is None else str(self.fee),
            "charge_interest": self.charge_interest,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LevelSettings:
        fee = data.get("fee")
        return cls(
            int(data["number"]),
            str(data["name"]),
            int(data["days_past_due"]),
            str(data.get("channel", Channel.EMAIL)),
            None if fee in (None, "") else Decimal(str(fee)),
            bool(data.get("charge_interest", False)),
        )


@dataclass(frozen=True)
class PolicySettings:
    """A segment's dunning policy as stored."""

    segment: str
    name: str
    levels: tuple[LevelSettings, ...]
    grace_days: int = 0
    minimum_amounts: dict[str, Decimal] = field(default_factory=dict)
    exclude_disputed: bool = True
    exclude_promised: bool = True
    exclude_blocked: bool = True
    late_interest: bool = False

    def __post_init__(self) -> None:
        if not self.segment.strip():
            raise InvalidPolicy("a dunning policy needs a segment")
        self.policy()  # validates levels, grace days and minimums

    def policy(self, currency: str = "EUR") -> DunningPolicy:
        """The pure policy; fees are taken to be in ``currency`` (set policies up in the customers' currency)."""
        return DunningPolicy(
            tuple(level.level(currency) for level in self.levels),
            {cur: Money(amount, cur) for cur, amount in self.minimum_amounts.items()},
            self.grace_days,
        )


def standard_policy() -> PolicySettings:
    """The default: friendly reminder +7, first reminder +15, formal notice +30, final notice +60."""
    return PolicySettings(
        DEFAULT_SEGMENT,
        "Standard B2B",
        (
            LevelSettings(1, "friendly reminder", 7),
            LevelSettings(2, "first reminder", 15),
            LevelSettings(3, "formal notice", 30, Channel.EMAIL, None, True),
            LevelSettings(4, "final notice", 60, Channel.EMAIL, Decimal("15.00"), True),
        ),
        grace_days=2,
        minimum_amounts={"EUR": Decimal("25.00")},
        late_interest=True,
    )
