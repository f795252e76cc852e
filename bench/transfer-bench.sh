#!/usr/bin/env bash
# Leave-one-hub-out transfer benchmark of docs/transfer.md: builds the six transfer-family hubs (resumable), then for
# each hub meta-trains an fms-stats prior on the other five and replays 10 seeds of every method on the one left out
# (budget 10 x B_max = 120 epochs), plus the negative control (a prior of shuffled hyperparameters) and the
# forecast-calibration table. Outputs: docs/bench/transfer/<hub>/ (curves.csv, summary.csv, summary.md, regret.png,
# calibration.md) and docs/bench/transfer/<hub>-negative/.
# Usage: bench/transfer-bench.sh [hub folder (default: hubs-build)] [hubs to leave out (default: all six)]
# Environment: FMS (default ./fms), JAVA_MAIN (default bench/run-java-main.sh), SEEDS (default 10), STEPS
# (meta-training steps, default 3000), NEGATIVE (hubs that also get the negative control, default "fm-top5 fm-deep").
set -euo pipefail
cd "$(dirname "$0")/.."
HUBS="${1:-hubs-build}"
shift || true
FMS="${FMS:-./fms}"
JAVA_MAIN="${JAVA_MAIN:-bench/run-java-main.sh}"
SEEDS="${SEEDS:-10}"
NEGATIVE="${NEGATIVE:-fm-top5 fm-deep}"
STEPS="${STEPS:-3000}"
FAMILY=(fm-top5 fm-bottom5 fm-sgd fm-deep fm-small fm-fullres)
if [ $# -gt 0 ]; then TARGETS=("$@"); else TARGETS=("${FAMILY[@]}"); fi
# One OpenMP thread per process: the GP surrogate runs ~10x slower with oversubscribed threads (docs/benchmarks.md).
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
mkdir -p "$HUBS"
for h in "${FAMILY[@]}"; do
  $FMS hub build --space "hubs/family/$h.yaml" --store "$HUBS/$h.db" --workers 2
done
for h in "${TARGETS[@]}"; do
  sources=()
  for o in "${FAMILY[@]}"; do [ "$o" = "$h" ] || sources+=(--store "$HUBS/$o.db"); done
  out="docs/bench/transfer/$h"
  mkdir -p "$out"
  $FMS meta-train "${sources[@]}" --forecaster fms-stats --steps "$STEPS" --out "$HUBS/prior-without-$h.fmsprior" \
    | tee "$out/meta-train.txt"
  # Speed levers (row subset 128, warm early stopping 5/1e-3, refitEvery(4)) keep 10 seeds x 7 methods x 6 hubs
  # within an hour on 2 cores; the warm-up of the +prior method is 5 configurations (cold methods: the spec's 20).
  $FMS bench --hub "$HUBS/$h.db" --methods random,hyperband,asha,dyhpo,optuna-tpe-hb,fms-stats,fms-stats+prior \
    --prior "$HUBS/prior-without-$h.fmsprior" --seeds "$SEEDS" --budget 120 --speed-levers 128,5,1e-3,4 \
    --out "$out" --title "$h left out, prior meta-trained on the other five"
  # forecasts at the start of a study (20 configurations observed): prior vs cold vs the guard's trend reference
  $JAVA_MAIN dev.dl4jfms.examples.hub.TransferCalibration --hub "$HUBS/$h.db" \
    --prior "$HUBS/prior-without-$h.fmsprior" --seeds 5 > "$out/calibration.md"
  if [[ " $NEGATIVE " == *" $h "* ]]; then
    $FMS meta-train "${sources[@]}" --forecaster fms-stats --steps "$STEPS" --negative-control \
      --out "$HUBS/negative-without-$h.fmsprior"
    $FMS bench --hub "$HUBS/$h.db" --methods asha,fms-stats,fms-stats+prior \
      --prior "$HUBS/negative-without-$h.fmsprior" --seeds "$SEEDS" --budget 120 --speed-levers 128,5,1e-3,4 \
      --out "$out-negative" --title "$h left out, negative control: prior of shuffled hyperparameters"
  fi
done
# the goals table of docs/transfer.md
python3 bench/transfer-goals.py docs/bench/transfer > docs/bench/transfer/goals.md
