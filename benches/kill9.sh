#!/usr/bin/env bash
# kill -9 harness at scale: the real binary (release build) killed 1,000 times with SIGKILL during
# command-line writes, `demo`, `import`, a conference on the screens and `check --rebuild`, at
# the moments the store marks (start, journal grown, sled writing, sled snapshot, new database
# being built). Prints confirmed changes, lost changes, stores that needed a hand, automatic
# recoveries and the time of the first command after each kill.
#
#   benches/kill9.sh [ROUNDS] [SEED]        # defaults: 1000 rounds, seed 20261128
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-1000}"
seed="${2:-20261128}"
CASEDESK_KILL9_ROUNDS="$rounds" CASEDESK_KILL9_SEED="$seed" \
    cargo test --release --locked --test kill9 the_real_binary -- --nocapture 2>&1 \
    | grep -E '^(kill -9 rounds|processes killed|confirmed changes|lost changes|stores that needed|automatic recoveries|  |first command|test result)'
