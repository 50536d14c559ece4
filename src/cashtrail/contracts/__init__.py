"""Contracts (agreements): MPS cost-per-page, maintenance with callouts and escalation, subscriptions."""
