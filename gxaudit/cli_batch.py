"""``gxaudit batch PATH… [--out DIR] [--jobs N] [--json] [--xlsx] [--summary] [--rerun]``.

Exit status (report-json.md, "Batch"): 0 every file read and none with an
error; 1 at least one file with an error or unreadable; 2 bad arguments or
no readable file; 130 interrupted (Ctrl+C), with what was done kept in the
library's cache.
"""
from __future__ import annotations

import json
import logging
import os
import sys

log = logging.getLogger("gxaudit.cli")

EXIT_INTERRUPTED = 130


def add_parser(sub) -> None:
    b = sub.add_parser("batch", help="批量审核：检查文件夹中的全部报告，输出汇总")
    b.add_argument("paths", nargs="+", metavar="PATH", help="报告文件或文件夹（含子文件夹）")
    b.add_argument("--out", metavar="DIR", help="输出文件夹：汇总.xlsx（及 --xlsx、--summary 所要求的文件）")
    b.add_argument("--jobs", type=int, metavar="N", help="同时读取的进程数（默认：全部 CPU 核心）")
    b.add_argument("--json", action="store_true", help="以 JSON 输出（见 report-json.md 的 Batch 一节）")
    b.add_argument("--xlsx", action="store_true", help="在输出文件夹中为每份报告导出审核工作簿")
    b.add_argument("--summary", action="store_true", help="在输出文件夹中导出本批汇总摘要和每份报告的审核摘要（PDF）")
    b.add_argument("--rerun", action="store_true", help="忽略缓存，重新读取全部文件")
    b.add_argument("--rubric", metavar="FILE", help="评分细则（TOML）；默认用报告文件夹中的 rubric.toml 或内置细则")


def _fail(msg: str) -> int:
    print(f"gxaudit：参数有误：{msg}", file=sys.stderr)
    return 2


class _Bar:
    """Progress on stderr: count, rate, time left.  Silent when not a terminal."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()

    def __call__(self, p) -> None:
        if not self.live:
            return
        eta = "" if p.eta is None else f"，约还需 {p.eta:.0f} 秒"
        self.stream.write(f"\r批量审核：{p.done}/{p.total} 份（{p.rate:.1f} 份/秒{eta}）\033[K")
        self.stream.flush()

    def close(self) -> None:
        if self.live:
            self.stream.write("\n")
            self.stream.flush()


def _check_args(args) -> str | None:
    if args.jobs is not None and args.jobs < 1:
        return "--jobs 应为正整数。"
    if (args.xlsx or args.summary) and not args.out:
        return "--xlsx、--summary 需要用 --out 指定输出文件夹。"
    for p in args.paths:
        if not os.path.exists(p):
            return f"找不到文件或文件夹：{p}"
    if args.rubric and not os.path.isfile(args.rubric):
        return f"找不到评分细则文件：{args.rubric}"
    return None


def _open_library():
    from .core.history import Library
    try:
        lib = Library()
    except Exception as exc:  # noqa: BLE001 - the batch works without a cache
        log.warning("report library unavailable: %s", exc)
        print("gxaudit：报告库无法使用，本次不使用缓存。", file=sys.stderr)
        return None
    if lib.notice:
        print(f"gxaudit：{lib.notice}", file=sys.stderr)
    return lib


def _rubric(args):
    from .core.score import RubricError, find_rubric, load_rubric
    try:
        return load_rubric(args.rubric or find_rubric(args.paths))
    except RubricError as exc:
        print(f"gxaudit：参数有误：{exc}", file=sys.stderr)
        return None


def cmd_batch(args) -> int:
    from .core.batch import discover, run_batch
    bad = _check_args(args)
    if bad:
        return _fail(bad)
    rubric = _rubric(args)
    if rubric is None:
        return 2
    files = discover(args.paths, [args.out] if args.out else [])
    if not files:
        print("gxaudit：没有找到可读取的报告文件（PDF、DOCX、HTML、TXT/MD、导出的工作簿）。", file=sys.stderr)
        return 2
    library = _open_library()
    bar = _Bar()
    try:
        season = run_batch(args.paths, jobs=args.jobs, library=library, rerun=args.rerun,
                           progress=bar, files=files)
    except KeyboardInterrupt:      # during planning: nothing was half-written
        bar.close()
        print("gxaudit：已中断。", file=sys.stderr)
        return EXIT_INTERRUPTED
    bar.close()
    if season.interrupted:
        done = sum(1 for e in season.entries if e.status != "duplicate")
        print(f"gxaudit：已中断：已读取 {done}/{len(files)} 份，结果已保存在报告库中，再次运行将从此继续。",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    if args.json:
        json.dump(season.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_text(season)
    if args.out and not _write_outputs(season, args, rubric, files):
        return 2
    return season.exit_code()


def _print_text(season) -> None:
    names = {"unreadable": "无法读取", "duplicate": "重复"}
    for e in season.entries:
        if e.status == "checked":
            prior = f"，上年：{os.path.basename(e.prior_path)}" if e.prior_path else ""
            print(f"{e.agency or '未识别机关'}  {e.year or '?'}年度  错误 {e.count('error')}  "
                  f"警告 {e.count('warning')}{prior}  {e.path}")
        elif e.status == "duplicate":
            print(f"{names[e.status]}：{e.path}（与 {e.same_as} 相同）")
        else:
            print(f"{names[e.status]}：{e.path}：{e.reason}")
    t = season.totals()
    print(f"共 {t['files']} 个文件：已检查 {t['checked']}，无法读取 {t['unreadable']}，重复 {t['duplicate']}，"
          f"有错误的 {t['with_errors']} 份。")


def _write_outputs(season, args, rubric, sources: list[str]) -> bool:
    from .core.export.season_xlsx import export_season
    from .core.model import ReportError
    try:
        written = export_season(season, args.out, rubric, workbooks=args.xlsx, summaries=args.summary,
                                protect=sources)
    except ReportError as exc:
        print(f"gxaudit：导出失败：{exc}", file=sys.stderr)
        return False
    except OSError as exc:
        print(f"gxaudit：导出失败：无法写入文件（{exc.strerror or exc}）。", file=sys.stderr)
        return False
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        log.exception("batch export failed")
        print(f"gxaudit：导出失败：出现意外错误（{type(exc).__name__}），详情见日志。", file=sys.stderr)
        return False
    print(f"gxaudit：已导出 {len(written)} 个文件到 {args.out}", file=sys.stderr)
    return True
