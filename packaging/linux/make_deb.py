"""Make ``dist/gxaudit_<version>_amd64.deb`` from the PyInstaller bundle
``dist/gxaudit/`` with the standard Debian tools, for 统信UOS, 银河麒麟 and Debian.

    .venv/bin/python packaging/linux/make_deb.py [--compression xz|gzip]

Layout: the bundle in /opt/gxaudit/, /usr/bin/gxaudit and /usr/bin/gxaudit-cli
links, the desktop entry (办公 menu, 打开方式 for PDF/Word/HTML), hicolor icons,
AppStream metainfo, copyright and changelog.  ``Depends`` lists the packages
of the system libraries the bundle's binaries (Qt's plugins included) link to
(readelf + ldconfig + dpkg -S, as dpkg-shlibdeps does; dpkg-shlibdeps itself
takes 4 minutes over the bundle's 316 ELF files).  ``postinst``/``postrm`` refresh the desktop and MIME
databases and the icon cache.  Built by ``dpkg-deb --build --root-owner-group``
(no fakeroot needed).  Prints the build time and the package size.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
APP_ID = "org.gxaudit.GxAudit"
PACKAGE = "gxaudit"
MAINTAINER = "gxaudit maintainers <gxaudit@users.noreply.github.com>"
# Loaded at run time (dlopen), not linked, so not seen by readelf:
EXTRA_DEPENDS = ["libfontconfig1", "libfreetype6", "libxcb-cursor0"]
RECOMMENDS = "fonts-noto-cjk | fonts-wqy-microhei, xdg-utils"
DESCRIPTION = """\
review tool for government information-disclosure annual reports
 gxaudit (政府信息公开工作年度报告审核工具) reads an annual report (PDF,
 scanned PDF, Word, web page or text), rebuilds its statistical tables,
 checks their totals and cross-year rules, and exports an annotated workbook
 and a printable review summary. The program and its Python runtime are
 installed in /opt/gxaudit; gxaudit opens the review window, gxaudit-cli checks
 reports on the command line."""


def version() -> str:
    from importlib.metadata import version as v
    return v("gxaudit")


def is_elf(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == b"\x7fELF"
    except OSError:
        return False


def _link_or_copy(src, dst) -> None:
    """Hard links where possible: the bundle is 600 MB and dpkg-deb only reads it.
    (So one build at a time: another build's chmod or clean-up changes the
    linked files' ctime, and dpkg-deb's tar stops with "file changed as we read it".)"""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def copy_tree(src: Path, dst: Path) -> None:
    """The bundle with Debian's modes: directories 0755, programs 0755, the rest 0644."""
    shutil.copytree(src, dst, symlinks=True, copy_function=_link_or_copy)
    for dirpath, dirnames, filenames in os.walk(dst):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            p = Path(dirpath, name)
            if p.is_symlink():
                continue
            exe = p.parent == dst and name in ("gxaudit", "gxaudit-cli")
            mode = 0o755 if exe else 0o644
            if p.stat().st_mode & 0o7777 != mode:   # (a hard link: chmod would touch dist/ too)
                os.chmod(p, mode)


def install_file(src: Path, dst: Path, mode: int = 0o644) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    os.chmod(dst, mode)


def _elf_needs(elves: list[Path]) -> tuple[dict[str, set[str]], str]:
    """NEEDED sonames per file (``readelf -d``, one call per batch) and the
    highest GLIBC_x.y symbol version any file needs (``readelf -V``)."""
    needs: dict[str, set[str]] = {}
    glibc = (2, 0)
    for i in range(0, len(elves), 100):
        out = subprocess.run(["readelf", "-dVW", *map(str, elves[i:i + 100])], capture_output=True,
                             text=True, errors="replace").stdout
        current = str(elves[i])
        for line in out.splitlines():
            if line.startswith("File: "):
                current = line[6:].strip()
            m = re.search(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", line)
            if m:
                needs.setdefault(current, set()).add(m.group(1))
            for v in re.findall(r"GLIBC_(\d+)\.(\d+)", line):
                glibc = max(glibc, (int(v[0]), int(v[1])))
    return needs, f"{glibc[0]}.{glibc[1]}"


def _system_paths() -> dict[str, str]:
    """soname → path of the system's x86-64 libraries (``ldconfig -p``)."""
    out = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True).stdout
    found: dict[str, str] = {}
    for m in re.finditer(r"^\s*(\S+) \(([^)]*)\) => (\S+)$", out, re.M):
        if "x86-64" in m.group(2):
            found.setdefault(m.group(1), m.group(3))
    return found


def _packages_of(paths: list[str]) -> set[str]:
    """The packages owning ``paths`` (one ``dpkg -S`` call)."""
    out = subprocess.run(["dpkg", "-S", *paths], capture_output=True, text=True).stdout
    packages = set()
    for line in out.splitlines():
        pkgs = line.partition(": ")[0]
        packages.update(p.split(":")[0].strip() for p in pkgs.split(","))
    return packages


def _split_needs(needs: dict[str, set[str]], own: set[str], system: dict[str, str]):
    """(sonames the required files need from the system, the unmet ones).  A file
    with a library nobody provides here is an optional plugin Qt skips; what only
    such files need is no dependency either."""
    unmet = {f: {so for so in sos if so not in own and so not in system} for f, sos in needs.items()}
    missing = sorted({f"{so} ({Path(f).name})" for f, sos in unmet.items() for so in sos})
    wanted = {so for f, sos in needs.items() if not unmet[f] for so in sos if so not in own}
    return sorted(wanted), missing


def shlib_depends(bundle: Path) -> tuple[list[str], list[str]]:
    """The packages of the system libraries the bundle's binaries (Qt's plugins
    included) link to, found as dpkg-shlibdeps would, but in seconds: the
    bundle's own libraries are private; each other soname is looked up with
    ``ldconfig -p`` and ``dpkg -S``; libc6 gets the GLIBC version the binaries
    need.  Also returns the sonames nobody provides here (optional plugins:
    wayland, GTK theme)."""
    elves = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink() and is_elf(p)]
    own = {p.name for p in bundle.rglob("*") if p.is_file() or p.is_symlink()}
    needs, glibc = _elf_needs(elves)
    system = _system_paths()
    wanted, missing = _split_needs(needs, own, system)
    paths = sorted({system[so] for so in wanted} | {os.path.realpath(system[so]) for so in wanted})
    deps = [f"libc6 (>= {glibc})" if p == "libc6" else p for p in sorted(_packages_of(paths))]
    return deps, missing


def merge_depends(found: list[str]) -> str:
    names = {d.split()[0] for d in found}
    return ", ".join(found + [d for d in EXTRA_DEPENDS if d not in names])


def stage_tree(stage: Path, bundle: Path, icons: Path, ver: str) -> None:
    opt = stage / "opt" / PACKAGE
    copy_tree(bundle, opt)
    usr = stage / "usr"
    (usr / "bin").mkdir(parents=True)
    for name in ("gxaudit", "gxaudit-cli"):
        os.symlink(f"/opt/{PACKAGE}/{name}", usr / "bin" / name)
    share = usr / "share"
    install_file(HERE / f"{APP_ID}.desktop", share / "applications" / f"{APP_ID}.desktop")
    meta = (HERE / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    meta = meta.replace("@VERSION@", ver).replace("@DATE@", dt.date.today().isoformat())
    (share / "metainfo").mkdir(parents=True)
    (share / "metainfo" / f"{APP_ID}.metainfo.xml").write_text(meta, encoding="utf-8")
    os.chmod(share / "metainfo" / f"{APP_ID}.metainfo.xml", 0o644)
    for png in sorted((icons / "hicolor").rglob(f"{APP_ID}.*")):
        install_file(png, share / "icons" / "hicolor" / png.relative_to(icons / "hicolor"))
    doc = share / "doc" / PACKAGE
    install_file(HERE / "debian" / "copyright", doc / "copyright")
    changelog = (f"{PACKAGE} ({ver}) unstable; urgency=medium\n\n  * Release {ver}.\n\n"
                 f" -- {MAINTAINER}  {dt.datetime.now(dt.timezone.utc):%a, %d %b %Y %H:%M:%S %z}\n")
    with open(doc / "changelog.gz", "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(changelog.encode("utf-8"))
    os.chmod(doc / "changelog.gz", 0o644)
    install_file(HERE / "debian" / "lintian-overrides", share / "lintian" / "overrides" / PACKAGE)
    for path in [stage, *stage.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            os.chmod(path, 0o755)


def control_files(stage: Path, ver: str, depends: str) -> None:
    debian = stage / "DEBIAN"
    debian.mkdir(mode=0o755)
    size_kb = sum(p.lstat().st_size for p in stage.rglob("*") if not p.is_dir()) // 1024 + 1
    control = (f"Package: {PACKAGE}\nVersion: {ver}\nArchitecture: amd64\nMaintainer: {MAINTAINER}\n"
               f"Installed-Size: {size_kb}\nDepends: {depends}\nRecommends: {RECOMMENDS}\n"
               f"Section: utils\nPriority: optional\nHomepage: https://github.com/gxaudit/gxaudit\n"
               f"Description: {DESCRIPTION}\n")
    (debian / "control").write_text(control, encoding="utf-8")
    for script in ("postinst", "postrm"):
        install_file(HERE / "debian" / script, debian / script, 0o755)
    sums = []
    for p in sorted(stage.rglob("*")):
        if p.is_file() and not p.is_symlink() and debian not in p.parents:
            sums.append(f"{hashlib.md5(p.read_bytes()).hexdigest()}  {p.relative_to(stage)}\n")
    (debian / "md5sums").write_text("".join(sums), encoding="utf-8")
    for name in ("control", "md5sums"):
        os.chmod(debian / name, 0o644)


def make_deb(bundle: Path, icons: Path, outdir: Path, compression: str = "gzip") -> Path:
    ver = version()
    outdir.mkdir(parents=True, exist_ok=True)
    deb = outdir / f"{PACKAGE}_{ver}_amd64.deb"
    work = ROOT / "build"
    work.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gxaudit-deb-", dir=work) as tmp:   # same disk: hard links
        stage = Path(tmp) / f"{PACKAGE}_{ver}_amd64"
        stage.mkdir(mode=0o755)
        stage_tree(stage, bundle, icons, ver)
        found, missing = shlib_depends(stage / "opt" / PACKAGE)
        if missing:
            print("not on this system, left out of Depends (optional Qt plugins): " + ", ".join(missing))
        depends = merge_depends(found)
        control_files(stage, ver, depends)
        level = {"xz": "6", "gzip": "6"}[compression]
        subprocess.run(["dpkg-deb", "--build", "--root-owner-group", f"-Z{compression}", f"-z{level}",
                        str(stage), str(deb)], check=True, stdout=subprocess.DEVNULL)
    return deb


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bundle", type=Path, default=ROOT / "dist" / "gxaudit")
    ap.add_argument("--icons", type=Path, default=ROOT / "build" / "icons")
    ap.add_argument("--outdir", type=Path, default=ROOT / "dist")
    ap.add_argument("--compression", choices=("xz", "gzip"), default="gzip",
                    help="xz or gzip: both readable by the dpkg of UOS/麒麟 (not zstd)")
    args = ap.parse_args(argv)
    for tool in ("dpkg-deb", "readelf"):
        if shutil.which(tool) is None:
            print(f"{tool} not found: apt-get install dpkg-dev (scripts/setup.sh --with-tools)", file=sys.stderr)
            return 2
    if not (args.bundle / "gxaudit").is_file():
        print(f"no bundle in {args.bundle}: run packaging/build.py first", file=sys.stderr)
        return 2
    t0 = time.monotonic()
    deb = make_deb(args.bundle, args.icons, args.outdir, args.compression)
    print(f"built {deb} in {time.monotonic() - t0:.0f} s; size {deb.stat().st_size / 1e6:.0f} MB "
          f"({args.compression})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
