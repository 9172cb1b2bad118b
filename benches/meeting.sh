#!/usr/bin/env bash
# Conference benchmark (not a test), with ../shared/tools/ttyprobe in a real pseudo-terminal,
# 100×30, on a copy of the 10,000-case demo store with a conference prepared on it:
#   - latency and bytes of starting it, of moving to the next item, of saving a decision;
#   - bytes per second the running clock costs while nothing is pressed;
#   - peak memory.
# Needs Python with pyte (`pip install pyte`). The demo store is the one `cargo bench --bench
# store` makes and keeps under target/tmp/; it is made here when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PROBE=${TTYPROBE:-../shared/tools/ttyprobe}
N=${CASEDESK_BENCH_SIZE:-10000}
cargo build --release --quiet
src=target/tmp/bench-demo-$N
if [ ! -e "$src/ready" ]; then
  CASEDESK_BENCH_SIZES=$N cargo bench --bench store >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$src" "$work/store"
target/release/casedesk --db "$work/store" conference new >/dev/null
out="$work/probe.json"
timeline="$work/timeline.jsonl"
# The clock runs on the real time here (no CASEDESK_NOW), so that it ticks.
"$PROBE" --cols 100 --rows 30 --timeout 300 --env LANG=C.UTF-8 --env CASEDESK_DB="$work/store" \
  -s 'wait[regex=1]:20[0-9][0-9]-[0-9]{4}' -s 'keys[until=Agenda]:4<Enter>' \
  -s 'keys[until=y/n]:s' -s 'keys[until=Recorded]:y' \
  -s 'keys[repeat=5,sync=1500,until=item {n+1}/]:]' \
  -s 'keys[until=Decision on]:d' -s 'keys[until=decision recorded]:Call the school<Enter>' \
  -s 'sleep:10000' --timeline "$timeline" --no-table \
  --quit q -- target/release/casedesk >"$out" 2>/dev/null || true
python3 - "$N" "$out" "$timeline" <<'PY'
import json, sys
n, path, tl = sys.argv[1], sys.argv[2], sys.argv[3]
data = json.load(open(path))
s = data["summary"]["steps"]
start, nxt, save = s[3], s[4], s[6]
events = [json.loads(l) for l in open(tl)]
sleep_at = next(e["t_ms"] for e in reversed(events) if e.get("event", "").startswith("key Call"))
ticks = [e["bytes"] for e in events if "bytes" in e and sleep_at + 2000 < e["t_ms"] < sleep_at + 10000]
print(f"{int(n):>7} cases: start {start.get('latency_ms_median'):.1f} ms | next item "
      f"{nxt.get('latency_ms_median'):.1f} ms median, {nxt.get('bytes_median')} bytes | save a decision "
      f"{save.get('latency_ms_median'):.1f} ms | running clock {sum(ticks) / 8:.0f} bytes/s | "
      f"peak RSS {data['summary'].get('peak_rss_kib_median', 0) / 1024:.0f} MiB")
PY
