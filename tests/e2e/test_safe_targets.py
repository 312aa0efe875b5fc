"""Issue 11.1: nothing gxaudit writes may replace a source report, or another
output of the same run — by path, hard link or symlink (real files, real runs)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import FIXTURES, ROOT, SEED_000, require


def run(*args, timeout=180):
    return subprocess.run([sys.executable, "-m", "gxaudit", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", cwd=ROOT, timeout=timeout)


def refused(out) -> None:
    assert out.returncode == 2, (out.stdout, out.stderr)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "拒绝" in lines[0], lines
    assert "Traceback" not in out.stderr and "已导出" not in out.stderr


@pytest.fixture
def source(tmp_path):
    p = tmp_path / "same.txt"
    shutil.copyfile(require(SEED_000), p)
    return p


def test_xlsx_onto_the_source_is_refused(source):
    before = source.read_bytes()
    refused(run("check", source, "--no-library", "--xlsx", source))
    assert source.read_bytes() == before


def test_summary_onto_the_source_pdf_is_refused(tmp_path):
    pdf = tmp_path / "report.pdf"
    shutil.copyfile(require(FIXTURES / "fx2021.pdf"), pdf)
    before = pdf.read_bytes()
    refused(run("check", pdf, "--no-library", "--summary", pdf))
    assert pdf.read_bytes() == before


def test_a_hard_link_to_the_source_is_refused(source, tmp_path):
    link = tmp_path / "link.xlsx"
    os.link(source, link)
    before = source.read_bytes()
    refused(run("check", source, "--no-library", "--xlsx", link))
    assert source.read_bytes() == before and link.read_bytes() == before


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges")
def test_a_symlink_to_the_source_is_refused(source, tmp_path):
    link = tmp_path / "link.pdf"
    os.symlink(source, link)
    before = source.read_bytes()
    refused(run("check", source, "--no-library", "--summary", link))
    assert source.read_bytes() == before and link.is_symlink()


def test_the_source_given_through_a_symlink_is_refused(source, tmp_path):
    link = tmp_path / "via-link.txt"
    os.symlink(source, link)
    before = source.read_bytes()
    refused(run("check", link, "--no-library", "--xlsx", tmp_path / "." / "same.txt"))
    assert source.read_bytes() == before


def test_last_years_report_is_a_source_too(source, tmp_path):
    prior = tmp_path / "prior.txt"
    shutil.copyfile(require(SEED_000), prior)
    before = prior.read_bytes()
    refused(run("check", source, "--no-library", "--prior", prior, "--xlsx", prior))
    assert prior.read_bytes() == before


def test_two_outputs_of_one_run_may_not_be_one_file(source, tmp_path):
    out = tmp_path / "out.bin"                     # does not exist yet
    refused(run("check", source, "--no-library", "--xlsx", out, "--summary", tmp_path / "x" / ".." / "out.bin"))
    assert not out.exists()
    existing = tmp_path / "a.xlsx"
    existing.write_bytes(b"earlier export")
    other = tmp_path / "b.pdf"
    os.link(existing, other)
    refused(run("check", source, "--no-library", "--xlsx", existing, "--summary", other))
    assert existing.read_bytes() == b"earlier export"


def test_export_refuses_to_overwrite_the_review_it_reads(source, tmp_path):
    from gxaudit.core import load_report
    from gxaudit.core.review import ReviewStore
    store = ReviewStore(tmp_path / "reviews")
    rv = store.open(load_report(str(source))).review
    rv.set_cell("t3.total_processed.total", 3)
    store.save(rv)
    before = rv.path.read_bytes()
    refused(run("export", rv.path, "--xlsx", rv.path))
    assert rv.path.read_bytes() == before


def test_a_different_target_still_works(source, tmp_path):
    out = run("check", source, "--no-library", "--xlsx", tmp_path / "a.xlsx", "--summary", tmp_path / "a.pdf")
    assert out.returncode == 1, out.stderr
    assert (tmp_path / "a.xlsx").stat().st_size and (tmp_path / "a.pdf").stat().st_size


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")
@pytest.mark.parametrize("args", [("--json",), ()])
def test_a_closed_pipe_ends_quietly(args):
    """`gxaudit check … | head -1`: no traceback, no "Exception ignored"."""
    cmd = f"{sys.executable} -m gxaudit check {SEED_000} --no-library {' '.join(args)} | head -c 1"
    out = subprocess.run(["sh", "-c", cmd], capture_output=True, cwd=ROOT, timeout=120)
    proc = subprocess.Popen([sys.executable, "-m", "gxaudit", "check", str(require(SEED_000)),
                            "--no-library", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    proc.stdout.close()                          # the reader has gone before anything is written
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.wait(timeout=120)
    assert err == "", err
    assert out.stderr == b"", out.stderr.decode("utf-8", "replace")
