"""JUnit XML for CI systems that only read test reports.

One ``testcase`` per rule that ran (or that has findings); each finding of the rule is a
``failure`` element of its test case, whose text is the ``path:line:col: CODE message``
line. Times are always 0 so the output is byte-stable.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from archlint.domain.finding import Finding
from archlint.domain.report import Report
from archlint.reporters.text import line

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot hold (control characters)."""
    return _NOT_XML.sub("", value)


def _cases(report: Report) -> list[tuple[str, str, list[Finding]]]:
    names = {meta.code: meta.name for meta in report.rules}
    hits: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        names.setdefault(finding.code, finding.name)
        hits[finding.code].append(finding)
    return [(code, names[code], hits.get(code, [])) for code in sorted(names)]


def as_element(report: Report) -> ET.Element:
    """The ``<testsuites>`` element."""
    cases = _cases(report)
    failed = sum(1 for _, _, findings in cases if findings)
    counts = {"tests": str(len(cases)), "failures": str(failed), "errors": "0", "skipped": "0", "time": "0"}
    root = ET.Element("testsuites", {"name": "archlint", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "archlint", **counts})
    for code, name, findings in cases:
        case = ET.SubElement(suite, "testcase", {"classname": f"archlint.{code}", "name": f"{code} {name}", "time": "0"})
        for finding in findings:
            failure = ET.SubElement(
                case,
                "failure",
                {"type": finding.code, "message": xml_text(f"{finding.path}:{finding.line}:{finding.column}: {finding.message}")},
            )
            failure.text = xml_text(line(finding))
    return root


def render(report: Report) -> str:
    """Indented JUnit XML with an XML declaration and a trailing newline."""
    root = as_element(report)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
