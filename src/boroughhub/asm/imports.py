"""Reading asset lists from the tools councils already run (amass, subfinder, httpx and nuclei JSON lines,
nmap XML) and from a CSV: every line is checked first, and one bad line refuses the whole file, with its
line number and the rule it breaks, so nothing of it is imported."""

from __future__ import annotations

import csv
import io
import ipaddress
import json
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from boroughhub.asm.checks.observations import SeenAsset
from boroughhub.asm.rules import CRITICALITIES, SEVERITIES
from boroughhub.asm.scope import normalise_domain

FORMATS = {"subfinder": "subfinder (JSON lines)", "httpx": "httpx (JSON lines)", "amass": "amass (JSON lines)",
           "nuclei": "nuclei (JSON lines)", "nmap": "nmap (XML)", "csv": "CSV (kind, name, owner_team, criticality)"}
MAX_BYTES = 20 * 1024 * 1024
CSV_KINDS = ("domain", "host", "ip", "netblock", "asn", "service", "certificate", "web")


@dataclass(frozen=True)
class ImportProblem:
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message} ({self.rule})"


@dataclass(frozen=True)
class ImportedAsset:
    asset: SeenAsset
    owner_team: str = ""
    criticality: str = ""


@dataclass(frozen=True)
class ImportedFinding:
    asset: SeenAsset
    title: str
    severity: str
    evidence: str
    cve: str


@dataclass
class ImportedFile:
    source: str
    assets: list[ImportedAsset] = field(default_factory=list)
    findings: list[ImportedFinding] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)


class _LineError(ValueError):
    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule


def read_inventory_file(data: bytes, source: str) -> ImportedFile:
    """Read ``data`` as ``source`` (a key of FORMATS). ``problems`` empty means every line was good."""
    result = ImportedFile(source)
    if source not in FORMATS:
        result.problems.append(ImportProblem(0, "unknown_format", f"choose a format from {', '.join(FORMATS)}"))
        return result
    if len(data) > MAX_BYTES:
        result.problems.append(ImportProblem(0, "file_too_large", "the file is over 20 MB: split it"))
        return result
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        result.problems.append(ImportProblem(line, "encoding_invalid", "the file is not UTF-8: save it as UTF-8"))
        return result
    if source == "nmap":
        _read_nmap(text, result)
    elif source == "csv":
        _read_csv(text, result)
    else:
        _read_json_lines(text, _JSON_READERS[source], result)
    if not result.problems and not result.assets:
        result.problems.append(ImportProblem(0, "empty_file", "the file has no assets in it"))
    return result


def _read_json_lines(text: str, reader: Callable[[dict[str, Any], ImportedFile], None], result: ImportedFile) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise _LineError("not_an_object", "each line must be one JSON object")
            reader(record, result)
        except json.JSONDecodeError as error:
            result.problems.append(ImportProblem(number, "bad_json", f"not JSON: {error.msg} at column {error.colno}"))
        except _LineError as error:
            result.problems.append(ImportProblem(number, error.rule, str(error)))
        if len(result.problems) >= 100:
            break


def _host(value: Any, field_name: str) -> str:
    text = str(value or "").strip().lower()
    if _is_address(text):
        return text
    name = normalise_domain(text)
    if name is None:
        raise _LineError("bad_host", f"{field_name} {str(value)[:80]!r} is not a host name or address")
    return name


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _subfinder(record: dict[str, Any], result: ImportedFile) -> None:
    if "host" not in record:
        raise _LineError("required_missing", "a subfinder line needs \"host\"")
    result.assets.append(ImportedAsset(SeenAsset("host", _host(record["host"], "host"))))


def _amass(record: dict[str, Any], result: ImportedFile) -> None:
    if "name" not in record:
        raise _LineError("required_missing", "an amass line needs \"name\"")
    name = _host(record["name"], "name")
    result.assets.append(ImportedAsset(SeenAsset("host", name)))
    if record.get("domain"):
        result.assets.append(ImportedAsset(SeenAsset("domain", _host(record["domain"], "domain"))))
    for address in record.get("addresses") or []:
        if not isinstance(address, dict) or not _is_address(str(address.get("ip", ""))):
            raise _LineError("bad_address", "each of \"addresses\" needs an \"ip\" that is an IP address")
        result.assets.append(ImportedAsset(SeenAsset("ip", str(address["ip"]))))
        if address.get("cidr"):
            try:
                network = ipaddress.ip_network(str(address["cidr"]), strict=False)
            except ValueError:
                raise _LineError("bad_address", f"cidr {str(address['cidr'])[:40]!r} is not a netblock") from None
            result.assets.append(ImportedAsset(SeenAsset("netblock", str(network))))
        if address.get("asn"):
            if not str(address["asn"]).isdigit():
                raise _LineError("bad_integer", f"asn {str(address['asn'])[:20]!r} is not a number")
            result.assets.append(ImportedAsset(SeenAsset("asn", f"AS{int(address['asn'])}")))


def _url_parts(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url if "://" in url else f"http://{url}")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _LineError("bad_url", f"url {url[:80]!r} is not an http(s) address")
    return parts.scheme, _host(parts.hostname, "url's host"), parts.port or (443 if parts.scheme == "https" else 80)


def _httpx(record: dict[str, Any], result: ImportedFile) -> None:
    url = str(record.get("url") or "")
    if not url:
        raise _LineError("required_missing", "an httpx line needs \"url\"")
    scheme, host, port = _url_parts(url)
    if "status_code" in record and not isinstance(record["status_code"], int):
        raise _LineError("bad_integer", "\"status_code\" must be a number")
    product = str(record.get("webserver") or "")[:100]
    result.assets.append(ImportedAsset(SeenAsset("host", host)))
    result.assets.append(ImportedAsset(SeenAsset("service", f"{host}:{port}/tcp", port, "tcp", scheme.upper())))
    result.assets.append(ImportedAsset(SeenAsset("web", f"{scheme}://{host}:{port}/", port, scheme, product)))


def _nuclei(record: dict[str, Any], result: ImportedFile) -> None:
    info = record.get("info")
    target = str(record.get("matched-at") or record.get("host") or "")
    if not isinstance(info, dict) or not record.get("template-id") or not target:
        raise _LineError("required_missing", "a nuclei line needs \"template-id\", \"info\" and \"host\"")
    severity = str(info.get("severity", "")).lower()
    if severity == "unknown":
        severity = "info"
    if severity not in SEVERITIES:
        raise _LineError("bad_code", f"severity {severity!r} is not one of {', '.join(SEVERITIES)}")
    scheme, host, port = _url_parts(target) if "://" in target else ("", _host(target.split(":")[0], "host"), 0)
    cves = (info.get("classification") or {}).get("cve-id") or []
    cve = str(cves[0]).upper() if isinstance(cves, list) and cves else ""
    asset = (SeenAsset("web", f"{scheme}://{host}:{port}/", port, scheme) if scheme else SeenAsset("host", host))
    result.assets.append(ImportedAsset(asset))
    title = str(info.get("name") or record["template-id"])[:200]
    result.findings.append(ImportedFinding(asset, title, severity,
                                           f"nuclei {record['template-id']} matched at {target[:200]}", cve))


_JSON_READERS: dict[str, Callable[[dict[str, Any], ImportedFile], None]] = {
    "subfinder": _subfinder, "amass": _amass, "httpx": _httpx, "nuclei": _nuclei}


def _read_nmap(text: str, result: ImportedFile) -> None:
    # The standard library's parser expands internal entities: a file that declares any is refused.
    if "<!ENTITY" in text.upper():
        result.problems.append(ImportProblem(text.upper()[: text.upper().find("<!ENTITY")].count("\n") + 1,
                                             "entity_declared", "nmap XML never declares entities: refused"))
        return
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        result.problems.append(ImportProblem(error.position[0], "bad_xml", f"not well-formed XML: {error}"))
        return
    if root.tag != "nmaprun":
        result.problems.append(ImportProblem(1, "not_nmap", "the file is XML but not nmap's (<nmaprun>)"))
        return
    # ElementTree keeps no line numbers: the n-th <host> element is on the line of the n-th "<host" tag.
    host_lines = [text[: m.start()].count("\n") + 1 for m in re.finditer(r"<host[\s>]", text)]
    for index, host in enumerate(root.iter("host")):
        address = next((a.get("addr", "") for a in host.iter("address") if a.get("addrtype") in ("ipv4", "ipv6")), "")
        if not _is_address(address):
            line = host_lines[index] if index < len(host_lines) else 0
            result.problems.append(ImportProblem(line, "bad_address", f"this <host> has no IP address ({address[:40]!r})"))
            continue
        result.assets.append(ImportedAsset(SeenAsset("ip", address)))
        names = [n.get("name", "") for n in host.iter("hostname") if normalise_domain(n.get("name", ""))]
        for name in names:
            result.assets.append(ImportedAsset(SeenAsset("host", name.lower())))
        for port in host.iter("port"):
            state = port.find("state")
            if state is None or state.get("state") != "open" or not port.get("portid", "").isdigit():
                continue
            service = port.find("service")
            product = " ".join(filter(None, [service.get("product", "") if service is not None else "",
                                             service.get("version", "") if service is not None else ""]))
            number = int(port.get("portid", "0"))
            protocol = port.get("protocol", "tcp")
            result.assets.append(ImportedAsset(SeenAsset(
                "service", f"{names[0].lower() if names else address}:{number}/{protocol}", number, protocol,
                product or (service.get("name", "") if service is not None else ""))))


def _read_csv(text: str, result: ImportedFile) -> None:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in ("kind", "name") if c not in header]
    if missing:
        result.problems.append(ImportProblem(1, "header_missing_column",
                                             f"the header needs the columns {', '.join(missing)}"))
        return
    reader.fieldnames = header
    for row in reader:
        number = reader.line_num
        kind = (row.get("kind") or "").strip().lower()
        name = (row.get("name") or "").strip()
        criticality = (row.get("criticality") or "").strip().lower()
        if kind not in CSV_KINDS:
            result.problems.append(ImportProblem(number, "bad_code", f"kind {kind!r} is not one of {', '.join(CSV_KINDS)}"))
        elif not name:
            result.problems.append(ImportProblem(number, "required_missing", "name is empty"))
        elif kind in ("domain", "host") and normalise_domain(name) is None:
            result.problems.append(ImportProblem(number, "bad_host", f"name {name[:80]!r} is not a host name"))
        elif kind == "ip" and not _is_address(name):
            result.problems.append(ImportProblem(number, "bad_address", f"name {name[:80]!r} is not an IP address"))
        elif criticality and criticality not in CRITICALITIES:
            result.problems.append(ImportProblem(number, "bad_code",
                                                 f"criticality {criticality!r} is not one of {', '.join(CRITICALITIES)}"))
        else:
            value = name.lower() if kind in ("domain", "host") else name
            result.assets.append(ImportedAsset(SeenAsset(kind, value), (row.get("owner_team") or "").strip()[:100],
                                               criticality))
