package dev.dl4jfms.examples.report;

import dev.dl4jfms.examples.chart.ChartSeries;
import dev.dl4jfms.examples.chart.PngChart;
import dev.dl4jfms.store.TrialStatus;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The three plots of the study report, built from a {@link StudyReport}. */
final class StudyReportCharts {

    static final Map<TrialStatus, Color> STATUS_COLORS = new EnumMap<>(Map.of(
            TrialStatus.FINISHED, new Color(0, 158, 115),
            TrialStatus.PAUSED, new Color(0, 114, 178),
            TrialStatus.STOPPED, new Color(230, 159, 0),
            TrialStatus.DIVERGED, new Color(213, 0, 0),
            TrialStatus.FAILED, new Color(120, 0, 90),
            TrialStatus.RUNNING, new Color(86, 180, 233),
            TrialStatus.PENDING, new Color(150, 150, 150),
            TrialStatus.IMPORTED, new Color(150, 150, 150)));

    static final Map<TrialStatus, String> STATUS_NAMES = new EnumMap<>(Map.of(
            TrialStatus.FINISHED, "finished",
            TrialStatus.PAUSED, "paused",
            TrialStatus.STOPPED, "stopped early",
            TrialStatus.DIVERGED, "diverged",
            TrialStatus.FAILED, "failed",
            TrialStatus.RUNNING, "running",
            TrialStatus.PENDING, "pending",
            TrialStatus.IMPORTED, "imported"));

    private StudyReportCharts() {
    }

    /** Incumbent value vs epochs spent, as a step line; empty when there is no finite incumbent point. */
    static Optional<PngChart> incumbent(StudyReport r) {
        long[] e = r.incumbentEpochs();
        double[] v = r.incumbentValues();
        double[] x = new double[e.length];
        boolean any = false;
        for (int i = 0; i < e.length; i++) {
            x[i] = e[i];
            any |= Double.isFinite(v[i]);
        }
        if (!any) {
            return Optional.empty();
        }
        return Optional.of(PngChart.builder().size(900, 420).title("Best model so far")
                .xLabel("epochs spent").yLabel(r.metricName())
                .series(ChartSeries.builder("incumbent", x, v).step(true).markers(true).markerSize(5)
                        .color(PngChart.PALETTE.get(0)).inLegend(false).build())
                .build());
    }

    /** All learning curves, coloured by status; diverged trials get a marker at their last finite value. */
    static Optional<PngChart> learningCurves(StudyReport r) {
        PngChart.Builder chart = PngChart.builder().size(900, 480).title("Learning curves by status")
                .xLabel("epoch").yLabel(r.metricName());
        Map<TrialStatus, Integer> counts = new EnumMap<>(TrialStatus.class);
        boolean any = false;
        // Draw finished last so the lines that matter most are on top.
        List<ReportTrial> ordered = new ArrayList<>(r.trials());
        ordered.sort(Comparator.comparing((ReportTrial t) -> t.status() == TrialStatus.FINISHED));
        for (ReportTrial t : ordered) {
            double[] x = new double[t.epochs().length];
            for (int i = 0; i < x.length; i++) {
                x[i] = t.epochs()[i];
            }
            if (Double.isNaN(t.lastValue())) {
                continue;
            }
            any = true;
            Color c = STATUS_COLORS.get(t.status());
            counts.merge(t.status(), 1, Integer::sum);
            chart.series(ChartSeries.builder(t.displayName(), x, t.values()).color(c).lineWidth(1.4f)
                    .markers(x.length == 1).markerSize(5).inLegend(false).build());
            if (t.status() == TrialStatus.DIVERGED) {
                int last = lastFinite(t.values());
                chart.series(ChartSeries.builder(t.displayName() + " (diverged)", new double[] {x[last]},
                        new double[] {t.values()[last]}).color(c).line(false).markers(true).markerSize(9)
                        .inLegend(false).build());
            }
        }
        if (!any) {
            return Optional.empty();
        }
        counts.forEach((s, n) -> chart.legendEntry(STATUS_NAMES.get(s) + " (" + n + ")", STATUS_COLORS.get(s)));
        return Optional.of(chart.build());
    }

    private static int lastFinite(double[] v) {
        for (int i = v.length - 1; i >= 0; i--) {
            if (Double.isFinite(v[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Trials with a forecast, best forecast first, at most {@link StudyReport#topForecasts()}. */
    static List<ReportTrial> topForecastTrials(StudyReport r) {
        Comparator<ReportTrial> byMean = Comparator.comparingDouble(ReportTrial::forecastMean);
        return r.trials().stream().filter(ReportTrial::hasForecast)
                .sorted(r.maximize() ? byMean.reversed() : byMean).limit(r.topForecasts()).toList();
    }

    /** Forecast mean ± 2σ at B_max of the top trials, next to the best value each has reached so far. */
    static Optional<PngChart> forecasts(StudyReport r) {
        List<ReportTrial> top = topForecastTrials(r);
        if (top.isEmpty()) {
            return Optional.empty();
        }
        int k = top.size();
        double[] x = new double[k];
        double[] mean = new double[k];
        double[] twoSigma = new double[k];
        double[] observed = new double[k];
        PngChart.Builder chart = PngChart.builder().size(900, 440).xRange(0.4, k + 0.6)
                .title("Forecast at the last epoch (mean ± 2σ), top " + k + " trials")
                .xLabel("trial").yLabel(r.metricName());
        for (int i = 0; i < k; i++) {
            ReportTrial t = top.get(i);
            x[i] = i + 1;
            mean[i] = t.forecastMean();
            twoSigma[i] = 2 * t.forecastStd();
            observed[i] = t.bestValue(r.maximize());
            chart.xTick(i + 1, t.displayName());
        }
        return Optional.of(chart
                .series(ChartSeries.builder("forecast mean ± 2σ", x, mean).errorBars(twoSigma).line(false)
                        .markers(true).markerSize(9).color(PngChart.PALETTE.get(0)).build())
                .series(ChartSeries.builder("best value so far", x, observed).line(false).markers(true).markerSize(6)
                        .color(new Color(120, 120, 120)).build())
                .build());
    }
}
