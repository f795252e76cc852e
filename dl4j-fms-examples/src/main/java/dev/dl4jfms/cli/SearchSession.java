package dev.dl4jfms.cli;

import dev.dl4jfms.examples.ExampleData;
import dev.dl4jfms.examples.report.StoreStudyReports;
import dev.dl4jfms.examples.report.StudyReport;
import dev.dl4jfms.examples.report.StudyReportWriter;
import dev.dl4jfms.examples.search.ForecasterChoice;
import dev.dl4jfms.transfer.TransferPrior;
import dev.dl4jfms.examples.search.SearchProgress;
import dev.dl4jfms.examples.search.SearchRun;
import dev.dl4jfms.store.EventRecord;
import dev.dl4jfms.store.SqliteCheckpointStore;
import dev.dl4jfms.store.StudyRecord;
import dev.dl4jfms.study.StudySettings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * What {@code fms demo} and {@code fms search} share: settle the settings (command defaults, or on {@code --resume}
 * the study's stored settings and data options), load the data, run the search with a live progress line, write the
 * report next to the store and print a short summary.
 */
final class SearchSession {

    /** Journal event with the data options of a run, so {@code --resume} reloads the same subsets. */
    static final String RUN_OPTIONS_EVENT = "run_options";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Settled settings of one run. */
    record Settings(int budget, int maxEpochs, int pool, int warmup, long seed, int train, int val, int batch,
                    ForecasterChoice forecaster) {
    }

    /** Command defaults for options the user did not give. */
    record Defaults(int budget, int maxEpochs, int pool, int train, int val) {
        /** MNIST-format data with an MLP-sized space (demo mnist, search). */
        static final Defaults MNIST = new Defaults(30, 6, 40, 3000, 1000);
        /** CIFAR-10 with a small CNN (demo cifar). */
        static final Defaults CIFAR = new Defaults(12, 3, 20, 1500, 500);
    }

    private SearchSession() {
    }

    /**
     * Runs one search and writes its report.
     *
     * @param space      the search space, given the data (the input shape comes from the data)
     * @param loadData   loads the data for the settled settings
     * @param reportDir  where report.html and the plots go
     */
    static int run(CommandSpecOutput io, SearchOptions o, Defaults d, Path storeFile, String studyName,
                   Function<Settings, ExampleData> loadData, Function<ExampleData, ParameterSpace<?>> space,
                   Path reportDir) {
        try {
            Files.createDirectories(storeFile.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new CliException("cannot create the folder of " + storeFile + ": " + e.getMessage());
        }
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(storeFile)) {
            Optional<StudyRecord> existing = store.studyByName(studyName);
            if (existing.isPresent() && !o.resume) {
                throw new CliException("study '" + studyName + "' already exists in " + storeFile
                        + "; pass --resume to continue it, or choose another --out/--store");
            }
            if (existing.isEmpty() && o.resume) {
                throw new CliException("nothing to resume: no study '" + studyName + "' in " + storeFile);
            }
            Settings s = existing.isPresent() ? resumed(store, existing.get(), o) : fresh(o, d);
            ExampleData data;
            try {
                data = loadData.apply(s);
            } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
                throw new CliException(e.getMessage());
            } catch (RuntimeException e) {
                if (e.getClass().getSimpleName().endsWith("NotFoundException")) {
                    throw new CliException(e.getMessage());
                }
                throw e;
            }
            int concurrency = OptionChecks.positive(o.concurrency, 2,
                    "--concurrency");
            TransferPrior prior = prior(o, s, io.err());
            io.err().printf(Locale.ROOT, "fms: %s study '%s': %d training / %d validation examples of %s (%s), "
                            + "budget %d epochs, B_max %d, pool %d, forecaster %s, %d concurrent trial(s)%n",
                    existing.isPresent() ? "resuming" : "starting", studyName,
                    data.provider().trainExamples(), data.provider().validationExamples(), data.kind(),
                    data.folder(), s.budget(), s.maxEpochs(), s.pool(), s.forecaster().option(), concurrency);
            io.err().flush();
            ParameterSpace<?> searchSpace = space.apply(data);
            SearchRun.Result result;
            // Library code (SameDiff) prints debug lines with System.out; keep stdout for the command's own output.
            PrintStream stdout = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                result = SearchRun.builder(searchSpace, data.provider(), store).studyName(studyName)
                        .budgetEpochs(s.budget()).maxEpochs(s.maxEpochs()).poolSize(s.pool())
                        .warmupConfigs(s.warmup()).seed(s.seed()).forecaster(s.forecaster())
                        .prior(prior)
                        .concurrency(concurrency)
                        .progress(io.err(), SearchProgress.stderrIsTerminal(),
                                OptionChecks.positive(o.progressEvery, 10, "--progress-every"))
                        .onStudyOpened(id -> {
                            if (existing.isEmpty()) {
                                store.appendEvent(id, null, RUN_OPTIONS_EVENT, runOptions(s, data));
                            }
                        })
                        .build().run();
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            } finally {
                System.setOut(stdout);
            }
            StudyRecord study = store.study(result.studyId()).orElseThrow();
            Path html = writeReport(store, study, reportDir);
            PrintWriter out = io.out();
            out.printf(Locale.ROOT, "Study '%s' (id %d) in %s: %d of %d epochs spent in %s%n", study.name(),
                    study.id(), storeFile, result.spentEpochs(), result.budgetEpochs(), duration(result.elapsed()));
            result.incumbent().ifPresentOrElse(
                    inc -> out.printf(Locale.ROOT, "Best validation accuracy %.4f: trial %d (pool-%d) at epoch %d%n",
                            inc.rawValue(), inc.trialId(), inc.poolIndex(), inc.epoch()),
                    () -> out.println("No trial produced a validation value."));
            out.println("Report: " + html);
            out.flush();
            return FmsCli.EXIT_OK;
        }
    }

    static Path writeReport(SqliteCheckpointStore store, StudyRecord study, Path dir) {
        StudyReport report = StoreStudyReports.load(store, study, null);
        try {
            return StudyReportWriter.write(report, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Settings fresh(SearchOptions o, Defaults d) {
        int maxEpochs = o.pool.maxEpochs(d.maxEpochs());
        int budget = o.budget.budget(d.budget());
        if (budget < maxEpochs) {
            throw new CliException("--budget (" + budget + " epochs) must be at least --max-epochs (" + maxEpochs + ")");
        }
        int pool = o.pool.size(d.pool());
        if (pool < 2) {
            throw new CliException("--pool must be at least 2, got " + pool);
        }
        int warmup = OptionChecks.positive(o.warmup, Math.min(4, pool), "--warmup");
        if (warmup > pool) {
            throw new CliException("--warmup (" + warmup + ") must not exceed --pool (" + pool + ")");
        }
        return new Settings(budget, maxEpochs, pool, warmup, o.pool.seed == null ? 1L : o.pool.seed,
                o.pool.train(d.train()), o.pool.val(d.val()), OptionChecks.positive(o.batch, 64, "--batch"),
                forecaster(o.forecaster));
    }

    /** The prior of {@code --prior} or {@code --transfer-from} (not both), or null for a cold start. */
    private static TransferPrior prior(SearchOptions o, Settings s, PrintWriter err) {
        if (o.prior != null && o.transferFrom != null) {
            throw new CliException("give either --prior or --transfer-from, not both");
        }
        if (o.transferFrom == null) {
            TransferPrior p = PriorOption.resolve(o.prior);
            if (p != null) {
                err.printf("fms: the forecaster starts from %s, meta-trained on %s%n", p.location(), p.sources());
            }
            return p;
        }
        String kind;
        try {
            kind = s.forecaster().fmsPolicyName();
        } catch (IllegalArgumentException e) {
            throw new CliException("--transfer-from: " + e.getMessage());
        }
        return PriorOption.transferFrom(o.transferFrom, kind, s.seed(), err);
    }

    static ForecasterChoice forecaster(String option) {
        if (option == null) {
            return ForecasterChoice.defaultChoice();
        }
        try {
            return ForecasterChoice.parse(option);
        } catch (IllegalArgumentException e) {
            throw new CliException("--forecaster: " + e.getMessage());
        }
    }

    /** Stored settings and data options; only --budget (and --concurrency/--progress-every) may be given anew. */
    private static Settings resumed(SqliteCheckpointStore store, StudyRecord study, SearchOptions o) {
        JsonNode stored = parse(study.settingsJson());
        if (!stored.has("settings")) {
            throw new CliException("study '" + study.name() + "' was not created by a search; it cannot be resumed");
        }
        StudySettings settings = StudySettings.fromJson(stored.get("settings").toString());
        JsonNode run = null;
        for (EventRecord e : store.events(study.id())) {
            if (RUN_OPTIONS_EVENT.equals(e.kind())) {
                run = parse(e.payloadJson());
            }
        }
        if (run == null) {
            throw new CliException("study '" + study.name() + "' has no recorded data options (" + RUN_OPTIONS_EVENT
                    + " event); it was not started by fms demo/search");
        }
        String policy = stored.path("policy").asText("");
        ForecasterChoice forecaster = null;
        for (ForecasterChoice c : ForecasterChoice.values()) {
            if (c.policyName().equals(policy)) {
                forecaster = c;
            }
        }
        if (forecaster == null) {
            throw new CliException("study '" + study.name() + "' used policy '" + policy
                    + "', which this build cannot resume (forecasters: " + ForecasterChoice.options() + ")");
        }
        if (o.forecaster != null && forecaster != forecaster(o.forecaster)) {
            throw new CliException("study '" + study.name() + "' was run with --forecaster " + forecaster.option()
                    + "; a resumed study keeps its forecaster");
        }
        Settings s = new Settings(settings.budgetEpochs(), settings.maxEpochsPerTrial(), settings.poolSize(),
                settings.warmupConfigs(), settings.seed(), run.path("train").asInt(), run.path("val").asInt(),
                run.path("batch").asInt(), forecaster);
        requireSame("--max-epochs", o.pool.maxEpochs, s.maxEpochs());
        requireSame("--pool", o.pool.size, s.pool());
        requireSame("--warmup", o.warmup, s.warmup());
        requireSame("--seed", o.pool.seed == null ? null : o.pool.seed.intValue(), (int) s.seed());
        requireSame("--train", o.pool.train, s.train());
        requireSame("--val", o.pool.val, s.val());
        int budget = o.budget.budget(s.budget());
        if (budget < s.maxEpochs()) {
            throw new CliException("--budget (" + budget + ") must be at least B_max (" + s.maxEpochs() + ")");
        }
        return new Settings(budget, s.maxEpochs(), s.pool(), s.warmup(), s.seed(), s.train(), s.val(), s.batch(),
                forecaster);
    }

    private static void requireSame(String option, Integer given, int stored) {
        if (given != null && given != stored) {
            throw new CliException(option + " " + given + " differs from the resumed study's " + stored
                    + " (only --budget may change on --resume)");
        }
    }

    private static String runOptions(Settings s, ExampleData data) {
        ObjectNode n = JSON.createObjectNode().put("train", s.train()).put("val", s.val()).put("batch", s.batch())
                .put("data", data.folder().toAbsolutePath().toString()).put("kind", data.kind());
        return n.toString();
    }

    private static JsonNode parse(String json) {
        try {
            return json == null ? JSON.createObjectNode() : JSON.readTree(json);
        } catch (IOException e) {
            throw new CliException("unreadable study settings: " + e.getMessage());
        }
    }

    static String duration(Duration d) {
        long s = d.getSeconds();
        return s >= 60 ? (s / 60) + " min " + (s % 60) + " s" : s + " s";
    }

    /** The command's output and error writers. */
    record CommandSpecOutput(PrintWriter out, PrintWriter err) {
        /** The writers of a command's {@code CommandLine}. */
        static CommandSpecOutput of(picocli.CommandLine.Model.CommandSpec spec) {
            return new CommandSpecOutput(spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }
}
