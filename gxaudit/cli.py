"""Command line: ``gxaudit check REPORT [--json]`` and the GUI entry.

Exit status (report-json.md): 0 read and checked with no error finding;
1 read and checked with at least one error; 2 the file could not be read
as a report (one clear line on stderr, no traceback).
"""
from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from pathlib import Path

from . import __version__

log = logging.getLogger("gxaudit.cli")

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line on stderr, exit 2
        self.exit(EXIT_UNREADABLE, f"gxaudit：参数有误：{message}（gxaudit --help 查看用法）\n")


COMMANDS = ("check", "export", "library", "gui")
ONE_REPORT = ("check", "export")     # commands that read one report and exit


def _names(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reviewer", metavar="姓名",
                        help="审核人姓名（签字栏、页脚、修改记录）；默认取环境变量 GXAUDIT_REVIEWER，再取登录名")
    parser.add_argument("--checker", metavar="姓名",
                        help="复核人姓名（签字栏）；默认取环境变量 GXAUDIT_CHECKER，否则留空待手写")


def _parser() -> argparse.ArgumentParser:
    from .cli_zh import install
    install()
    p = _Parser(prog="gxaudit", description="政府信息公开工作年度报告审核工具。"
                "不带命令时打开审核窗口；gxaudit 报告文件… 在窗口中打开这些报告。")
    p.add_argument("--version", action="version", version=f"gxaudit {__version__}", help="显示版本号后退出")
    p.add_argument("--self-test", nargs=2, metavar=("报告", "输出文件夹"),
                   help="自检：打开报告、检查、导出工作簿和审核摘要后退出（打包后的冒烟测试用）")
    sub = p.add_subparsers(dest="command", title="命令", metavar="命令")
    c = sub.add_parser("check", help="读取一份报告，检查勾稽关系，输出问题清单")
    c.add_argument("report", metavar="报告", help="报告文件：PDF（含文字层）、DOCX、HTML、文本（.txt/.md）或 gxaudit 导出的工作簿")
    c.add_argument("--json", action="store_true", help="以 JSON 输出（见 report-json.md）")
    c.add_argument("--prior", metavar="上年报告", help="上年报告（任一支持的格式，或已保存的审核记录 .review.json）")
    c.add_argument("--no-library", action="store_true",
                   help="不把本报告记入本地报告库，也不从报告库中查找上年报告")
    c.add_argument("--xlsx", metavar="OUT.xlsx", help="同时导出带批注的审核工作簿")
    c.add_argument("--summary", metavar="OUT.pdf", help="同时导出可打印的审核摘要（PDF）")
    _names(c)
    e = sub.add_parser("export", help="把已保存的审核记录导出为工作簿或审核摘要")
    e.add_argument("review", metavar="审核记录", help="审核记录（.review.json）或 gxaudit 导出的工作簿")
    e.add_argument("--xlsx", metavar="OUT.xlsx", help="导出带批注的审核工作簿")
    e.add_argument("--summary", metavar="OUT.pdf", help="导出可打印的审核摘要（PDF）")
    _names(e)
    lib = sub.add_parser("library", help="本地报告库：用于查找上年报告")
    lsub = lib.add_subparsers(dest="library_command")
    la = lsub.add_parser("add", help="把报告文件（或文件夹中的全部报告）加入报告库")
    la.add_argument("paths", nargs="+", metavar="文件或文件夹")
    lsub.add_parser("list", help="列出报告库中的报告")
    lr = lsub.add_parser("remove", help="从报告库中删除（按编号、sha256 或文件路径）")
    lr.add_argument("ids", nargs="+", metavar="编号")
    from .cli_batch import add_parser as add_batch_parser
    add_batch_parser(sub)
    g = sub.add_parser("gui", help="打开审核窗口")
    g.add_argument("report", nargs="*", metavar="报告", help="要打开的报告文件（可以是多个）")
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
    from .core.history import Library, LibraryError
    try:
        lib = Library()
    except LibraryError as exc:      # locked by another gxaudit, or unusable: left as it is
        print(f"gxaudit：{exc}本次检查未使用报告库。", file=sys.stderr)
        return None
    except Exception as exc:  # noqa: BLE001 - the check must work without the library
        log.warning("report library unavailable: %s", exc)
        print("gxaudit：报告库暂不可用，本次检查未使用报告库。", file=sys.stderr)
        return None
    if lib.notice:
        print(f"gxaudit：{lib.notice}", file=sys.stderr)
    return lib


def _unsafe_targets(args, source: str, prior: str | None = None) -> bool:
    """Refuse (one line on stderr) outputs that are an input or each other,
    before anything is read or written; True when refused."""
    from .core.files import UnsafeTarget, check_targets
    from .core.history import library_path
    try:
        check_targets({"--xlsx": args.xlsx, "--summary": args.summary},
                      [source, prior, library_path()])
    except UnsafeTarget as exc:
        print(f"gxaudit：拒绝写入：{exc}", file=sys.stderr)
        return True
    return False


def _record(library, report) -> None:
    """Add the report to the library; a lock taken meanwhile only skips that."""
    from .core.history import LibraryError
    try:
        library.add(report)
    except LibraryError as exc:
        print(f"gxaudit：{exc}本报告未记入报告库。", file=sys.stderr)


def cmd_check(args) -> int:
    from .core.model import ReportError
    from .core.session import check_path, fresh_review

    if _unsafe_targets(args, args.report, args.prior):
        return EXIT_UNREADABLE
    try:
        checked = check_path(args.report, args.prior, lambda: _library(args))
        for note in checked.notes:
            print(f"gxaudit：{note}", file=sys.stderr)
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
    report, findings, prior = checked.report, checked.findings, checked.prior
    if args.json:
        from .core.export.json import report_document
        doc = report_document(report, findings, checked.review)
        doc["prior"] = prior.to_json()
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        from .core.export.text import findings_text
        sys.stdout.write(findings_text(report, findings, prior.describe()))
    if (args.xlsx or args.summary) and not _export(fresh_review(checked), args.xlsx, args.summary, args):
        return EXIT_UNREADABLE
    return EXIT_FINDINGS if any(f.severity == "error" for f in findings) else EXIT_OK


def _apply_names(args) -> None:
    """--reviewer/--checker win over the environment, for this run."""
    import os
    for opt, var in (("reviewer", "GXAUDIT_REVIEWER"), ("checker", "GXAUDIT_CHECKER")):
        value = (getattr(args, opt, None) or "").strip()
        if value:
            os.environ[var] = value


def _export(review, xlsx: str | None, summary: str | None, args=None) -> bool:
    """Write the requested exports; False (after one line on stderr) on failure."""
    from .core.model import ReportError
    from .core.review import default_reviewer
    if args is not None and getattr(args, "reviewer", None):
        review.reviewer = default_reviewer()       # the name given for this run signs
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
    from .core.review import ReviewDamaged
    if not (args.xlsx or args.summary):
        print("gxaudit：参数有误：请用 --xlsx 或 --summary 指定要导出的文件。", file=sys.stderr)
        return EXIT_UNREADABLE
    if _unsafe_targets(args, args.review):
        return EXIT_UNREADABLE
    try:
        from .core.session import open_review_file
        review = open_review_file(args.review)
    except FileNotFoundError:
        print(f"gxaudit：无法读取审核记录：找不到文件：{args.review}", file=sys.stderr)
        return EXIT_UNREADABLE
    except ReviewDamaged as exc:
        print(f"gxaudit：无法读取审核记录：这不是 gxaudit 保存的审核记录（.review.json），或文件已损坏"
              f"（{exc}）{_set_aside_if_ours(args.review, exc)}", file=sys.stderr)
        return EXIT_UNREADABLE
    except ReportError as exc:
        print(f"gxaudit：无法读取审核记录：{exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    except (OSError, UnicodeDecodeError, _json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        log.info("review file %s unusable: %r", args.review, exc)
        print("gxaudit：无法读取审核记录：这不是 gxaudit 保存的审核记录（.review.json），或文件已损坏。",
              file=sys.stderr)
        return EXIT_UNREADABLE
    return EXIT_OK if _export(review, args.xlsx, args.summary, args) else EXIT_UNREADABLE


def _set_aside_if_ours(path: str, exc: Exception) -> str:
    """A damaged review in gxaudit's own review folder is set aside (as when the
    GUI opens it); a file elsewhere, named by the user, is left where it is."""
    import os

    from .core.review import ReviewStore
    store = ReviewStore()
    try:
        ours = os.path.samefile(os.path.dirname(os.path.abspath(path)), store.root)
    except OSError:
        ours = False
    if not ours or not path.endswith(".review.json"):
        return "。"
    try:
        return f"，已另存为 {store.set_aside(Path(path), exc)}。"
    except OSError:
        return "。"


def cmd_library(args) -> int:
    from .core.history import Library, LibraryError
    try:
        return _library_command(args, Library())
    except BrokenPipeError:
        raise
    except LibraryError as exc:
        print(f"gxaudit：{exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        log.exception("report library failed")
        print(f"gxaudit：无法使用报告库：出现意外错误（{type(exc).__name__}），详情见日志。", file=sys.stderr)
        return EXIT_UNREADABLE


def _library_command(args, lib) -> int:
    import os

    from .core.model import ReportError
    from .core.session import load_report
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


def cmd_gui(paths: list[str] | None) -> int:
    if (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")):
        print("gxaudit：无法打开审核窗口：没有图形显示环境（可用 gxaudit check 报告文件 在命令行检查）。",
              file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        from .ui.app import run
    except ImportError as exc:
        print(f"gxaudit：无法启动图形界面：{exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    return run(paths or [])


def files_for_gui(argv: list[str]) -> list[str] | None:
    """``gxaudit FILE…`` (the desktop entry's ``%F``, Windows' ``"%1"``, 打开方式):
    the files to open in the window, or None when argv is a command line."""
    if not argv:
        return None
    first = argv[0]
    if first.startswith("-") or (first in COMMANDS and not os.path.isfile(first)):
        return None
    looks_like_file = (os.path.exists(first) or first.startswith("file:") or os.sep in first
                       or "/" in first or bool(os.path.splitext(first)[1]))
    return list(argv) if looks_like_file else None    # "chek" is a typo, not a file


def main(argv: list[str] | None = None) -> int:
    """Run a command; a reader that went away (``gxaudit check … | head -1``)
    ends it quietly: no traceback, no "Exception ignored" at exit."""
    try:
        code = _main(argv)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # Python flushes stdout again at exit; point it at devnull so that
        # flush cannot fail a second time.
        import os
        import signal
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 128 + getattr(signal, "SIGPIPE", 13)   # what a shell shows for a closed pipe


# A command that reads one report and exits runs the cycle collector this
# much less often (CPython's first threshold is 700 allocations): otherwise
# it runs dozens of times over the objects that imports create.
GC_GEN0 = 100_000


@contextlib.contextmanager
def _few_collections():
    """The collector's first threshold raised for one command, put back after
    (``main`` may run in a process that goes on: a test, the window's self-test)."""
    import gc
    before = gc.get_threshold()
    gc.set_threshold(GC_GEN0, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _main(argv: list[str] | None = None) -> int:
    if getattr(sys, "frozen", False):      # a bundled app: batch workers start through the executable
        import multiprocessing
        multiprocessing.freeze_support()
    _stdout_utf8()
    from .logs import setup_logging
    argv = sys.argv[1:] if argv is None else list(argv)
    files = files_for_gui(argv)
    if files is not None:
        setup_logging()
        return cmd_gui(files)
    args = _parser().parse_args(argv)
    if args.command in ONE_REPORT and not args.self_test:
        with _few_collections():
            setup_logging(long_running=False)
            return _command(args)
    setup_logging()
    return _command(args)


def _command(args) -> int:
    _apply_names(args)
    if args.self_test:
        from .ui.selftest import run_self_test
        return run_self_test(*args.self_test)
    if args.command == "check":
        return cmd_check(args)
    if args.command == "library":
        return cmd_library(args)
    if args.command == "export":
        return cmd_export(args)
    if args.command == "batch":
        from .cli_batch import cmd_batch
        return cmd_batch(args)
    if args.command == "gui":
        return cmd_gui(args.report)
    return cmd_gui(None)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
