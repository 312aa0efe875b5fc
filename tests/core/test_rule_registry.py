"""Code rules register themselves (``@rules.rule``): a new rule is a change in one place."""
from __future__ import annotations

import pytest

from gxaudit.core import load_report, rules
from gxaudit.core.model import WARNING, Finding, ReportError
from tests.conftest import SEED_000, require


@pytest.fixture
def registry(monkeypatch):
    """The registry and catalogue as they are, restored after the test."""
    monkeypatch.setattr(rules, "CODE_RULES", list(rules.CODE_RULES))
    monkeypatch.setattr(rules, "RULES", dict(rules.RULES))
    return rules


def test_the_built_in_code_rules_are_registered():
    names = [fn.__name__ for _, fn, _ in rules.CODE_RULES]
    assert names[:10] == ["_nn_findings", "_t2_findings", "_format_findings", "_cell_state_findings",
                          "blank_findings", "_ocr_findings", "_reading_findings", "_fee_findings",
                          "_date_findings", "check"]
    for ids, _, _ in rules.CODE_RULES:
        assert all(i in rules.RULES for i in ids)


def test_a_ctx_rule_and_a_plain_report_prior_rule(registry):
    report = load_report(str(require(SEED_000)))
    before = rules.check(report)
    seen = {}

    @registry.rule("X-CTX", severity=WARNING, title="玩具规则", description="读上下文")
    def toy(ctx):
        seen["evals"] = len(ctx.evaluations)
        return [Finding("X-CTX", WARNING, ["t3.total_processed.total"], f"{ctx.report.agency}")]

    @registry.rule("X-PLAIN", severity=WARNING, title="普通函数")
    def plain(report, prior):
        seen["prior"] = prior
        return [Finding("X-PLAIN", WARNING, [], f"{report.year}")]

    after = rules.check(report)
    assert seen["evals"] > 0 and seen["prior"] is None
    added = [f for f in after if f.rule.startswith("X-")]
    assert [(f.rule, f.message) for f in added] == [("X-CTX", report.agency), ("X-PLAIN", str(report.year))]
    assert [f.id for f in after if not f.rule.startswith("X-")] == [f.id for f in before]
    assert registry.RULES["X-CTX"].name == "玩具规则"


def test_a_rule_with_unknown_parameters_is_refused(registry):
    with pytest.raises(TypeError):
        @registry.rule("X-BAD")
        def bad(document):
            return []


def test_readers_register_by_signature(monkeypatch, tmp_path):
    """A new reader is one Signature and one READERS entry, no if-chain to edit."""
    from gxaudit.core import ingest
    from gxaudit.core.document import Document
    from gxaudit.core.ingest.text import read_text
    toy = tmp_path / "report.toy"
    toy.write_bytes(b"TOYF" + SEED_000.read_bytes())

    def read_toy(path, data, sha):
        return read_text(path, data[4:], sha)

    monkeypatch.setattr(ingest, "SIGNATURES", (ingest.Signature("toy", lambda head, suffix: head.startswith(b"TOYF")),)
                        + ingest.SIGNATURES)
    monkeypatch.setattr(ingest, "READERS", {**ingest.READERS, "toy": read_toy})
    assert ingest.sniff(str(toy), toy.read_bytes()[:16]) == "toy"
    doc = ingest.read_document(str(toy))
    assert isinstance(doc, Document) and "台儿庄区人力资源和社会保障局" in doc.text
    old = tmp_path / "old.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 64)
    with pytest.raises(ReportError, match="旧版 Word"):
        ingest.read_document(str(old))
