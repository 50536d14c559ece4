"""Dunning: statutory late-payment interest, dunning levels and letters, bad-debt provision."""
