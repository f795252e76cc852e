package dev.dl4jfms.examples.bench;

import dev.dl4jfms.examples.chart.ChartSeries;
import dev.dl4jfms.examples.chart.PngChart;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the benchmark outputs of issue 5 into one folder: {@code curves.csv}, {@code summary.csv},
 * {@code summary.md} and {@code regret.png}. The surrogate cost per step appears in {@code summary.md} (the
 * {@code summary.csv} header is fixed by the spec and stays exactly {@link #SUMMARY_HEADER}).
 */
public final class BenchReportWriter {

    private static final Logger log = LoggerFactory.getLogger(BenchReportWriter.class);

    public static final String CURVES_HEADER = "method,seed,epochs,normalized_regret,incumbent_val,incumbent_test";
    public static final String SUMMARY_HEADER = "method,regret_at_10pct,regret_at_25pct,regret_at_50pct,"
            + "regret_at_100pct,epochs_to_0.05,epochs_to_0.01,mean_rank,kendall_tau_25pct,kendall_tau_50pct";
    /** Regret is drawn on a log axis; values below this floor (including 0 = optimum found) are drawn at it. */
    public static final double REGRET_PLOT_FLOOR = 1e-4;

    private BenchReportWriter() {
    }

    /**
     * Writes all outputs into {@code dir} (created if missing).
     *
     * @param title a heading for {@code summary.md} and the plot, e.g. the hub name
     */
    public static void write(BenchMetrics metrics, Path dir, String title) throws IOException {
        Files.createDirectories(dir);
        writeCurves(metrics, dir.resolve("curves.csv"));
        List<MethodSummary> summary = metrics.summary();
        writeSummaryCsv(summary, dir.resolve("summary.csv"));
        writeSummaryMarkdown(metrics, summary, dir.resolve("summary.md"), title);
        regretChart(metrics, title).writePng(dir.resolve("regret.png"));
        log.info("Wrote benchmark summary of {} methods to {}", summary.size(), dir);
    }

    static void writeCurves(BenchMetrics metrics, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(CURVES_HEADER + "\n");
            for (CurveRow r : metrics.curveRows()) {
                w.write(String.join(",", r.method(), Long.toString(r.seed()), Long.toString(r.epochs()),
                        num(r.normalizedRegret(), 8), num(r.incumbentVal(), 10), num(r.incumbentTest(), 10)) + "\n");
            }
        }
    }

    static void writeSummaryCsv(List<MethodSummary> summary, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(SUMMARY_HEADER + "\n");
            for (MethodSummary s : summary) {
                List<String> cells = new ArrayList<>();
                cells.add(s.method());
                s.regretAtFraction().forEach(x -> cells.add(num(x.mean())));
                for (int i = 0; i < BenchMetrics.REGRET_TARGETS.length; i++) {
                    cells.add(num(s.epochsToTargetForCsv(i)));
                }
                cells.add(num(s.meanRank().mean()));
                s.kendallTau().forEach(x -> cells.add(num(x.mean())));
                w.write(String.join(",", cells) + "\n");
            }
        }
    }

    static void writeSummaryMarkdown(BenchMetrics metrics, List<MethodSummary> summary, Path file, String title)
            throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        md.append(String.format(Locale.ROOT, "Budget %d epochs; hub validation range best %s, worst %s (%s is better). "
                        + "Values are means over seeds ± standard error.%n%n", metrics.budget(),
                num(metrics.range().best()), num(metrics.range().worst()),
                metrics.range().maximize() ? "higher" : "lower"));
        md.append("| method | seeds | regret @10% | regret @25% | regret @50% | regret @100% | epochs to 0.05 "
                + "| epochs to 0.01 | mean rank | Kendall τ @25% | Kendall τ @50% |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (MethodSummary s : summary) {
            md.append("| ").append(s.method()).append(" | ").append(s.seeds());
            s.regretAtFraction().forEach(x -> md.append(" | ").append(pm(x)));
            for (int i = 0; i < BenchMetrics.REGRET_TARGETS.length; i++) {
                SampleStats e = s.epochsToTarget().get(i);
                int reached = s.seedsReached().get(i);
                md.append(" | ").append(reached == s.seeds() ? pm(e)
                        : reached == 0 ? "never" : pm(e) + " (" + reached + "/" + s.seeds() + " seeds)");
            }
            md.append(" | ").append(pm(s.meanRank()));
            s.kendallTau().forEach(x -> md.append(" | ").append(x.isEmpty() ? "—" : pm(x)));
            md.append(" |\n");
        }
        md.append("\nEpochs to a target: where only some seeds reached it, the mean is over those seeds (count in "
                + "brackets) and `summary.csv` leaves the cell empty. Mean rank: 1 = best, ties share ranks, averaged "
                + "over 20 log-spaced budget points and seeds.\n");
        boolean anySurrogate = summary.stream().anyMatch(s -> !s.surrogateSeconds().isEmpty());
        if (anySurrogate) {
            md.append("\n## Surrogate cost per optimizer step, and fallbacks\n\n| method | mean seconds per step "
                    + "| seeds that fell back to the conventional policy (epochs spent then) |\n|---|---|---|\n");
            for (MethodSummary s : summary) {
                if (!s.surrogateSeconds().isEmpty()) {
                    md.append("| ").append(s.method()).append(" | ").append(pm(s.surrogateSeconds())).append(" | ")
                            .append(fallbacks(metrics, s.method())).append(" |\n");
                }
            }
        }
        md.append("\n![normalized regret](regret.png)\n");
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
    }

    /** "k/n (e1, e2, ...)": seeds of {@code method} whose policy fell back, with the epochs spent at that point. */
    static String fallbacks(BenchMetrics metrics, String method) {
        List<MethodRun> runs = metrics.runs().stream().filter(r -> r.method().equals(method)).toList();
        List<Long> epochs = runs.stream().map(MethodRun::fallbackEpoch).filter(e -> e != MethodRun.NO_FALLBACK)
                .sorted().toList();
        StringBuilder out = new StringBuilder(epochs.size() + "/" + runs.size());
        if (!epochs.isEmpty()) {
            out.append(" (").append(epochs.stream().map(String::valueOf).collect(
                    java.util.stream.Collectors.joining(", "))).append(")");
        }
        return out.toString();
    }

    /** Normalized regret vs epochs, log-log, one line per method with a ± standard-error band. */
    public static PngChart regretChart(BenchMetrics metrics, String title) {
        PngChart.Builder chart = PngChart.builder().size(960, 560).title(title + ": normalized regret (mean ± s.e.)")
                .xLabel("epochs spent").yLabel("normalized regret (floored at 1e-4)").logX(true).logY(true)
                .yRange(REGRET_PLOT_FLOOR * 0.8, 1.2);
        for (String method : metrics.methods()) {
            BenchMetrics.RegretCurve c = metrics.meanRegretCurve(method);
            int n = c.epochs().length;
            double[] x = new double[n];
            double[] y = new double[n];
            double[] lo = new double[n];
            double[] hi = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = c.epochs()[i];
                y[i] = floor(c.mean()[i]);
                lo[i] = floor(c.mean()[i] - c.standardError()[i]);
                hi[i] = floor(c.mean()[i] + c.standardError()[i]);
            }
            chart.series(ChartSeries.builder(method, x, y).band(lo, hi).step(true).build());
        }
        return chart.build();
    }

    private static double floor(double v) {
        return Math.max(REGRET_PLOT_FLOOR, v);
    }

    private static String pm(SampleStats s) {
        if (s.isEmpty()) {
            return "—";
        }
        return Double.isNaN(s.standardError()) ? num(s.mean()) : num(s.mean()) + " ± " + num(s.standardError(), 2);
    }

    /** Up to 4 significant digits in plain notation; empty for NaN. */
    static String num(double v) {
        return num(v, 4);
    }

    /** Up to {@code digits} significant digits in plain notation; empty for NaN. */
    static String num(double v, int digits) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Infinity" : "-Infinity";
        }
        if (v == 0) {
            return "0";
        }
        if (Math.abs(v) < 1e-4) {
            // Tiny regrets: scientific notation keeps them readable ("1.39e-17", not 17 zeros).
            BigDecimal d = new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros();
            String mantissa = d.unscaledValue().toString();
            boolean negative = mantissa.startsWith("-");
            String digitsOnly = negative ? mantissa.substring(1) : mantissa;
            int exponent = digitsOnly.length() - 1 - d.scale();
            String m = digitsOnly.length() == 1 ? digitsOnly : digitsOnly.charAt(0) + "." + digitsOnly.substring(1);
            return (negative ? "-" : "") + m + "e" + exponent;
        }
        return new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
    }
}
