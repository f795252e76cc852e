package dev.dl4jfms.examples.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * Benchmark metrics over per-(method, seed) incumbent trajectories replayed on one hub (fms-method.md §10).
 *
 * <p>Conventions (documented in {@code docs/bench-metrics.md}):
 * <ul>
 *   <li>Regret at {@code e} epochs is a step function: the state of the last trajectory row with epochs ≤ e; before
 *       the first row (no incumbent) regret is 1.</li>
 *   <li>Epochs to a target regret: the first trajectory row with regret ≤ target. {@code summary.csv} gives the mean
 *       over seeds only if every seed reached it (else empty); {@code summary.md} also shows how many reached it.</li>
 *   <li>Mean rank: at every point of the rank grid (default 20 log-spaced points from budget/100 to budget) the
 *       methods run with that seed are ranked by regret (1 = best, ties share the average rank); a method's mean
 *       rank is averaged over the grid, then over seeds.</li>
 *   <li>Kendall τ: τ-b between a forecast snapshot and the true final values, per seed, averaged over seeds.</li>
 * </ul>
 */
public final class BenchMetrics {

    /** Budget fractions of the {@code regret_at_*} columns. */
    public static final double[] SUMMARY_FRACTIONS = {0.10, 0.25, 0.50, 1.00};
    /** Regret targets of the {@code epochs_to_*} columns. */
    public static final double[] REGRET_TARGETS = {0.05, 0.01};
    /** Budget fractions of the {@code kendall_tau_*} columns. */
    public static final double[] TAU_FRACTIONS = {0.25, 0.50};

    private final HubRange range;
    private final long budget;
    private final List<MethodRun> runs;
    private final double[] rankGrid;

    private BenchMetrics(HubRange range, long budget, List<MethodRun> runs, double[] rankGrid) {
        this.range = range;
        this.budget = budget;
        this.runs = List.copyOf(runs);
        this.rankGrid = rankGrid;
    }

    /**
     * @param range  best/worst validation values of the hub
     * @param budget epoch budget of every study (the 100% point)
     */
    public static Builder builder(HubRange range, long budget) {
        return new Builder(range, budget);
    }

    public HubRange range() { return range; }

    public long budget() { return budget; }

    public List<MethodRun> runs() { return runs; }

    /** Method names in the order their first run was added. */
    public List<String> methods() {
        Set<String> names = new LinkedHashSet<>();
        runs.forEach(r -> names.add(r.method()));
        return List.copyOf(names);
    }

    /** Rows of {@code curves.csv}: one per distinct epochs-spent value of each run, holding the last state there. */
    public List<CurveRow> curveRows() {
        List<CurveRow> rows = new ArrayList<>();
        for (MethodRun run : runs) {
            List<TrajectoryPoint> t = run.trajectory();
            for (int i = 0; i < t.size(); i++) {
                TrajectoryPoint p = t.get(i);
                boolean lastAtThisEpoch = i + 1 == t.size() || t.get(i + 1).epochs() != p.epochs();
                if (lastAtThisEpoch) {
                    rows.add(new CurveRow(run.method(), run.seed(), p.epochs(), range.normalizedRegret(p.incumbentVal()),
                            p.incumbentVal(), p.incumbentTest()));
                }
            }
        }
        return rows;
    }

    /** Normalized regret of {@code run} after {@code epochs} epochs (step function, 1 before the first row). */
    public double regretAt(MethodRun run, double epochs) {
        double incumbent = Double.NaN;
        for (TrajectoryPoint p : run.trajectory()) {
            if (p.epochs() > epochs) {
                break;
            }
            incumbent = p.incumbentVal();
        }
        return range.normalizedRegret(incumbent);
    }

    /**
     * Epochs spent when {@code run} first reached regret ≤ {@code target} (with 1e-12 slack so that round-off in
     * (best − v)/(best − worst) does not decide); empty if it never did.
     */
    public OptionalLong epochsToRegret(MethodRun run, double target) {
        for (TrajectoryPoint p : run.trajectory()) {
            if (range.normalizedRegret(p.incumbentVal()) <= target + 1e-12) {
                return OptionalLong.of(p.epochs());
            }
        }
        return OptionalLong.empty();
    }

    /**
     * Ranks of {@code values}, lower value = better = rank 1; tied values share the mean of the ranks they span.
     */
    public static double[] averageRanks(double[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        double[] ranks = new double[values.length];
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && Double.compare(values[order[j + 1]], values[order[i]]) == 0) {
                j++;
            }
            double shared = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = shared;
            }
            i = j + 1;
        }
        return ranks;
    }

    /** Per seed, per method: rank averaged over the rank grid. */
    public Map<Long, Map<String, Double>> meanRankPerSeed() {
        Map<Long, List<MethodRun>> bySeed = new LinkedHashMap<>();
        for (MethodRun r : runs) {
            bySeed.computeIfAbsent(r.seed(), s -> new ArrayList<>()).add(r);
        }
        Map<Long, Map<String, Double>> out = new LinkedHashMap<>();
        for (Map.Entry<Long, List<MethodRun>> e : bySeed.entrySet()) {
            List<MethodRun> seedRuns = e.getValue();
            double[] sums = new double[seedRuns.size()];
            for (double g : rankGrid) {
                double[] regrets = new double[seedRuns.size()];
                for (int m = 0; m < regrets.length; m++) {
                    regrets[m] = regretAt(seedRuns.get(m), g);
                }
                double[] ranks = averageRanks(regrets);
                for (int m = 0; m < ranks.length; m++) {
                    sums[m] += ranks[m];
                }
            }
            Map<String, Double> perMethod = new LinkedHashMap<>();
            for (int m = 0; m < sums.length; m++) {
                perMethod.put(seedRuns.get(m).method(), sums[m] / rankGrid.length);
            }
            out.put(e.getKey(), perMethod);
        }
        return out;
    }

    /** One summary line per method, in {@link #methods()} order. */
    public List<MethodSummary> summary() {
        Map<Long, Map<String, Double>> ranks = meanRankPerSeed();
        List<MethodSummary> out = new ArrayList<>();
        for (String method : methods()) {
            List<MethodRun> mr = runs.stream().filter(r -> r.method().equals(method)).toList();
            int n = mr.size();
            List<SampleStats> regretAt = new ArrayList<>();
            for (double f : SUMMARY_FRACTIONS) {
                regretAt.add(SampleStats.of(mr.stream().mapToDouble(r -> regretAt(r, f * budget)).toArray()));
            }
            List<SampleStats> epochsTo = new ArrayList<>();
            List<Integer> reached = new ArrayList<>();
            for (double target : REGRET_TARGETS) {
                double[] e = mr.stream().mapToDouble(r -> {
                    OptionalLong x = epochsToRegret(r, target);
                    return x.isPresent() ? x.getAsLong() : Double.NaN;
                }).toArray();
                SampleStats s = SampleStats.of(e);
                epochsTo.add(s);
                reached.add(s.n());
            }
            SampleStats rank = SampleStats.of(mr.stream().mapToDouble(r -> ranks.get(r.seed()).get(method)).toArray());
            List<SampleStats> taus = new ArrayList<>();
            for (double f : TAU_FRACTIONS) {
                taus.add(SampleStats.of(mr.stream().mapToDouble(r -> tauAt(r, f)).toArray()));
            }
            SampleStats surrogate = SampleStats.of(mr.stream().mapToDouble(
                    r -> r.surrogateStepSeconds().length == 0 ? Double.NaN : SampleStats.of(r.surrogateStepSeconds()).mean())
                    .toArray());
            out.add(new MethodSummary(method, n, regretAt, epochsTo, reached, rank, taus, surrogate));
        }
        return out;
    }

    private static double tauAt(MethodRun run, double fraction) {
        for (ForecastSnapshot s : run.forecasts()) {
            if (Math.abs(s.budgetFraction() - fraction) < 1e-9) {
                return s.kendallTau();
            }
        }
        return Double.NaN;
    }

    /**
     * Mean normalized regret of a method over its seeds, with standard error, at every epochs value where any of its
     * runs changed (and at the budget): the data of one line and band of {@code regret.png}.
     */
    public RegretCurve meanRegretCurve(String method) {
        List<MethodRun> mr = runs.stream().filter(r -> r.method().equals(method)).toList();
        if (mr.isEmpty()) {
            throw new IllegalArgumentException("no runs for method '" + method + "'; known: " + methods());
        }
        TreeSet<Long> grid = new TreeSet<>();
        for (MethodRun r : mr) {
            r.trajectory().forEach(p -> grid.add(p.epochs()));
        }
        grid.add(budget);
        long[] x = grid.stream().filter(e -> e >= 1).mapToLong(Long::longValue).toArray();
        double[] mean = new double[x.length];
        double[] se = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            long e = x[i];
            SampleStats s = SampleStats.of(mr.stream().mapToDouble(r -> regretAt(r, e)).toArray());
            mean[i] = s.mean();
            se[i] = s.n() < 2 ? 0 : s.standardError();
        }
        return new RegretCurve(method, x, mean, se);
    }

    /** Mean regret ± standard error of one method along epochs spent. */
    public record RegretCurve(String method, long[] epochs, double[] mean, double[] standardError) {
    }

    /** Validating builder for {@link BenchMetrics}. */
    public static final class Builder {
        private final HubRange range;
        private final long budget;
        private final List<MethodRun> runs = new ArrayList<>();
        private double[] rankGrid;

        private Builder(HubRange range, long budget) {
            this.range = Objects.requireNonNull(range, "hub range");
            if (budget < 1) {
                throw new IllegalArgumentException("epoch budget must be >= 1, got " + budget);
            }
            this.budget = budget;
        }

        public Builder run(MethodRun run) {
            Objects.requireNonNull(run, "run");
            for (MethodRun r : runs) {
                if (r.method().equals(run.method()) && r.seed() == run.seed()) {
                    throw new IllegalArgumentException("duplicate run for method '" + run.method() + "' seed " + run.seed());
                }
            }
            runs.add(run);
            return this;
        }

        public Builder runs(List<MethodRun> all) {
            all.forEach(this::run);
            return this;
        }

        /** Epochs-spent points at which methods are ranked (default: 20 log-spaced points up to the budget). */
        public Builder rankGrid(double... epochs) {
            if (epochs.length == 0) {
                throw new IllegalArgumentException("rank grid must not be empty");
            }
            this.rankGrid = epochs.clone();
            return this;
        }

        public BenchMetrics build() {
            if (runs.isEmpty()) {
                throw new IllegalArgumentException("no method runs to summarise");
            }
            return new BenchMetrics(range, budget, runs, rankGrid != null ? rankGrid : defaultRankGrid(budget));
        }

        static double[] defaultRankGrid(long budget) {
            double lo = Math.max(1.0, budget / 100.0);
            double[] grid = new double[20];
            for (int i = 0; i < grid.length; i++) {
                grid[i] = lo * Math.pow(budget / lo, i / (double) (grid.length - 1));
            }
            return grid;
        }
    }
}
