"""The built-in checks against the loopback fake zone: every packet goes to 127.0.0.0/8, names resolve
only through the zone's DNS stub, and the target outside scope is 127.0.0.2."""

from __future__ import annotations

import socket
from datetime import timedelta

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from boroughhub.asm.checks import CheckOptions, Resolver, parse_resolver, run_checks
from boroughhub.asm.checks.certificate import judge_certificate
from boroughhub.asm.checks.services import service_of_banner
from boroughhub.asm.loopback import FakeCouncilZone, SiteContent, WebSite, closed_port, make_certificate
from boroughhub.asm.scope import parse_target

from .conftest import NOW, barnet_scope


def run(zone: FakeCouncilZone, lines: list[str], authorised: bool = True):  # type: ignore[no-untyped-def]
    options = CheckOptions(now=NOW, resolver=Resolver(parse_resolver(zone.resolver)), target_timeout=10)
    return run_checks([parse_target(line) for line in lines], barnet_scope(authorised), options)


def rules_of(result) -> set[str]:  # type: ignore[no-untyped-def]
    return {f.rule for f in result.findings}


def test_each_server_of_the_zone_shows_its_fault(zone: FakeCouncilZone) -> None:
    outcome = run(zone, zone.targets())
    by_host = {r.target.split(":")[0].split(".")[0]: r for r in outcome.results}
    assert rules_of(by_host["www"]) >= {"tls-expired", "missing-security-headers"}
    assert "tls-self-signed" not in rules_of(by_host["www"])  # signed by the zone's authority
    assert rules_of(by_host["intranet"]) >= {"git-exposed", "directory-listing", "http-no-https"}
    assert rules_of(by_host["legacy"]) >= {"tls-self-signed", "tls-hostname-mismatch"}
    assert rules_of(by_host["portal"]) == set()
    assert rules_of(by_host["files"]) == {"risky-service"}
    assert "ProFTPD" in by_host["files"].findings[0].evidence
    assert rules_of(by_host["ssh"]) == {"ssh-exposed"}
    assert rules_of(by_host["old"]) == {"dangling-cname"}
    assert "azurewebsites.net" in by_host["old"].findings[0].evidence
    web = [a for a in by_host["www"].assets if a.kind == "web"]
    assert web and web[0].product == "nginx/1.18.0"


def test_a_name_resolving_outside_scope_is_refused_and_never_connected(zone: FakeCouncilZone) -> None:
    outcome = run(zone, [f"outside.barnet.test:{zone.sites['intranet'].port}"])
    result = outcome.results[0]
    assert not result.checked
    assert "127.0.0.2" in result.refusal and "outside" in result.refusal
    assert result.findings == []


def test_an_address_outside_scope_is_refused_before_any_packet(zone: FakeCouncilZone) -> None:
    queries = zone.dns.queries
    outcome = run(zone, ["127.0.0.2:80", "elsewhere.test:80"])
    assert [r.checked for r in outcome.results] == [False, False]
    assert "127.0.0.2 is in none of its netblocks" in outcome.results[0].refusal
    assert zone.dns.queries == queries  # not even a DNS question about a name outside scope


def test_an_unauthorised_scope_refuses_every_target(zone: FakeCouncilZone) -> None:
    outcome = run(zone, zone.targets(), authorised=False)
    assert len(outcome.refused) == len(zone.targets())
    assert all("not authorised" in r.reason for r in outcome.refused)


def test_a_closed_port_and_a_bare_host_on_listed_ports(zone: FakeCouncilZone) -> None:
    port = closed_port()
    options = CheckOptions(now=NOW, resolver=Resolver(parse_resolver(zone.resolver)),
                           ports=(port, zone.banners["ssh"].port))
    outcome = run_checks([parse_target("ssh.barnet.test")], barnet_scope(), options)
    assert rules_of(outcome.results[0]) == {"ssh-exposed"}
    assert {a.port for a in outcome.assets if a.kind == "service"} == {zone.banners["ssh"].port}
    nothing = run(zone, [f"127.0.0.1:{port}"]).results[0]
    assert nothing.checked and nothing.findings == [] and nothing.note == "no open port among the 1 tried"


def test_a_fixed_fault_is_no_longer_found(zone: FakeCouncilZone) -> None:
    intranet = zone.sites["intranet"]
    intranet.content.git_exposed = False
    try:
        assert "git-exposed" not in rules_of(run(zone, [f"intranet.barnet.test:{intranet.port}"]))
    finally:
        intranet.content.git_exposed = True


def test_weak_keys_and_wildcards_are_judged() -> None:
    weak = make_certificate(["*.barnet.test"], not_before=NOW - timedelta(days=1), not_after=NOW + timedelta(days=90),
                            rsa_bits=1024)
    der = x509.load_pem_x509_certificate(weak.cert_pem).public_bytes(Encoding.DER)
    facts = judge_certificate(der, "www.barnet.test", "TLSv1.1", NOW)
    rules = [f.rule for f in facts.faults]
    assert rules.count("tls-weak") == 2  # the 1024-bit key and TLS 1.1
    assert "tls-hostname-mismatch" not in rules  # *.barnet.test covers www
    assert "tls-hostname-mismatch" in [f.rule for f in judge_certificate(der, "a.b.barnet.test", "TLSv1.3", NOW).faults]


def test_names_are_asked_of_the_given_resolver(zone: FakeCouncilZone) -> None:
    before = zone.dns.queries
    run(zone, [f"www.barnet.test:{zone.sites['www'].port}", f"old.barnet.test:{zone.sites['www'].port}"])
    assert zone.dns.queries == before + 2


def test_a_target_that_holds_the_connection_open_is_stopped_at_its_timeout(zone: FakeCouncilZone) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # accepts (the kernel does) and never says a word
        options = CheckOptions(now=NOW, resolver=Resolver(parse_resolver(zone.resolver)), target_timeout=0.3)
        result = run_checks([parse_target(f"127.0.0.1:{silent.getsockname()[1]}")], barnet_scope(), options).results[0]
    assert result.note.startswith("stopped after 0.3 s")


def test_a_weak_key_is_found_over_the_wire_and_an_address_certificate_matches() -> None:
    certificate = make_certificate(["127.0.0.1"], not_before=NOW - timedelta(days=1),
                                   not_after=NOW + timedelta(days=90), rsa_bits=1024)
    site = WebSite(SiteContent("Weak", security_headers=True), certificate).start()
    try:
        outcome = run_checks([parse_target(f"127.0.0.1:{site.port}")], barnet_scope(),
                             CheckOptions(now=NOW, resolver=Resolver(None)))  # an address: nothing to resolve
    finally:
        site.stop()
    assert rules_of(outcome.results[0]) == {"tls-weak", "tls-self-signed"}
    assert outcome.results[0].services[0]["title"] == "Weak"


def test_banners_name_their_service() -> None:
    assert service_of_banner("220 ProFTPD 1.3.5 Server") == ("FTP", True)
    assert service_of_banner("220 mail.barnet.test ESMTP Postfix") == ("SMTP", False)
    assert service_of_banner("\xff\xfd\x18 login:") == ("Telnet", True)
    assert service_of_banner("SSH-2.0-OpenSSH_9.6") == ("SSH", False)
    assert service_of_banner("5.7.44-MySQL Community") == ("MySQL", True)
