package dev.dl4jfms.examples.report;

import dev.dl4jfms.examples.chart.PngChart;
import dev.dl4jfms.store.TrialStatus;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the study report of issue 6: one self-contained HTML page ({@value #HTML_FILE}; inline CSS, plots embedded
 * as base64 PNG data) plus the same plots as PNG files next to it. The page carries a tiny inline script that marks
 * {@code <body data-images-loaded="ok/total">} once loaded, which {@code scripts/check-report.sh} checks in headless
 * Chromium. Every user-provided string is HTML-escaped.
 */
public final class StudyReportWriter {

    private static final Logger log = LoggerFactory.getLogger(StudyReportWriter.class);

    public static final String HTML_FILE = "report.html";
    public static final String INCUMBENT_PNG = "incumbent.png";
    public static final String CURVES_PNG = "learning-curves.png";
    public static final String FORECAST_PNG = "forecast.png";

    private StudyReportWriter() {
    }

    /**
     * Writes the page and its plots into {@code dir} (created if missing).
     *
     * @return the HTML file
     */
    public static Path write(StudyReport report, Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape("Study report: " + report.studyName())).append("</title>\n<style>\n").append(CSS)
                .append("</style>\n</head>\n<body>\n");
        h.append("<h1>Study report: ").append(escape(report.studyName())).append("</h1>\n");
        h.append("<p class=\"sub\">").append(escape(report.methodName())).append(" search · ")
                .append(report.trials().size()).append(" trials · ").append(escape(report.metricName()))
                .append(report.maximize() ? " (higher is better)" : " (lower is better)").append("</p>\n");
        appendRoi(h, report);
        appendStatusCounts(h, report);
        appendFigure(h, dir, INCUMBENT_PNG, StudyReportCharts.incumbent(report),
                "Best " + report.metricName() + " found so far, against the epochs the search has spent.");
        appendFigure(h, dir, CURVES_PNG, StudyReportCharts.learningCurves(report),
                "Every trial's learning curve, coloured by what happened to it. Diverged trials end with a dot.");
        appendStopReasons(h, report);
        appendDecisions(h, report);
        appendFigure(h, dir, FORECAST_PNG, StudyReportCharts.forecasts(report),
                "What the model predicts each promising trial would reach if trained to the end: the dot is the "
                        + "forecast mean, the bar covers ± 2 standard deviations; grey is the best value reached so far.");
        appendTable(h, report);
        h.append(IMAGE_CHECK_SCRIPT).append("</body>\n</html>\n");
        Path html = dir.resolve(HTML_FILE);
        Files.writeString(html, h.toString(), StandardCharsets.UTF_8);
        log.info("Wrote study report {}", html);
        return html;
    }

    /** Which forecaster decided and when that changed (prior or cold, hand-over to the fallback policy). */
    private static void appendDecisions(StringBuilder h, StudyReport r) {
        if (r.decisions().isEmpty()) {
            return;
        }
        h.append("<h2>Who decided</h2>\n<ul>\n");
        r.decisions().forEach(d -> h.append("<li>").append(escape(d)).append("</li>\n"));
        h.append("</ul>\n");
    }

    private static void appendRoi(StringBuilder h, StudyReport r) {
        h.append("<section class=\"roi\">\n<h2>Return on investment</h2>\n<ul>\n");
        double best = r.finalIncumbent();
        String bestTrial = bestTrialName(r);
        RoiNumbers roi = r.roi();
        if (Double.isNaN(best)) {
            h.append("<li>No trial has produced a ").append(escape(r.metricName())).append(" yet.</li>\n");
        } else {
            h.append("<li>The search found a model with ").append(escape(r.metricName())).append(" <b>")
                    .append(num(best)).append("</b>").append(bestTrial.isEmpty() ? "" : " (trial " + escape(bestTrial) + ")");
            if (roi != null) {
                h.append(" after training <b>").append(count(roi.epochsSpent())).append(" epochs</b> in total");
            }
            h.append(".</li>\n");
        }
        if (roi != null) {
            long full = roi.epochsFullPool();
            if (full > 0) {
                h.append("<li>Training all ").append(count(roi.poolSize())).append(" candidate configurations for the full ")
                        .append(roi.maxEpochs()).append(" epochs would have cost <b>").append(count(full))
                        .append(" epochs</b>. ");
                if (roi.epochsSpent() > 0 && roi.epochsSpent() <= full) {
                    h.append("The search used ").append(percent(roi.epochsSpent(), full)).append(" of that — <b>")
                            .append(ratio(full, roi.epochsSpent())).append(" fewer epochs</b>.");
                } else if (roi.epochsSpent() > full) {
                    h.append("The search spent more than that (").append(ratio(roi.epochsSpent(), full)).append(").");
                }
                h.append("</li>\n");
            }
            roi.baselines().forEach(b -> appendBaseline(h, b, roi.epochsSpent()));
        }
        h.append("</ul>\n</section>\n");
    }

    private static void appendBaseline(StringBuilder h, RoiNumbers.Baseline baseline, long spent) {
        h.append("<li>").append(escape(baseline.method()));
        if (baseline.epochsNeeded().isEmpty()) {
            h.append(" <b>did not reach</b> the same result within its budget of ").append(count(baseline.budget()))
                    .append(" epochs.</li>\n");
            return;
        }
        long b = baseline.epochsNeeded().getAsLong();
        h.append(" needed <b>").append(count(b)).append(" epochs</b> to reach the same result");
        if (spent > 0 && b > spent) {
            h.append(": <b>").append(ratio(b, spent)).append(" more</b> than this search.");
        } else if (spent > 0 && b < spent) {
            h.append(", fewer than this search (").append(ratio(spent, b)).append(" less). On this problem it was the "
                    + "cheaper method.");
        } else {
            h.append(", the same as this search.");
        }
        h.append("</li>\n");
    }

    private static String bestTrialName(StudyReport r) {
        double best = r.finalIncumbent();
        return r.trials().stream().filter(t -> t.bestValue(r.maximize()) == best).findFirst()
                .map(ReportTrial::displayName).orElse("");
    }

    private static void appendStatusCounts(StringBuilder h, StudyReport r) {
        Map<TrialStatus, Integer> counts = new EnumMap<>(TrialStatus.class);
        r.trials().forEach(t -> counts.merge(t.status(), 1, Integer::sum));
        if (counts.isEmpty()) {
            return;
        }
        h.append("<p class=\"counts\">");
        counts.forEach((s, n) -> h.append("<span class=\"pill\" style=\"background:").append(css(s)).append("\">")
                .append(n).append(' ').append(StudyReportCharts.STATUS_NAMES.get(s)).append("</span> "));
        h.append("</p>\n");
    }

    /**
     * A trial's reason said once: a recorded reason that names its own kind ("DOMINATED: ...") as it is, anything
     * else after the status name ("stopped early: ...").
     */
    static String reasonLine(ReportTrial t) {
        if (t.statusReason().isBlank()) {
            return StudyReportCharts.STATUS_NAMES.get(t.status()) + ": no reason recorded";
        }
        return dev.dl4jfms.study.TerminationReason.parse(t.statusReason()) != null ? t.statusReason()
                : StudyReportCharts.STATUS_NAMES.get(t.status()) + ": " + t.statusReason();
    }

    private static void appendStopReasons(StringBuilder h, StudyReport r) {
        Map<String, Integer> reasons = new LinkedHashMap<>();
        r.trials().stream().filter(t -> t.status() == TrialStatus.STOPPED || t.status() == TrialStatus.DIVERGED)
                .forEach(t -> reasons.merge(reasonLine(t), 1, Integer::sum));
        if (reasons.isEmpty()) {
            return;
        }
        h.append("<p>Why trials ended early:</p>\n<ul class=\"reasons\">\n");
        reasons.forEach((reason, n) -> h.append("<li>").append(escape(reason)).append(" — ").append(n)
                .append(n == 1 ? " trial" : " trials").append("</li>\n"));
        h.append("</ul>\n");
    }

    private static void appendFigure(StringBuilder h, Path dir, String file, Optional<PngChart> chart, String caption)
            throws IOException {
        if (chart.isEmpty()) {
            return;
        }
        byte[] png = chart.get().toPngBytes();
        Files.write(dir.resolve(file), png);
        h.append("<figure>\n<img alt=\"").append(escape(caption)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\">\n<figcaption>").append(escape(caption))
                .append(" <a href=\"").append(file).append("\">PNG</a></figcaption>\n</figure>\n");
    }

    private static void appendTable(StringBuilder h, StudyReport r) {
        List<ReportTrial> rows = new ArrayList<>(r.trials());
        Comparator<ReportTrial> byBest = Comparator.comparingDouble(t -> {
            double v = t.bestValue(r.maximize());
            return Double.isNaN(v) ? Double.POSITIVE_INFINITY : r.maximize() ? -v : v;
        });
        rows.sort(byBest.thenComparingLong(ReportTrial::id));
        h.append("<h2>Trials</h2>\n<table>\n<thead><tr><th>trial</th><th>status</th><th>reason</th><th>epochs</th>")
                .append("<th>last</th><th>best</th><th>forecast at end (± 2σ)</th><th>configuration</th></tr></thead>\n<tbody>\n");
        for (ReportTrial t : rows) {
            h.append("<tr><td>").append(escape(t.displayName())).append("</td><td><span class=\"dot\" style=\"background:")
                    .append(css(t.status())).append("\"></span>").append(StudyReportCharts.STATUS_NAMES.get(t.status()))
                    .append("</td><td>").append(escape(t.statusReason())).append("</td><td class=\"n\">")
                    .append(t.epochsTrained()).append("</td><td class=\"n\">").append(num(t.lastValue()))
                    .append("</td><td class=\"n\">").append(num(t.bestValue(r.maximize()))).append("</td><td class=\"n\">")
                    .append(t.hasForecast() ? num(t.forecastMean()) + " ± " + num(2 * t.forecastStd()) : "")
                    .append("</td><td class=\"cfg\">").append(escape(t.config())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    /** Escapes {@code & < > " '} for HTML text and attribute values. */
    public static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String css(TrialStatus s) {
        java.awt.Color c = StudyReportCharts.STATUS_COLORS.get(s);
        return String.format(Locale.ROOT, "#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }

    static String num(double v) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "" : Double.toString(v);
        }
        return v == 0 ? "0" : new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String percent(long part, long whole) {
        return String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }

    private static String ratio(long a, long b) {
        return String.format(Locale.ROOT, "%.1f×", (double) a / b);
    }

    private static final String CSS = """
            body{font-family:"DejaVu Sans","Liberation Sans",Arial,sans-serif;max-width:1000px;margin:24px auto;
            padding:0 16px;color:#222;line-height:1.45}
            h1{font-size:1.6em;margin-bottom:0}h2{font-size:1.25em;margin-top:1.6em}
            .sub{color:#666;margin-top:4px}
            .roi{background:#f3f8f4;border-left:5px solid #009e73;padding:4px 18px;margin:18px 0}
            .roi li{margin:6px 0}
            .pill{color:#fff;border-radius:10px;padding:2px 10px;font-size:.9em;margin-right:4px}
            figure{margin:22px 0}figure img{max-width:100%;border:1px solid #ddd}
            figcaption{color:#555;font-size:.92em}
            table{border-collapse:collapse;width:100%;font-size:.9em}
            th,td{border-bottom:1px solid #e3e3e3;padding:4px 8px;text-align:left;vertical-align:top}
            th{background:#f5f5f5}td.n{text-align:right;font-variant-numeric:tabular-nums}
            td.cfg{font-family:"DejaVu Sans Mono",monospace;font-size:.85em;word-break:break-word}
            .dot{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:6px}
            """;

    /** Marks the body with how many images decoded, for headless-browser checks. */
    private static final String IMAGE_CHECK_SCRIPT = """
            <script>
            window.addEventListener('load', function () {
              var imgs = Array.prototype.slice.call(document.images);
              var ok = imgs.filter(function (i) { return i.complete && i.naturalWidth > 0; }).length;
              document.body.setAttribute('data-images-loaded', ok + '/' + imgs.length);
            });
            </script>
            """;
}
