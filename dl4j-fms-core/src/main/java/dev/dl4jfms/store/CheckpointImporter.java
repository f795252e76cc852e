package dev.dl4jfms.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.listeners.Checkpoint;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns existing DL4J training output into store data: folders written by DL4J's
 * {@link org.deeplearning4j.optimize.listeners.CheckpointListener} (a {@code checkpointInfo.txt} index plus zips)
 * become one trial each, and loose {@link ModelSerializer} zips become one trial each; a directory is searched
 * recursively. Every checkpoint keeps its weights and updater state, its epoch and iteration, and the trial records
 * the configuration JSON and {@link ArchitectureSignature}. Trials get status {@link TrialStatus#IMPORTED}.
 *
 * <p><b>Epochs.</b> CheckpointListener writes the model's 0-based epoch index; the store counts completed epochs,
 * so an index row with epoch {@code e} is stored as epoch {@code e + 1} (for checkpoints saved every N iterations,
 * the 1-based number of the epoch in progress). A loose zip is stored at the epoch count its
 * configuration records. Metric {@value #WALL_SECONDS} is the time since the folder's first checkpoint.
 *
 * <p><b>Faults.</b> A truncated or corrupted zip, a missing file or a malformed index line is reported in the
 * {@link ImportSummary} with its file name and problem and skipped; the rest imports, and nothing already in the
 * store is touched. A source already imported into the study (same absolute path) is left alone and listed in
 * {@link ImportSummary#alreadyImported()}.
 */
public final class CheckpointImporter {

    /** Name of the index file DL4J's CheckpointListener writes. */
    public static final String INDEX_FILE = "checkpointInfo.txt";
    /** Metric: seconds since the first checkpoint of a CheckpointListener folder. */
    public static final String WALL_SECONDS = "wall_seconds";
    /** Journal event kind recorded for every imported source (payload: its path and trial). */
    public static final String IMPORT_EVENT = "import";

    private static final Logger log = LoggerFactory.getLogger(CheckpointImporter.class);

    private final CheckpointStore store;
    private final String studyName;
    private final Function<Model, Map<String, Double>> metrics;

    private CheckpointImporter(Builder builder) {
        this.store = builder.store;
        this.studyName = builder.studyName;
        this.metrics = builder.metrics;
    }

    public static Builder builder(CheckpointStore store) {
        return new Builder(store);
    }

    /** Builder; {@link #studyName} defaults to the imported folder's (or zip's) file name. */
    public static final class Builder {
        private final CheckpointStore store;
        private String studyName;
        private Function<Model, Map<String, Double>> metrics;

        private Builder(CheckpointStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** The study to add trials to; created when absent. */
        public Builder studyName(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("study name must not be blank");
            }
            this.studyName = name;
            return this;
        }

        /**
         * Optional: computes metrics for each imported checkpoint from the restored network (e.g. an evaluation on
         * a validation set), since DL4J's checkpoints carry none.
         */
        public Builder metrics(Function<Model, Map<String, Double>> metricsOfModel) {
            this.metrics = Objects.requireNonNull(metricsOfModel, "metricsOfModel");
            return this;
        }

        public CheckpointImporter build() {
            return new CheckpointImporter(this);
        }
    }

    /**
     * Imports a CheckpointListener folder, a zip, or every such thing below a directory.
     *
     * @throws StoreException when {@code source} does not exist or cannot be listed
     */
    public ImportSummary importPath(Path source) {
        Path root = source.toAbsolutePath().normalize();
        if (!Files.exists(root)) {
            throw new StoreException("Nothing to import: " + root + " does not exist");
        }
        String name = studyName != null ? studyName : root.getFileName().toString();
        long studyId = store.studyByName(name).orElseGet(() -> store.createStudy(name, null)).id();
        Set<String> alreadyImported = importedSources(studyId);
        List<ImportSummary.ImportedTrial> trials = new ArrayList<>();
        List<ImportSummary.Skipped> skipped = new ArrayList<>();
        List<Path> repeated = new ArrayList<>();
        for (Path item : sources(root)) {
            if (alreadyImported.contains(item.toString())) {
                repeated.add(item);
                continue;
            }
            ImportSummary.ImportedTrial trial = Files.isDirectory(item)
                    ? importListenerFolder(studyId, root, item, skipped)
                    : importLooseZip(studyId, root, item, skipped);
            if (trial != null) {
                trials.add(trial);
                store.appendEvent(studyId, trial.trialId(), IMPORT_EVENT,
                        StoreJson.object(Map.of("source", item.toString(), "kind", trial.kind())));
            }
        }
        // The summary carries the skipped files to the caller; log them only for diagnostics.
        skipped.forEach(s -> log.info("Skipped {}", s));
        repeated.forEach(p -> log.info("Already imported into study '{}': {}", name, p));
        return new ImportSummary(studyId, trials, skipped, repeated);
    }

    /** CheckpointListener folders and loose zips under {@code root}, in path order. */
    private static List<Path> sources(Path root) {
        if (Files.isRegularFile(root)) {
            return List.of(root);
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = walk.sorted(Comparator.comparing(Path::toString)).toList();
        } catch (IOException e) {
            throw new StoreException("Cannot list " + root + ": " + e, e);
        }
        Set<Path> listed = new HashSet<>();
        List<Path> sources = new ArrayList<>();
        for (Path path : all) {
            if (Files.isDirectory(path) && Files.isRegularFile(path.resolve(INDEX_FILE))) {
                sources.add(path);
                for (String line : readLinesQuietly(path.resolve(INDEX_FILE))) {
                    String[] fields = line.split(",");
                    listed.add(path.resolve(fields[fields.length - 1].trim()));
                }
            }
        }
        for (Path path : all) {
            if (Files.isRegularFile(path) && path.getFileName().toString().toLowerCase().endsWith(".zip")
                    && !listed.contains(path)) {
                sources.add(path);
            }
        }
        sources.sort(Comparator.comparing(Path::toString));
        return sources;
    }

    private ImportSummary.ImportedTrial importListenerFolder(long studyId, Path root, Path folder,
                                                             List<ImportSummary.Skipped> skipped) {
        Path index = folder.resolve(INDEX_FILE);
        List<Checkpoint> rows = new ArrayList<>();
        List<String> lines = readLinesQuietly(index);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.equals(Checkpoint.getFileHeader().trim())) {
                continue;
            }
            try {
                rows.add(Checkpoint.fromFileString(line));
            } catch (RuntimeException e) {
                skipped.add(new ImportSummary.Skipped(index, "line " + (i + 1) + " is not a checkpoint record: '"
                        + line + "'"));
            }
        }
        if (rows.isEmpty()) {
            skipped.add(new ImportSummary.Skipped(index, "lists no readable checkpoints"));
            return null;
        }
        rows.sort(Comparator.comparingInt(Checkpoint::getCheckpointNum));
        long firstTimestamp = rows.stream().mapToLong(Checkpoint::getTimestamp).min().orElse(0);
        Long trialId = null;
        int count = 0;
        for (Checkpoint row : rows) {
            Path zip = folder.resolve(row.getFilename());
            Model model = load(zip, row.getModelType(), skipped);
            if (model == null) {
                continue;
            }
            if (trialId == null) {
                trialId = createTrial(studyId, model, root, folder);
            }
            Map<String, Double> values = new LinkedHashMap<>(metricsOf(model, zip, skipped));
            values.put(WALL_SECONDS, (row.getTimestamp() - firstTimestamp) / 1000.0);
            store.putCheckpoint(trialId, row.getEpoch() + 1, row.getIteration(), values, ModelSnapshots.of(model));
            count++;
        }
        if (trialId == null) {
            return null;
        }
        store.updateTrialStatus(trialId, TrialStatus.IMPORTED, "CheckpointListener folder " + folder);
        return new ImportSummary.ImportedTrial(trialId, folder, "CheckpointListener", count);
    }

    private ImportSummary.ImportedTrial importLooseZip(long studyId, Path root, Path zip,
                                                      List<ImportSummary.Skipped> skipped) {
        Model model = load(zip, null, skipped);
        if (model == null) {
            return null;
        }
        long trialId = createTrial(studyId, model, root, zip);
        ModelSnapshot snapshot = ModelSnapshots.of(model);
        store.putCheckpoint(trialId, snapshot.epochCount(), snapshot.iterationCount(), metricsOf(model, zip, skipped),
                snapshot);
        store.updateTrialStatus(trialId, TrialStatus.IMPORTED, "ModelSerializer zip " + zip);
        return new ImportSummary.ImportedTrial(trialId, zip, "ModelSerializer", 1);
    }

    private long createTrial(long studyId, Model model, Path root, Path source) {
        String configJson = model instanceof MultiLayerNetwork net ? net.getLayerWiseConfigurations().toJson()
                : ((ComputationGraph) model).getConfiguration().toJson();
        String label = root.equals(source) ? source.getFileName().toString() : root.relativize(source).toString();
        return store.createTrial(studyId, new NewTrial(configJson, null, ArchitectureSignature.of(model), null,
                label)).id();
    }

    /** Loads a ModelSerializer zip, or records why it cannot be loaded and returns null. */
    private static Model load(Path zip, String modelTypeHint, List<ImportSummary.Skipped> skipped) {
        if (!Files.isRegularFile(zip)) {
            skipped.add(new ImportSummary.Skipped(zip, "listed in " + INDEX_FILE + " but missing"));
            return null;
        }
        try {
            boolean graph;
            try (ZipFile file = new ZipFile(zip.toFile())) {
                ZipEntry config = file.getEntry("configuration.json");
                if (config == null || file.getEntry("coefficients.bin") == null) {
                    skipped.add(new ImportSummary.Skipped(zip, "not a DL4J ModelSerializer zip (no "
                            + (config == null ? "configuration.json" : "coefficients.bin") + ")"));
                    return null;
                }
                if (modelTypeHint != null) {
                    graph = modelTypeHint.equals(ComputationGraph.class.getSimpleName());
                } else {
                    try (InputStream in = file.getInputStream(config)) {
                        graph = new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("\"vertices\"");
                    }
                }
            }
            return graph ? ModelSerializer.restoreComputationGraph(zip.toFile(), true)
                    : ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), true);
        } catch (IOException | RuntimeException e) {
            skipped.add(new ImportSummary.Skipped(zip, "unreadable (truncated or corrupted?): " + rootCause(e)));
            return null;
        }
    }

    private Map<String, Double> metricsOf(Model model, Path zip, List<ImportSummary.Skipped> skipped) {
        if (metrics == null) {
            return Map.of();
        }
        try {
            return metrics.apply(model);
        } catch (RuntimeException e) {
            skipped.add(new ImportSummary.Skipped(zip, "imported without metrics, metric function failed: "
                    + rootCause(e)));
            return Map.of();
        }
    }

    private Set<String> importedSources(long studyId) {
        Set<String> sources = new HashSet<>();
        for (EventRecord event : store.events(studyId)) {
            if (IMPORT_EVENT.equals(event.kind()) && event.payloadJson() != null) {
                String source = StoreJson.textField(event.payloadJson(), "source");
                if (source != null) {
                    sources.add(source);
                }
            }
        }
        return sources;
    }

    private static List<String> readLinesQuietly(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
