#!/usr/bin/env bash
# Builds both shipped hubs (resumable) and runs the benchmark comparisons recorded in docs/benchmarks.md and
# docs/bench/<hub>*/. Usage: bench/hub-bench.sh [hub folder (default: hubs-build)]
# Hub builds take ~50-55 min each on a busy 2-core machine; the full bench of one hub 7-9 min on an idle one
# (both hubs in parallel).
set -euo pipefail
cd "$(dirname "$0")/.."
HUBS="${1:-hubs-build}"
# One OpenMP thread per process: the GP surrogate runs ~10x slower with oversubscribed threads (docs/benchmarks.md).
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
mkdir -p "$HUBS"
for hub in architecture model-selection; do
  ./fms --debug hub build --space "hubs/$hub.yaml" --store "$HUBS/$hub.db" --workers 2
  ./fms hub export --store "$HUBS/$hub.db" --out "$HUBS/$hub.csv"
  # Every method except fms-gmn: 10 seeds, budget 10 x B_max (B_max = 20), bench's default GP schedule 3,300,30
  # (the first full run used --surrogate-schedule 1,50,3; its results are in git history, see benchmarks.md).
  ./fms bench --hub "$HUBS/$hub.db" \
    --methods random,topk1,hyperband,asha,dyhpo,fms-stats,arbiter-random,arbiter-genetic,optuna-tpe-hb \
    --seeds 10 --budget 200 --out "docs/bench/$hub" --title "$hub hub"
  # fms-gmn alone (its end-to-end GMN training costs 3-5x fms-stats per step), cheap GP schedule: ~17-19 min a hub.
  ./fms bench --hub "$HUBS/$hub.db" --methods fms-gmn --seeds 10 --budget 200 --surrogate-schedule 1,50,3 \
    --out "docs/bench/$hub-gmn" --title "$hub hub, fms-gmn (schedule 1,50,3)"
  # The same with the freeze-thaw methods' warm-up shortened from the spec's 20 to 10 configurations (section
  # "Warm-up 10, ASHA fallback" in docs/benchmarks.md).
  ./fms bench --hub "$HUBS/$hub.db" \
    --methods random,topk1,hyperband,asha,dyhpo,fms-stats,arbiter-random,arbiter-genetic,optuna-tpe-hb \
    --seeds 10 --budget 200 --warmup 10 --out "docs/bench/$hub-warmup10" --title "$hub hub, warm-up 10"
  # The same with the surrogate's speed levers (row subset 128, warm early stopping 5/1e-3, refitEvery(4) with
  # conditioning in between; section "Rerun 5" in docs/benchmarks.md).
  ./fms bench --hub "$HUBS/$hub.db" \
    --methods random,topk1,hyperband,asha,dyhpo,fms-stats,arbiter-random,arbiter-genetic,optuna-tpe-hb \
    --seeds 10 --budget 200 --speed-levers 128,5,1e-3,4 --out "docs/bench/$hub-levers" \
    --title "$hub hub, speed levers 128,5,1e-3,4"
  # Speed levers and warm-up 10 together (section "Speed levers with warm-up 10").
  ./fms bench --hub "$HUBS/$hub.db" \
    --methods random,topk1,hyperband,asha,dyhpo,fms-stats,arbiter-random,arbiter-genetic,optuna-tpe-hb \
    --seeds 10 --budget 200 --speed-levers 128,5,1e-3,4 --warmup 10 --out "docs/bench/$hub-levers-warmup10" \
    --title "$hub hub, speed levers 128,5,1e-3,4, warm-up 10"
  # The first, smaller run of the forecasting methods (3 seeds, budget 5 x B_max).
  ./fms bench --hub "$HUBS/$hub.db" --methods random,hyperband,dyhpo,fms-stats \
    --seeds 3 --budget 100 --surrogate-schedule 1,50,3 --out "docs/bench/$hub-surrogate" \
    --title "$hub hub, forecasting methods"
done
