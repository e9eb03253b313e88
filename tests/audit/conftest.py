"""The audit pages read the agreements registry for scope: the agreements fixtures, shared."""

from tests.agreements.conftest import acting, demo_agreements, demo_people, pl_rsi_v1

__all__ = ["acting", "demo_agreements", "demo_people", "pl_rsi_v1"]
