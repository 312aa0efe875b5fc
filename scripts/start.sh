#!/usr/bin/env bash
# Set up gxaudit and open the bundled sample report: the review window where
# there is a display, otherwise the same check on the command line, with the
# results written to ./gxaudit-output/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
sample=resources/samples/taierzhuang-hrss-2021.txt
if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]] && .venv/bin/python -c "import gxaudit.ui.app" 2>/dev/null; then
  exec .venv/bin/gxaudit gui "$sample"
fi
echo "没有图形显示环境：改为在命令行检查样例报告。"
mkdir -p gxaudit-output
outputs=(sample-check.txt sample-check.json sample-review.xlsx sample-summary.pdf)
for f in "${outputs[@]}"; do rm -f "gxaudit-output/$f"; done   # list only what this run writes
set +e
.venv/bin/gxaudit check "$sample" --xlsx gxaudit-output/sample-review.xlsx \
    --summary gxaudit-output/sample-summary.pdf | tee gxaudit-output/sample-check.txt
.venv/bin/gxaudit check "$sample" --json > gxaudit-output/sample-check.json
set -e
written=(); missing=()
for f in "${outputs[@]}"; do
  if [[ -s "gxaudit-output/$f" ]]; then written+=("$f"); else missing+=("$f"); fi
done
echo
if ((${#written[@]})); then echo "结果已写入：$(pwd)/gxaudit-output/：${written[*]}"; fi
if ((${#missing[@]})); then echo "未能生成：${missing[*]}（原因见上方的错误信息）" >&2; exit 1; fi
