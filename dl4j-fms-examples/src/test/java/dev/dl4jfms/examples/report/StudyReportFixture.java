package dev.dl4jfms.examples.report;

import dev.dl4jfms.store.TrialStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;

/** A plausible study: 30 trials of saturating accuracy curves in every status, incumbent and ROI figures. */
final class StudyReportFixture {

    static final String EVIL_LABEL = "<script>alert('x')</script> & \"co\"";

    private StudyReportFixture() {
    }

    static StudyReport study() {
        Random rnd = new Random(5);
        int bMax = 20;
        List<ReportTrial> trials = new ArrayList<>();
        List<long[]> events = new ArrayList<>();
        for (int id = 1; id <= 30; id++) {
            double ceiling = 0.70 + 0.2 * rnd.nextDouble();
            double speed = 2 + 4 * rnd.nextDouble();
            TrialStatus status;
            String reason = "";
            int n;
            if (id <= 6) {
                status = TrialStatus.FINISHED;
                n = bMax;
            } else if (id <= 14) {
                status = TrialStatus.PAUSED;
                n = 3 + rnd.nextInt(8);
            } else if (id <= 26) {
                status = TrialStatus.STOPPED;
                n = 1 + rnd.nextInt(5);
                reason = id % 2 == 0 ? "forecast dominated (P(beat incumbent) < 0.01)" : "budget spent";
            } else {
                status = TrialStatus.DIVERGED;
                n = 2 + rnd.nextInt(4);
                reason = "loss became NaN";
            }
            int[] epochs = new int[n];
            double[] values = new double[n];
            for (int e = 1; e <= n; e++) {
                epochs[e - 1] = e;
                values[e - 1] = ceiling * (1 - Math.exp(-e / speed)) + 0.01 * rnd.nextGaussian();
            }
            if (status == TrialStatus.DIVERGED) {
                values[n - 1] = Double.NaN;
            }
            double fm = Double.NaN;
            double fs = Double.NaN;
            if (status == TrialStatus.PAUSED || status == TrialStatus.FINISHED) {
                fm = ceiling * (1 - Math.exp(-bMax / speed)) + 0.02 * rnd.nextGaussian();
                fs = status == TrialStatus.FINISHED ? 0.004 : 0.01 + 0.03 * rnd.nextDouble();
            }
            String label = id == 7 ? EVIL_LABEL : null;
            trials.add(new ReportTrial(id, label, status, reason,
                    "lr=" + String.format("%.4f", Math.pow(10, -4 + 3 * rnd.nextDouble())) + ", hidden=" + (32 << rnd.nextInt(4)),
                    epochs, values, fm, fs));
        }
        // Incumbent: replay the curves round-robin to get a plausible step curve.
        List<Long> ie = new ArrayList<>();
        List<Double> iv = new ArrayList<>();
        long spent = 0;
        double best = Double.NaN;
        for (int e = 0; e < bMax; e++) {
            for (ReportTrial t : trials) {
                if (e < t.values().length) {
                    spent++;
                    double v = t.values()[e];
                    if (Double.isFinite(v) && (Double.isNaN(best) || v > best)) {
                        best = v;
                        ie.add(spent);
                        iv.add(best);
                    }
                }
            }
        }
        ie.add(spent);
        iv.add(best);
        events.clear();
        return StudyReport.builder("mnist-mlp <demo>").metric("validation accuracy", true).method("FMS")
                .trials(trials)
                .incumbent(ie.stream().mapToLong(Long::longValue).toArray(), iv.stream().mapToDouble(Double::doubleValue).toArray())
                .roi(new RoiNumbers(spent, 30, bMax, List.of(
                        new RoiNumbers.Baseline("Random search", OptionalLong.of(3 * spent), 600),
                        new RoiNumbers.Baseline("Hyperband", OptionalLong.of(spent * 3 / 2), 600),
                        new RoiNumbers.Baseline("Optuna <TPE>", OptionalLong.empty(), 600))))
                .build();
    }
}
