package dev.dl4jfms.examples.report;

import dev.dl4jfms.examples.bench.BaselineCost;
import dev.dl4jfms.examples.bench.BenchReportWriter;
import dev.dl4jfms.examples.bench.MethodRun;
import dev.dl4jfms.examples.bench.TrajectoryPoint;
import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.CheckpointStore;
import dev.dl4jfms.store.EventRecord;
import dev.dl4jfms.store.StudyRecord;
import dev.dl4jfms.store.TrialRecord;
import dev.dl4jfms.study.MetricDirection;
import dev.dl4jfms.study.StudySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Builds a {@link StudyReport} from what a checkpoint store holds about a study: trial rows (status, reason,
 * configuration), per-epoch checkpoints (learning curves; in insertion order they give the incumbent against epochs
 * spent), the study settings (metric, pool size, B_max) and the journal's final forecasts
 * ({@code report_forecasts} events). Optionally adds baseline costs from a benchmark's {@code curves.csv}.
 */
public final class StoreStudyReports {

    /** Journal event kind with forecasts at B_max (written at the end of a search). */
    public static final String FORECASTS_EVENT = dev.dl4jfms.arbiter.FinalForecasts.EVENT;

    private static final ObjectMapper JSON = new ObjectMapper();

    private StoreStudyReports() {
    }

    /**
     * Finds a study by id (digits) or name.
     *
     * @throws IllegalArgumentException naming the studies the store holds when there is no such study
     */
    public static StudyRecord findStudy(CheckpointStore store, String idOrName) {
        var byName = store.studyByName(idOrName);
        if (byName.isPresent()) {
            return byName.get();
        }
        if (idOrName.matches("\\d{1,18}")) {
            var byId = store.study(Long.parseLong(idOrName));
            if (byId.isPresent()) {
                return byId.get();
            }
        }
        String known = store.studies().stream().map(s -> s.id() + " '" + s.name() + "'")
                .collect(Collectors.joining(", "));
        throw new IllegalArgumentException("no study '" + idOrName + "' in " + store.location()
                + (known.isEmpty() ? " (the store holds no studies)" : "; studies: " + known));
    }

    /**
     * The report of a study.
     *
     * @param baselineCurves a benchmark {@code curves.csv} (header {@link BenchReportWriter#CURVES_HEADER}) whose
     *                       non-FMS methods become ROI baselines; null for none
     */
    public static StudyReport load(CheckpointStore store, StudyRecord study, Path baselineCurves) {
        JsonNode stored = parse(study.settingsJson());
        StudySettings settings = stored.has("settings") ? StudySettings.fromJson(stored.get("settings").toString())
                : null;
        String metric = settings != null ? settings.metricName() : "val_accuracy";
        boolean maximize = settings == null || settings.direction() == MetricDirection.MAXIMIZE;
        String policy = stored.path("policy").asText("");

        Map<Long, double[]> forecasts = latestForecasts(store, study.id());
        List<ReportTrial> trials = new ArrayList<>();
        List<CheckpointRecord> allEpochs = new ArrayList<>();
        int longest = 0;
        for (TrialRecord t : store.trials(study.id())) {
            TreeMap<Integer, CheckpointRecord> byEpoch = new TreeMap<>();
            for (CheckpointRecord c : store.checkpoints(t.id())) {
                if (c.metrics().containsKey(metric) && c.epoch() >= 1) {
                    byEpoch.put(c.epoch(), c);
                }
            }
            allEpochs.addAll(byEpoch.values());
            int[] epochs = byEpoch.keySet().stream().mapToInt(Integer::intValue).toArray();
            double[] values = byEpoch.values().stream().mapToDouble(c -> c.metric(metric)).toArray();
            longest = Math.max(longest, epochs.length == 0 ? 0 : epochs[epochs.length - 1]);
            double[] f = forecasts.getOrDefault(t.id(), new double[]{Double.NaN, Double.NaN});
            if (epochs.length == 0 && Double.isNaN(f[0])) {
                continue; // created but never trained: nothing to show
            }
            trials.add(new ReportTrial(t.id(), t.label(), t.status(), t.statusReason(),
                    ConfigSummary.describe(t.configJson()), epochs, values, f[0], f[1]));
        }

        // Incumbent against epochs spent: every stored epoch is one epoch charged, in the order it was stored.
        allEpochs.sort(Comparator.comparingLong(CheckpointRecord::id));
        long[] spent = new long[allEpochs.size()];
        double[] best = new double[allEpochs.size()];
        double incumbent = Double.NaN;
        for (int i = 0; i < allEpochs.size(); i++) {
            double v = allEpochs.get(i).metric(metric);
            if (Double.isFinite(v) && (Double.isNaN(incumbent) || (maximize ? v > incumbent : v < incumbent))) {
                incumbent = v;
            }
            spent[i] = i + 1;
            best[i] = incumbent;
        }
        int poolSize = settings != null ? settings.poolSize() : trials.size();
        int maxEpochs = settings != null ? settings.maxEpochsPerTrial() : longest;
        List<RoiNumbers.Baseline> baselines = baselineCurves == null ? List.of()
                : baselines(baselineCurves, incumbent, maximize);
        return StudyReport.builder(study.name())
                .metric(metricLabel(metric), maximize)
                .method(policy.isEmpty() ? "FMS" : "FMS (policy " + policy + ")")
                .trials(trials)
                .incumbent(spent, best)
                .roi(new RoiNumbers(allEpochs.size(), poolSize, maxEpochs, baselines))
                .decisions(decisions(store, study.id()))
                .build();
    }

    private static String metricLabel(String metric) {
        return switch (metric) {
            case "val_accuracy" -> "validation accuracy";
            case "val_loss" -> "validation loss";
            case "val_f1" -> "validation F1";
            default -> metric;
        };
    }

    /** The policy notes of the study's journal, oldest first ("policy: message"). */
    private static List<String> decisions(CheckpointStore store, long studyId) {
        List<String> out = new java.util.ArrayList<>();
        for (EventRecord e : store.events(studyId)) {
            if (dev.dl4jfms.study.Study.POLICY_NOTE_EVENT.equals(e.kind())) {
                JsonNode n = parse(e.payloadJson());
                out.add(n.path("policy").asText("") + ": " + n.path("message").asText(""));
            }
        }
        return out;
    }

    /** Trial id → {mean, std} from the latest forecasts event. */
    private static Map<Long, double[]> latestForecasts(CheckpointStore store, long studyId) {
        Map<Long, double[]> out = new HashMap<>();
        EventRecord latest = null;
        for (EventRecord e : store.events(studyId)) {
            if (FORECASTS_EVENT.equals(e.kind())) {
                latest = e;
            }
        }
        if (latest != null) {
            for (JsonNode t : parse(latest.payloadJson()).path("trials")) {
                out.put(t.path("trialId").asLong(), new double[]{t.path("mean").asDouble(Double.NaN),
                        t.path("std").asDouble(Double.NaN)});
            }
        }
        return out;
    }

    /**
     * Baseline costs from a benchmark {@code curves.csv}: for every method whose name does not start with
     * {@code fms}, the mean epochs (over seeds) it needed to reach {@code target} (none when {@code target} is
     * NaN; the file is still checked).
     *
     * @throws IllegalArgumentException naming the file and line when it is not a curves.csv
     */
    public static List<RoiNumbers.Baseline> baselines(Path curvesCsv, double target, boolean maximize) {
        List<String> lines;
        try {
            lines = Files.readAllLines(curvesCsv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + curvesCsv + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty() || !lines.get(0).trim().equals(BenchReportWriter.CURVES_HEADER)) {
            throw new IllegalArgumentException(curvesCsv + " is not a benchmark curves.csv: expected the header '"
                    + BenchReportWriter.CURVES_HEADER + "'");
        }
        Map<String, Map<Long, List<TrajectoryPoint>>> byMethod = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length != 6) {
                throw new IllegalArgumentException(curvesCsv + " line " + (i + 1) + ": expected 6 cells, got "
                        + cells.length);
            }
            try {
                byMethod.computeIfAbsent(cells[0], k -> new TreeMap<>())
                        .computeIfAbsent(Long.parseLong(cells[1]), k -> new ArrayList<>())
                        .add(new TrajectoryPoint(Long.parseLong(cells[2]), number(cells[4]), number(cells[5])));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(curvesCsv + " line " + (i + 1) + ": not a number ("
                        + e.getMessage() + ")");
            }
        }
        List<RoiNumbers.Baseline> out = new ArrayList<>();
        if (Double.isNaN(target)) {
            return out; // nothing reached yet: no "epochs needed for the same result"
        }
        byMethod.forEach((method, seeds) -> {
            if (method.toLowerCase(java.util.Locale.ROOT).startsWith("fms")) {
                return;
            }
            List<MethodRun> runs = new ArrayList<>();
            long budget = 1;
            for (var e : seeds.entrySet()) {
                List<TrajectoryPoint> points = new ArrayList<>(e.getValue());
                points.sort(Comparator.comparingLong(TrajectoryPoint::epochs));
                runs.add(MethodRun.of(method, e.getKey(), points));
                budget = Math.max(budget, points.get(points.size() - 1).epochs());
            }
            OptionalLong needed = BaselineCost.meanEpochsToReach(runs, target, maximize);
            out.add(new RoiNumbers.Baseline(displayName(method), needed, budget));
        });
        return out;
    }

    private static String displayName(String method) {
        return switch (method) {
            case "random" -> "Random search";
            case "hyperband" -> "Hyperband";
            case "successive-halving" -> "Successive halving";
            case "asha" -> "ASHA";
            default -> method;
        };
    }

    private static double number(String cell) {
        return cell.isBlank() ? Double.NaN : Double.parseDouble(cell);
    }

    private static JsonNode parse(String json) {
        try {
            return json == null || json.isBlank() ? JSON.createObjectNode() : JSON.readTree(json);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
