"""Command line: ``gxaudit check REPORT [--json]`` and the GUI entry.

Exit status (report-json.md): 0 read and checked with no error finding;
1 read and checked with at least one error; 2 the file could not be read
as a report (one clear line on stderr, no traceback).
"""
from __future__ import annotations

import argparse
import json
import logging
import sys

from . import __version__

log = logging.getLogger("gxaudit.cli")

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line on stderr, exit 2
        self.exit(EXIT_UNREADABLE, f"gxaudit：参数有误：{message}（gxaudit --help 查看用法）\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gxaudit", description="政府信息公开工作年度报告审核工具")
    p.add_argument("--version", action="version", version=f"gxaudit {__version__}")
    p.add_argument("--self-test", nargs=2, metavar=("REPORT", "OUTDIR"),
                   help="自检：打开报告、检查、导出工作簿和审核摘要后退出（打包后的冒烟测试用）")
    sub = p.add_subparsers(dest="command")
    c = sub.add_parser("check", help="读取一份报告，检查勾稽关系，输出问题清单")
    c.add_argument("report", help="报告文件：PDF（含文字层）、DOCX、HTML、文本（.txt/.md）或 gxaudit 导出的工作簿")
    c.add_argument("--json", action="store_true", help="以 JSON 输出（见 report-json.md）")
    c.add_argument("--prior", metavar="PRIOR", help="上年报告（任一支持的格式，或已保存的审核记录 .review.json）")
    c.add_argument("--no-library", action="store_true",
                   help="不把本报告记入本地报告库，也不从报告库中查找上年报告")
    c.add_argument("--xlsx", metavar="OUT.xlsx", help="同时导出带批注的审核工作簿")
    c.add_argument("--summary", metavar="OUT.pdf", help="同时导出可打印的审核摘要（PDF）")
    e = sub.add_parser("export", help="把已保存的审核记录导出为工作簿或审核摘要")
    e.add_argument("review", help="审核记录（.review.json）或 gxaudit 导出的工作簿")
    e.add_argument("--xlsx", metavar="OUT.xlsx", help="导出带批注的审核工作簿")
    e.add_argument("--summary", metavar="OUT.pdf", help="导出可打印的审核摘要（PDF）")
    lib = sub.add_parser("library", help="本地报告库：用于查找上年报告")
    lsub = lib.add_subparsers(dest="library_command")
    la = lsub.add_parser("add", help="把报告文件（或文件夹中的全部报告）加入报告库")
    la.add_argument("paths", nargs="+", metavar="FILE_OR_FOLDER")
    lsub.add_parser("list", help="列出报告库中的报告")
    lr = lsub.add_parser("remove", help="从报告库中删除（按编号、sha256 或文件路径）")
    lr.add_argument("ids", nargs="+", metavar="ID")
    g = sub.add_parser("gui", help="打开审核窗口")
    g.add_argument("report", nargs="?", help="要打开的报告文件")
    return p


def _stdout_utf8() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")
        except (AttributeError, ValueError):  # pragma: no cover - unusual streams
            pass


def _library(args):
    """The report library, or None (with the reason logged) when it cannot be used."""
    if getattr(args, "no_library", False):
        return None
    from .core.history import Library
    try:
        lib = Library()
    except Exception as exc:  # noqa: BLE001 - the check must work without the library
        log.warning("report library unavailable: %s", exc)
        return None
    if lib.notice:
        print(f"gxaudit：{lib.notice}", file=sys.stderr)
    return lib


def cmd_check(args) -> int:
    from .core import open_report
    from .core.model import ReportError
    from .core.prior import resolve_prior
    from .core.rules import check

    try:
        report, review = open_report(args.report)
        library = _library(args)
        prior = resolve_prior(report, args.prior, library)
        if library is not None and review is None:   # an exported workbook is no source
            library.add(report)
        findings = check(report, prior.report)
        if library is not None and review is None:   # C-OTHER: paragraphs of other agencies' reports
            from .core.narrative.index import library_findings
            findings += library_findings(report, library)
    except ReportError as exc:
        print(f"gxaudit：无法读取报告：{exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    except MemoryError:
        print("gxaudit：无法读取报告：文件过大，内存不足。", file=sys.stderr)
        return EXIT_UNREADABLE
    except Exception as exc:  # noqa: BLE001 - the contract promises one line, never a traceback
        log.exception("unexpected failure reading %s", args.report)
        print(f"gxaudit：无法读取报告：读取时出现意外错误（{type(exc).__name__}），详情见日志。",
              file=sys.stderr)
        return EXIT_UNREADABLE
    if args.json:
        from .core.export.json import report_document
        doc = report_document(report, findings, review)
        doc["prior"] = prior.to_json()
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        from .core.export.text import findings_text
        sys.stdout.write(findings_text(report, findings, prior.describe()))
    if args.xlsx or args.summary:
        if review is None:     # a fresh review of what was read: no edits, no decisions
            from .core.review import Review
            review = Review(report)
            if prior.report is not None:
                review.set_prior(prior.report, prior.how, "命令行")
        if not _export(review, args.xlsx, args.summary):
            return EXIT_UNREADABLE
    return EXIT_FINDINGS if any(f.severity == "error" for f in findings) else EXIT_OK


def _export(review, xlsx: str | None, summary: str | None) -> bool:
    """Write the requested exports; False (after one line on stderr) on failure."""
    from .core.model import ReportError
    try:
        if xlsx:
            from .core.export.xlsx import export_workbook
            export_workbook(review, xlsx)
            print(f"gxaudit：已导出审核工作簿：{xlsx}", file=sys.stderr)
        if summary:
            from .core.export.summary import export_summary_pdf
            export_summary_pdf(review, summary)
            print(f"gxaudit：已导出审核摘要：{summary}", file=sys.stderr)
    except ReportError as exc:
        print(f"gxaudit：导出失败：{exc}", file=sys.stderr)
        return False
    except OSError as exc:
        print(f"gxaudit：导出失败：无法写入文件（{exc.strerror or exc}）。", file=sys.stderr)
        return False
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        log.exception("export failed")
        print(f"gxaudit：导出失败：出现意外错误（{type(exc).__name__}），详情见日志。", file=sys.stderr)
        return False
    return True


def cmd_export(args) -> int:
    """``gxaudit export REVIEW [--xlsx OUT] [--summary OUT]``."""
    import json as _json

    from .core.model import ReportError
    if not (args.xlsx or args.summary):
        print("gxaudit：参数有误：请用 --xlsx 或 --summary 指定要导出的文件。", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        with open(args.review, "rb") as fh:
            head = fh.read(4)
        if head.startswith(b"PK"):
            from .core import open_report
            review = open_report(args.review)[1]
            if review is None:
                raise ReportError("这不是审核记录文件，也不是 gxaudit 导出的工作簿。")
        else:
            from .core.review import Review
            review = Review.load(args.review)
    except FileNotFoundError:
        print(f"gxaudit：无法读取审核记录：找不到文件：{args.review}", file=sys.stderr)
        return EXIT_UNREADABLE
    except ReportError as exc:
        print(f"gxaudit：无法读取审核记录：{exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    except (OSError, UnicodeDecodeError, _json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        log.info("review file %s unusable: %r", args.review, exc)
        print("gxaudit：无法读取审核记录：这不是 gxaudit 保存的审核记录（.review.json），或文件已损坏。",
              file=sys.stderr)
        return EXIT_UNREADABLE
    return EXIT_OK if _export(review, args.xlsx, args.summary) else EXIT_UNREADABLE


def cmd_library(args) -> int:
    import os

    from .core import load_report
    from .core.history import Library
    from .core.model import ReportError
    try:
        lib = Library()
    except Exception as exc:  # noqa: BLE001
        print(f"gxaudit：无法打开报告库：{exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    if lib.notice:
        print(f"gxaudit：{lib.notice}", file=sys.stderr)
    if args.library_command == "add":
        files = []
        for p in args.paths:
            if os.path.isdir(p):
                for root, _, names in os.walk(p):
                    files += [os.path.join(root, n) for n in sorted(names)
                              if n.lower().endswith((".pdf", ".docx", ".html", ".htm", ".txt", ".md"))]
            else:
                files.append(p)
        failed = 0
        for f in files:
            try:
                report = load_report(f)
            except ReportError as exc:
                failed += 1
                print(f"跳过 {f}：{exc}", file=sys.stderr)
                continue
            rid = lib.add(report)
            print(f"[{rid}] {report.agency or '未识别机关'} {report.year or '?'}年度  {f}")
        return EXIT_UNREADABLE if failed and failed == len(files) else EXIT_OK
    if args.library_command == "remove":
        n = sum(lib.remove(i) for i in args.ids)
        print(f"已删除 {n} 份报告。")
        return EXIT_OK if n else EXIT_FINDINGS
    entries = lib.entries()
    if not entries:
        print("报告库是空的。用 gxaudit library add 文件或文件夹 加入报告。")
    for e in entries:
        mark = "（已审核）" if e.reviewed else ""
        print(f"[{e.id}] {e.agency or '未识别机关'}  {e.year or '?'}年度  {e.template}版格式  "
              f"{e.sha256[:12]}  {e.path}{mark}")
    return EXIT_OK


def cmd_gui(path: str | None) -> int:
    try:
        from .ui.app import run
    except ImportError as exc:
        print(f"gxaudit：无法启动图形界面：{exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    return run(path)


def main(argv: list[str] | None = None) -> int:
    _stdout_utf8()
    from .logs import setup_logging
    setup_logging()
    args = _parser().parse_args(argv)
    if args.self_test:
        from .ui.selftest import run_self_test
        return run_self_test(*args.self_test)
    if args.command == "check":
        return cmd_check(args)
    if args.command == "library":
        return cmd_library(args)
    if args.command == "export":
        return cmd_export(args)
    if args.command == "gui":
        return cmd_gui(args.report)
    return cmd_gui(None)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
