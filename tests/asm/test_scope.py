from __future__ import annotations

import ipaddress
from datetime import date

import pytest

from boroughhub.asm.scope import Authorisation, Scope, ScopeError, parse_scope_entry, parse_target

from .conftest import barnet_scope


def test_entries_are_read_as_domains_netblocks_and_autonomous_systems() -> None:
    assert parse_scope_entry("Barnet.GOV.uk.").value == "barnet.gov.uk"
    assert parse_scope_entry("192.0.2.7").value == "192.0.2.7/32"
    assert parse_scope_entry("192.0.2.9/24").value == "192.0.2.0/24"
    assert parse_scope_entry("as64500").value == "AS64500"
    with pytest.raises(ScopeError, match="not a domain"):
        parse_scope_entry("not a domain!")


def test_only_what_is_inside_the_authorised_scope_may_be_checked() -> None:
    scope = barnet_scope()
    assert scope.refusal_for_host("www.barnet.test") is None
    assert scope.refusal_for_host("barnet.test") is None
    assert scope.refusal_for_host("127.0.0.1") is None
    assert "outside" in str(scope.refusal_for_host("127.0.0.2"))
    assert "outside" in str(scope.refusal_for_host("notbarnet.test"))
    assert "outside" in str(scope.refusal_for_host("barnet.test.evil.test"))


def test_exclusions_win_and_an_unauthorised_scope_refuses_everything() -> None:
    entries = (parse_scope_entry("barnet.test"), parse_scope_entry("127.0.0.0/24"))
    exclusions = (parse_scope_entry("payments.barnet.test"), parse_scope_entry("127.0.0.9/32"))
    scope = Scope("barnet", entries, exclusions, Authorisation("Jo", date(2026, 12, 1), "REF"))
    assert "excluded" in str(scope.refusal_for_host("api.payments.barnet.test"))
    assert "excluded" in str(scope.refusal_for_address(ipaddress.ip_address("127.0.0.9")))
    assert scope.refusal_for_host("127.0.0.8") is None
    unauthorised = barnet_scope(authorised=False)
    for host in ("www.barnet.test", "127.0.0.1"):
        assert "not authorised" in str(unauthorised.refusal_for_host(host))


def test_targets_are_hosts_or_host_and_port() -> None:
    assert parse_target("www.barnet.test:8443").label == "www.barnet.test:8443"
    assert parse_target("127.0.0.1").port is None
    assert parse_target("[::1]:80").host == "::1"
    assert parse_target("LocalHost:8080").label == "localhost:8080"  # a single-label name is a name too
    for bad in ("www.barnet.test:0", "www.barnet.test:http", "bad host"):
        with pytest.raises(ScopeError):
            parse_target(bad)


def test_a_resolver_is_an_address_and_port() -> None:
    from boroughhub.asm.checks import ResolverError, parse_resolver

    assert parse_resolver("127.0.0.1:5353") == ("127.0.0.1", 5353)
    assert parse_resolver("localhost:5353") == ("127.0.0.1", 5353)
    for bad in ("dns.example:53", "127.0.0.1", "127.0.0.1:99999"):
        with pytest.raises(ResolverError):
            parse_resolver(bad)
