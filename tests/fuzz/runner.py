"""Run one file through ``gxaudit check`` in-process and classify the outcome."""
from __future__ import annotations

import contextlib
import hashlib
import io
import signal
import time
from dataclasses import dataclass

GENERIC = "意外错误"


class Hang(Exception):
    """Raised by the safety-net alarm: a case that never finished."""


@dataclass
class Outcome:
    name: str
    rc: int | None
    stderr: str
    crash: str | None = None          # an exception that escaped main()
    seconds: float = 0.0
    source_changed: bool = False

    @property
    def problems(self) -> list[str]:
        out = []
        if self.crash:
            out.append(f"crash: {self.crash}")
        if "Traceback" in self.stderr:
            out.append("traceback on stderr")
        if self.rc not in (0, 1, 2):
            out.append(f"exit code {self.rc}")
        if self.rc == 2:
            lines = [ln for ln in self.stderr.splitlines() if ln.strip()]
            if len(lines) != 1:
                out.append(f"{len(lines)} lines on stderr")
            if GENERIC in self.stderr:
                out.append(f"generic message: {self.stderr.strip()}")
        if self.source_changed:
            out.append("source modified")
        return out


def _alarm(signum, frame):
    raise Hang()


def check_file(path: str, name: str, argv_extra=(), safety_net: int = 120) -> Outcome:
    """``gxaudit check PATH --json`` through cli.main, as the command runs it."""
    from gxaudit.cli import main
    before = hashlib.sha256(open(path, "rb").read()).hexdigest()
    out, err = io.StringIO(), io.StringIO()
    crash = None
    rc = None
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(safety_net)
    t0 = time.perf_counter()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = main(["check", path, "--json", *argv_extra])
    except Hang:
        crash = f"no result after {safety_net} s"
    except SystemExit as exc:          # argparse and friends
        rc = exc.code if isinstance(exc.code, int) else 2
    except BaseException as exc:       # noqa: BLE001 - this is what the run looks for
        crash = f"{type(exc).__name__}: {exc}"[:300]
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    seconds = time.perf_counter() - t0
    after = hashlib.sha256(open(path, "rb").read()).hexdigest()
    return Outcome(name, rc, err.getvalue(), crash, seconds, before != after)
