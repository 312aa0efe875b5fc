"""Distinct reports for season (batch) tests and benchmarks, made from the
fixture generator (tests/fixtures/make_fixtures.py) with another agency name
and year: the same figures, so every variant has the fixture's deliberate
break, and two years of one agency give a real cross-year break (this year's
上年结转 2 against last year's 结转下年度 4, Y-CARRY).

* ``html_report(agency, year)``: the hand-written HTML page (fast, no tools);
* ``pdf_reports([(agency, year), …], outdir)``: DOCX variants turned into
  text-layer PDFs by ONE LibreOffice run (needs ``soffice``).
"""
from __future__ import annotations

import copy
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "fixtures"))
import make_fixtures as mf  # noqa: E402

AGENCIES = ["示范县{}局".format(n) for n in (
    "教育", "公安", "民政", "司法", "财政", "人力资源和社会保障", "自然资源", "生态环境", "住房和城乡建设",
    "交通运输", "水利", "农业农村", "商务", "文化和旅游", "卫生健康", "应急管理", "审计", "统计", "医疗保障",
    "林业", "体育", "信访", "粮食和物资储备", "退役军人事务", "地方金融监督管理")]


@contextmanager
def _as(agency: str, year: int):
    saved = mf.AGENCY, copy.deepcopy(mf.REPORTS)
    mf.AGENCY = agency
    mf.REPORTS["2021"].update(year=year, published=f"{year + 1}-01-25", date=f"{year + 1}年1月25日")
    try:
        yield
    finally:
        mf.AGENCY, mf.REPORTS = saved[0], saved[1]


def html_report(agency: str, year: int) -> bytes:
    with _as(agency, year):
        return mf.make_html("2021").encode("utf-8")


def docx_report(agency: str, year: int, out: Path) -> Path:
    with _as(agency, year):
        mf.make_docx("2021", out)
    return out


def pdf_reports(specs: list[tuple[str, int]], outdir: Path) -> list[Path]:
    """One text-layer PDF per (agency, year), converted in a single soffice run."""
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        docs = [docx_report(a, y, Path(tmp) / f"r{i:03d}_{y}.docx") for i, (a, y) in enumerate(specs)]
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                            "--convert-to", "pdf", "--outdir", str(outdir), *map(str, docs)],
                           check=True, capture_output=True, timeout=1800)
    return [outdir / (d.stem + ".pdf") for d in docs]
