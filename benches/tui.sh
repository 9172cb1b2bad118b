#!/usr/bin/env bash
# Screen benchmarks (not tests), with ../shared/tools/ttyprobe in a real pseudo-terminal, 100×30:
#   - time to the first full dashboard on demo stores of 10,000 and 100,000 cases;
#   - bytes written and latency for one `j`;
#   - latency per key while typing a 5-character filter;
#   - peak memory.
# Needs Python with pyte (`pip install pyte`). The demo stores are the ones `cargo bench --bench
# store` makes and keeps under target/tmp/; they are made here when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PROBE=${TTYPROBE:-../shared/tools/ttyprobe}
SIZES=${CASEDESK_BENCH_SIZES:-10000,100000}
RUNS=${RUNS:-5}
cargo build --release --quiet
for n in ${SIZES//,/ }; do
  dir=target/tmp/bench-demo-$n
  if [ ! -e "$dir/ready" ]; then
    CASEDESK_BENCH_SIZES=$n cargo bench --bench store >/dev/null
  fi
  out=$(mktemp)
  "$PROBE" --cols 100 --rows 30 --runs "$RUNS" --timeout 600 \
    --env CASEDESK_NOW=2026-11-28T10:00:00+09:00 --env LANG=C.UTF-8 --env CASEDESK_DB="$dir" \
    -s 'wait[regex=1]:20[0-9][0-9]-[0-9]{4}' -s 'keys[repeat=10]:j' -s 'keys[until=filter]:/' -s 'keys[each=1]:2026-' \
    --quit '<Esc><Esc>q' -- target/release/casedesk >"$out" 2>/dev/null || true
  python3 - "$n" "$out" <<'PY'
import json, sys
n, path = sys.argv[1], sys.argv[2]
data = json.load(open(path))
s = data["summary"]["steps"]
first = s[0].get("at_ms_median")
j = s[1]
f = s[3]
print(f"{int(n):>7} cases: first dashboard {first:.0f} ms | one j: {j.get('bytes_median')} bytes, "
      f"{j.get('latency_ms_median'):.1f} ms | filter keys: median {f.get('latency_ms_median'):.1f} ms, "
      f"max {f.get('latency_ms_max'):.1f} ms | peak RSS {data['summary'].get('peak_rss_kib_median', 0)/1024:.0f} MiB "
      f"(medians of {data['summary']['ok_runs']} runs)")
PY
  rm -f "$out"
done
