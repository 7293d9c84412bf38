"""The JSON report keeps the exact text json.dumps(..., ensure_ascii=False, indent=2) gave it."""

from __future__ import annotations

import json
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.lint.finding import Finding
from kg.lint.output import Report, render
from kg.text import printable

_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=10)  # controls, quotes, surrogates
_FINDING = st.builds(Finding, _TEXT, st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 10**6),
                     st.integers(0, 10**6), _TEXT, _TEXT, st.sampled_from(["error", "warning", "info"]), _TEXT, _TEXT)


def _reference(report: Report) -> str:
    """The JSON report as it was written before: the whole document through json.dumps."""
    counts = Counter(f.severity for f in report.findings)
    data = {
        "findings": [{**f.to_dict(), "path": report.display(f.path)} for f in report.findings],
        "summary": {"findings": len(report.findings), "error": counts["error"], "warning": counts["warning"],
                    "info": counts["info"], "notes": report.notes, "files": len({f.path for f in report.findings})},
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


@settings(max_examples=300, deadline=None)
@given(findings=st.lists(_FINDING, max_size=5), notes=st.integers(0, 10**6))
def test_the_json_report_is_what_json_dumps_wrote(findings: list[Finding], notes: int) -> None:
    report = Report(sorted(findings), [], notes, display=lambda path: f"shown/{path}")
    assert render(report, "json") == printable(_reference(report))
