#!/usr/bin/env bash
# tools/seeds/seeds finds a seed under which an order-dependent program fails,
# and the seed it reports replays the failure; a program that does not depend
# on order passes under every seed.   usage: seeds_tool_test.sh SEEDS CHILD
set -euo pipefail
seeds=$1 child=$2
out=$("$seeds" -n 200 --from 1 -- "$child" order-dependent) && {
  echo "FAIL: no failing seed found in 200 runs"; echo "$out"; exit 1; }
echo "$out"
seed=$(grep -oE 'GOMAP_SEED=[0-9]+ fails' <<<"$out" | head -1 | grep -oE '[0-9]+')
[[ -n $seed ]] || { echo "FAIL: no seed reported"; exit 1; }
for _ in 1 2 3; do
  if GOMAP_SEED=$seed "$child" order-dependent 2>/dev/null; then
    echo "FAIL: GOMAP_SEED=$seed did not replay the failure"; exit 1
  fi
done
"$seeds" -n 10 --from 1 -- "$child" orders >/dev/null || { echo "FAIL: orders failed"; exit 1; }
echo "1 passed, 0 failed"
