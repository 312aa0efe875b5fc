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
set +e
.venv/bin/gxaudit check "$sample" --xlsx gxaudit-output/sample-review.xlsx \
    --summary gxaudit-output/sample-summary.pdf | tee gxaudit-output/sample-check.txt
.venv/bin/gxaudit check "$sample" --json > gxaudit-output/sample-check.json
set -e
echo
echo "结果已写入：$(pwd)/gxaudit-output/（问题清单 sample-check.txt、JSON sample-check.json、"
echo "          审核工作簿 sample-review.xlsx、审核摘要 sample-summary.pdf）"
