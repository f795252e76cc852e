package dev.dl4jfms.examples.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything the study report shows, as plain data (so it can be filled from a checkpoint store, a live study or a
 * test). Build with {@link #builder(String)}.
 */
public final class StudyReport {

    private final String studyName;
    private final String metricName;
    private final boolean maximize;
    private final String methodName;
    private final List<ReportTrial> trials;
    private final long[] incumbentEpochs;
    private final double[] incumbentValues;
    private final RoiNumbers roi;
    private final int topForecasts;
    private final List<String> decisions;

    private StudyReport(Builder b) {
        this.studyName = b.studyName;
        this.metricName = b.metricName;
        this.maximize = b.maximize;
        this.methodName = b.methodName;
        this.trials = List.copyOf(b.trials);
        this.incumbentEpochs = b.incumbentEpochs;
        this.incumbentValues = b.incumbentValues;
        this.roi = b.roi;
        this.topForecasts = b.topForecasts;
        this.decisions = List.copyOf(b.decisions);
    }

    public static Builder builder(String studyName) {
        return new Builder(studyName);
    }

    public String studyName() { return studyName; }
    public String metricName() { return metricName; }
    public boolean maximize() { return maximize; }
    public String methodName() { return methodName; }
    public List<ReportTrial> trials() { return trials; }
    public long[] incumbentEpochs() { return incumbentEpochs.clone(); }
    public double[] incumbentValues() { return incumbentValues.clone(); }
    /** ROI figures; null when not given. */
    public RoiNumbers roi() { return roi; }
    public int topForecasts() { return topForecasts; }
    /** What the policy said about who decides, in order (which forecaster, hand-overs to the fallback). */
    public List<String> decisions() { return decisions; }

    /** Final incumbent value, NaN when there is none. */
    public double finalIncumbent() {
        return incumbentValues.length == 0 ? Double.NaN : incumbentValues[incumbentValues.length - 1];
    }

    /** Validating builder for {@link StudyReport}. */
    public static final class Builder {
        private final String studyName;
        private String metricName = "validation accuracy";
        private boolean maximize = true;
        private String methodName = "FMS";
        private final List<ReportTrial> trials = new ArrayList<>();
        private long[] incumbentEpochs = new long[0];
        private double[] incumbentValues = new double[0];
        private RoiNumbers roi;
        private int topForecasts = 10;
        private final List<String> decisions = new ArrayList<>();

        private Builder(String studyName) {
            this.studyName = Objects.requireNonNull(studyName, "study name");
        }

        /** Name of the validation metric, e.g. "validation accuracy" (default). */
        public Builder metric(String name, boolean higherIsBetter) {
            this.metricName = Objects.requireNonNull(name, "metric name");
            this.maximize = higherIsBetter;
            return this;
        }

        /** Name of the search method in plain text (default "FMS"). */
        public Builder method(String name) { this.methodName = Objects.requireNonNull(name, "method name"); return this; }

        public Builder trial(ReportTrial t) { trials.add(Objects.requireNonNull(t, "trial")); return this; }

        public Builder trials(List<ReportTrial> all) { all.forEach(this::trial); return this; }

        /**
         * Incumbent validation value after each number of epochs spent (epochs non-decreasing).
         */
        public Builder incumbent(long[] epochsSpent, double[] values) {
            if (epochsSpent.length != values.length) {
                throw new IllegalArgumentException("incumbent: " + epochsSpent.length + " epoch counts but " + values.length
                        + " values");
            }
            for (int i = 1; i < epochsSpent.length; i++) {
                if (epochsSpent[i] < epochsSpent[i - 1]) {
                    throw new IllegalArgumentException("incumbent: epochs spent decrease at index " + i);
                }
            }
            this.incumbentEpochs = epochsSpent.clone();
            this.incumbentValues = values.clone();
            return this;
        }

        public Builder roi(RoiNumbers roi) { this.roi = roi; return this; }

        /** The policy's notes on who decided (plain text, shown escaped). */
        public Builder decisions(List<String> notes) {
            this.decisions.clear();
            this.decisions.addAll(notes);
            return this;
        }

        /** How many trials the forecast plot shows (default 10). */
        public Builder topForecasts(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("top forecasts must be >= 1, got " + k);
            }
            this.topForecasts = k;
            return this;
        }

        public StudyReport build() {
            long ids = trials.stream().mapToLong(ReportTrial::id).distinct().count();
            if (ids != trials.size()) {
                throw new IllegalArgumentException("study '" + studyName + "': duplicate trial ids");
            }
            return new StudyReport(this);
        }
    }
}
