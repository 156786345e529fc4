#!/usr/bin/env bash
# Render the bundled corpus's redline in headless Chromium, as a PNG screenshot and a Letter PDF,
# so a person can look at what a compliance officer would file.
#   scripts/screenshot_redline.sh [OUTDIR]     (needs Debian's chromium: apt-get install chromium)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/build/redline}"
mkdir -p "$out"
db="$out/redline.db"
rm -f "$db" "$db-wal" "$db-shm"
tracker --db "$db" ingest "$root/corpus" >/dev/null
tracker --db "$db" diff 2003-HE3/prospectus-supplement --format html -o "$out/redline.html"
browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
  echo "Error: chromium not found (apt-get install chromium)" >&2
  exit 1
fi
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$(mktemp -d)")
"$browser" "${flags[@]}" --window-size=1100,1600 --screenshot="$out/redline.png" "file://$out/redline.html" 2>/dev/null
"$browser" "${flags[@]}" --print-to-pdf="$out/redline.pdf" --no-pdf-header-footer "file://$out/redline.html" 2>/dev/null
echo "wrote $out/redline.html, $out/redline.png and $out/redline.pdf"
