#!/usr/bin/python3
"""Optuna TPE + HyperbandPruner replayed on a dl4j-fms hub CSV (docs/hub-csv-format.md).

Peer method `optuna-tpe-hb` of the benchmark (docs/bench-metrics.md; input format docs/hub-csv-format.md). For every seed:
  * one in-memory study named "<method>-seed<seed>" (HyperbandPruner assigns brackets from a hash of the study name
    and trial number, so the name is fixed per seed), TPESampler(seed=seed), HyperbandPruner(min_resource=1,
    max_resource=B_max of the hub, reduction_factor=3 by default);
  * search space = the hyperparameter columns: numeric columns are floats (log scale when all values are > 0 and
    span at least a factor 10), other columns categorical; constant columns are left out;
  * each suggestion is mapped to the nearest configuration of the pool not evaluated yet in this study (numeric
    coordinates scaled to [0, 1], +1 per categorical mismatch; ties -> smallest config_id). Optuna cannot resume a
    pruned trial, so a configuration is never trained twice; the study ends when the pool is exhausted;
  * the trial replays the hub curve epoch by epoch: trial.report(val, epoch), stop when trial.should_prune();
    every reported epoch is charged one epoch of budget; the study stops when the budget is spent (even mid-trial);
  * incumbent = best validation value seen at any reported epoch; its test value is the test metric of that epoch.
    A NaN validation value (diverged) is charged, ends the trial as FAIL and never becomes incumbent.
Output CSV: method,seed,epochs,incumbent_val,incumbent_test (one row per charged epoch; empty = none yet).
Exit status 3 when optuna is missing, 2 on bad input.
"""
import argparse
import csv
import math
import sys

FIXED = ["epoch", "val_metric", "test_metric", "train_loss", "seconds"]


def fail(msg, code=2):
    print("optuna_tpe_hb.py: " + msg, file=sys.stderr)
    sys.exit(code)


def number(cell):
    cell = cell.strip()
    return float("nan") if cell == "" else float(cell)


def read_hub(path):
    configs = {}
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None or header[0] != "config_id" or header[-5:] != FIXED or len(header) < 6:
            fail("%s: header must be config_id,<hyperparameters...>,%s" % (path, ",".join(FIXED)))
        names = header[1:-5]
        for line, cells in enumerate(reader, start=2):
            if not cells:
                continue
            if len(cells) != len(header):
                fail("%s:%d: %d cells, header has %d" % (path, line, len(cells), len(header)))
            try:
                cid = int(cells[0])
                epoch = int(cells[-5])
                val, test = number(cells[-4]), number(cells[-3])
            except ValueError as e:
                fail("%s:%d: %s" % (path, line, e))
            entry = configs.setdefault(cid, {"params": cells[1:-5], "curve": {}})
            entry["curve"][epoch] = (val, test)
    for cid, entry in configs.items():
        epochs = sorted(entry["curve"])
        if epochs != list(range(1, len(epochs) + 1)):
            fail("%s: config %d: epochs must be 1..n without gaps" % (path, cid))
        entry["curve"] = [entry["curve"][e] for e in epochs]
    if not configs:
        fail("%s: no rows" % path)
    return names, configs


def build_space(optuna, names, configs):
    """Distributions per non-constant column and a function mapping a config to comparable coordinates."""
    dists, coders = {}, {}
    for i, name in enumerate(names):
        raw = [c["params"][i] for c in configs.values()]
        distinct = sorted(set(raw))
        if len(distinct) < 2:
            continue
        try:
            values = [float(v) for v in raw]
            numeric = all(math.isfinite(v) for v in values)
        except ValueError:
            numeric = False
        if numeric:
            lo, hi = min(values), max(values)
            log = lo > 0 and hi / lo >= 10
            dists[name] = optuna.distributions.FloatDistribution(lo, hi, log=log)
            t = (lambda v: math.log10(v)) if log else (lambda v: v)
            tlo, thi = t(lo), t(hi)
            coders[name] = ("num", i, t, tlo, thi)
        else:
            dists[name] = optuna.distributions.CategoricalDistribution(distinct)
            coders[name] = ("cat", i)
    return dists, coders


def distance(params, config, coders):
    d = 0.0
    for name, coder in coders.items():
        if coder[0] == "num":
            _, i, t, tlo, thi = coder
            a = (t(float(params[name])) - tlo) / (thi - tlo)
            b = (t(float(config["params"][i])) - tlo) / (thi - tlo)
            d += (a - b) ** 2
        else:
            d += 0.0 if params[name] == config["params"][coder[1]] else 1.0
    return d


def better(a, b, maximize):
    if math.isnan(a):
        return False
    if math.isnan(b):
        return True
    return a > b if maximize else a < b


def run_seed(optuna, args, seed, configs, dists, coders, max_epochs, writer):
    from optuna.trial import TrialState
    maximize = args.direction == "maximize"
    study = optuna.create_study(
        study_name="%s-seed%d" % (args.method, seed), direction=args.direction,
        sampler=optuna.samplers.TPESampler(seed=seed),
        pruner=optuna.pruners.HyperbandPruner(min_resource=1, max_resource=max_epochs,
                                              reduction_factor=args.reduction_factor))
    spent, best_val, best_test = 0, float("nan"), float("nan")
    unused = sorted(configs)
    while spent < args.budget and unused:
        trial = study.ask(dists)
        cid = min(unused, key=lambda c: (distance(trial.params, configs[c], coders), c))
        unused.remove(cid)
        trial.set_user_attr("config_id", cid)
        last, state = None, TrialState.COMPLETE
        for epoch, (val, test) in enumerate(configs[cid]["curve"], start=1):
            if spent >= args.budget:
                state = TrialState.PRUNED
                break
            spent += 1
            if math.isnan(val):
                writer.writerow([args.method, seed, spent, fmt(best_val), fmt(best_test)])
                state = TrialState.FAIL
                break
            if better(val, best_val, maximize):
                best_val, best_test = val, test
            writer.writerow([args.method, seed, spent, fmt(best_val), fmt(best_test)])
            trial.report(val, epoch)
            last = val
            if trial.should_prune():
                state = TrialState.PRUNED
                break
        if state == TrialState.COMPLETE and last is not None:
            study.tell(trial, last)
        elif state == TrialState.PRUNED and last is not None:
            study.tell(trial, state=TrialState.PRUNED)
        else:
            study.tell(trial, state=TrialState.FAIL)
    return spent, len(study.trials)


def fmt(v):
    return "" if math.isnan(v) else repr(v)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hub", required=True, help="hub CSV file")
    ap.add_argument("--seeds", required=True, help="comma-separated integer seeds")
    ap.add_argument("--budget", type=int, required=True, help="epochs per study")
    ap.add_argument("--direction", choices=["maximize", "minimize"], required=True,
                    help="whether higher val_metric is better")
    ap.add_argument("--out", required=True, help="trajectory CSV to write")
    ap.add_argument("--reduction-factor", type=int, default=3)
    ap.add_argument("--method", default="optuna-tpe-hb")
    args = ap.parse_args()
    try:
        import optuna
    except ImportError:
        fail("optuna is not installed for %s: apt-get install -y python3-optuna" % sys.executable, code=3)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    if args.budget < 1:
        fail("--budget must be >= 1, got %d" % args.budget)
    try:
        seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    except ValueError:
        fail("--seeds must be comma-separated integers, got %r" % args.seeds)
    names, configs = read_hub(args.hub)
    dists, coders = build_space(optuna, names, configs)
    if not dists:
        fail("%s: every hyperparameter column is constant; nothing to search" % args.hub)
    max_epochs = max(len(c["curve"]) for c in configs.values())
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["method", "seed", "epochs", "incumbent_val", "incumbent_test"])
        for seed in seeds:
            spent, trials = run_seed(optuna, args, seed, configs, dists, coders, max_epochs, writer)
            print("seed %d: %d trials, %d epochs" % (seed, trials, spent), file=sys.stderr)


if __name__ == "__main__":
    main()
