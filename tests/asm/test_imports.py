from __future__ import annotations

import json

from boroughhub.asm.imports import read_inventory_file


def lines(*records: object) -> bytes:
    return "\n".join(json.dumps(r) for r in records).encode()


def test_subfinder_and_httpx_lines_become_hosts_services_and_web_apps() -> None:
    subfinder = read_inventory_file(lines({"host": "WWW.barnet.test", "input": "barnet.test", "source": "crtsh"},
                                          {"host": "mail.barnet.test", "source": "dnsdumpster"}), "subfinder")
    assert not subfinder.problems
    assert [a.asset.name for a in subfinder.assets] == ["www.barnet.test", "mail.barnet.test"]
    httpx = read_inventory_file(lines({"url": "https://www.barnet.test:8443", "status_code": 200,
                                       "webserver": "nginx", "title": "Barnet"}), "httpx")
    assert {(a.asset.kind, a.asset.name) for a in httpx.assets} == {
        ("host", "www.barnet.test"), ("service", "www.barnet.test:8443/tcp"), ("web", "https://www.barnet.test:8443/")}


def test_nuclei_findings_carry_their_cve_and_amass_its_addresses() -> None:
    nuclei = read_inventory_file(lines({"template-id": "CVE-2023-4966", "host": "https://vpn.barnet.test",
                                        "matched-at": "https://vpn.barnet.test/oauth",
                                        "info": {"name": "Citrix Bleed", "severity": "critical",
                                                 "classification": {"cve-id": ["cve-2023-4966"]}}}), "nuclei")
    assert not nuclei.problems
    assert nuclei.findings[0].cve == "CVE-2023-4966" and nuclei.findings[0].severity == "critical"
    amass = read_inventory_file(lines({"name": "vpn.barnet.test", "domain": "barnet.test",
                                       "addresses": [{"ip": "192.0.2.10", "cidr": "192.0.2.0/24", "asn": 64500}]}),
                                "amass")
    assert {("ip", "192.0.2.10"), ("netblock", "192.0.2.0/24"), ("asn", "AS64500")} <= {
        (a.asset.kind, a.asset.name) for a in amass.assets}


def test_nmap_xml_open_ports_become_services() -> None:
    xml = b"""<?xml version="1.0"?><!DOCTYPE nmaprun><nmaprun scanner="nmap"><host><status state="up"/>
    <address addr="192.0.2.10" addrtype="ipv4"/><hostnames><hostname name="vpn.barnet.test" type="PTR"/></hostnames>
    <ports><port protocol="tcp" portid="22"><state state="open"/><service name="ssh" product="OpenSSH" version="7.4"/></port>
    <port protocol="tcp" portid="23"><state state="closed"/></port></ports></host></nmaprun>"""
    result = read_inventory_file(xml, "nmap")
    assert not result.problems
    services = [a.asset for a in result.assets if a.asset.kind == "service"]
    assert [(s.name, s.product) for s in services] == [("vpn.barnet.test:22/tcp", "OpenSSH 7.4")]


def test_a_bad_line_refuses_the_file_with_its_line_and_rule() -> None:
    data = b'{"host": "www.barnet.test"}\n{"host": "not a host"}\n{broken\n'
    result = read_inventory_file(data, "subfinder")
    assert [(p.line, p.rule) for p in result.problems] == [(2, "bad_host"), (3, "bad_json")]
    csv_result = read_inventory_file(b"kind,name,owner_team,criticality\nhost,www.barnet.test,Web,high\n"
                                     b"host,intranet.barnet.test,IT,urgent\n", "csv")
    assert [(p.line, p.rule) for p in csv_result.problems] == [(3, "bad_code")]
    assert read_inventory_file(b'<!DOCTYPE x [<!ENTITY a "b">]><nmaprun/>', "nmap").problems[0].rule == "entity_declared"
    assert read_inventory_file(b"", "httpx").problems[0].rule == "empty_file"


def test_an_nmap_host_without_an_address_is_refused_at_its_line() -> None:
    xml = b"""<?xml version="1.0"?>
<nmaprun scanner="nmap">
<host><address addr="192.0.2.10" addrtype="ipv4"/><hostnames><hostname name="a.barnet.test"/></hostnames></host>
<host><address addr="00:11:22:33:44:55" addrtype="mac"/></host>
</nmaprun>"""
    result = read_inventory_file(xml, "nmap")
    assert [(p.line, p.rule) for p in result.problems] == [(4, "bad_address")]
