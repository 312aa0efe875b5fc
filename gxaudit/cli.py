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
    sub = p.add_subparsers(dest="command")
    c = sub.add_parser("check", help="读取一份报告，检查勾稽关系，输出问题清单")
    c.add_argument("report", help="报告文件（.txt/.md，后续版本支持 PDF、DOCX、HTML）")
    c.add_argument("--json", action="store_true", help="以 JSON 输出（见 report-json.md）")
    g = sub.add_parser("gui", help="打开审核窗口")
    g.add_argument("report", nargs="?", help="要打开的报告文件")
    return p


def _stdout_utf8() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")
        except (AttributeError, ValueError):  # pragma: no cover - unusual streams
            pass


def cmd_check(args) -> int:
    from .core import check_file
    from .core.model import ReportError

    try:
        report, findings = check_file(args.report)
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
        json.dump(report_document(report, findings), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        from .core.export.text import findings_text
        sys.stdout.write(findings_text(report, findings))
    return EXIT_FINDINGS if any(f.severity == "error" for f in findings) else EXIT_OK


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
    if args.command == "check":
        return cmd_check(args)
    if args.command == "gui":
        return cmd_gui(args.report)
    return cmd_gui(None)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
