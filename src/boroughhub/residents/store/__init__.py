"""The resident view's database side: the tiers a worker moves through, break-glass, oversight, the demo."""
