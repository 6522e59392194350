#!/usr/bin/env bash
# The dashboard screenshots of docs/dashboards.md: render the dashboards of the published demo warehouse and take a
# headless-Chromium screenshot of each into docs/dashboards/ (docs/dashboards.md). Run `make build` first.
# Usage: scripts/screenshot-dashboards.sh [warehouse.duckdb] [csm id for the "my book" page]
set -euo pipefail
cd "$(dirname "$0")/.."
warehouse="${1:-target/warehouse.duckdb}"
csm="${2:-U0001}"
out=target/dashboards
scripts/ensure-chromium.sh
.venv/bin/rwh dashboards --warehouse "$warehouse" --out "$out" --quiet
mkdir -p docs/dashboards
shot() {  # page, height in CSS pixels (the page's length: Chromium shoots the window, not the page)
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --disable-sync \
        --disable-background-networking --virtual-time-budget=15000 --user-data-dir="$(mktemp -d)" \
        --window-size="1400,$2" --screenshot="docs/dashboards/$3.png" "file://$PWD/$out/$1.html" 2>/dev/null
    echo "docs/dashboards/$3.png"
}
shot executive 1900 executive
shot cs_leadership 1760 cs_leadership
shot "csm_$csm" 1120 csm
shot renewal_operations 2150 renewal_operations
shot renewal_likelihood 1900 renewal_likelihood
shot index 640 index
