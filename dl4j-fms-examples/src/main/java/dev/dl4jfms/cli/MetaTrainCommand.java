package dev.dl4jfms.cli;

import dev.dl4jfms.examples.hub.HubBench;
import dev.dl4jfms.examples.hub.HubBuilder;
import dev.dl4jfms.examples.hub.HubTransferSources;
import dev.dl4jfms.embed.LayerStatisticsEmbedder;
import dev.dl4jfms.gp.DeepKernelForecaster;
import dev.dl4jfms.gp.DeepKernelForecasterBuilder;
import dev.dl4jfms.study.MetricDirection;
import dev.dl4jfms.transfer.MetaTrainer;
import dev.dl4jfms.transfer.SourceTask;
import dev.dl4jfms.transfer.TransferPrior;
import java.io.PrintWriter;
import org.nd4j.shade.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fms meta-train}: meta-train a forecaster on earlier studies and write a prior file (docs/transfer.md). */
@Command(name = "meta-train", mixinStandardHelpOptions = true,
        description = {"Meta-train the deep-kernel forecaster on the observations of earlier studies and write a prior "
                + "that 'fms bench --prior' starts from (docs/transfer.md).",
                "Sources: hub stores built by 'fms hub build' and stores of earlier 'fms search'/'fms demo' studies; "
                        + "hyperparameters are matched by name across them."})
final class MetaTrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--store", required = true, paramLabel = "<store>", description = "A source store (a hub or "
            + "a store of earlier searches); repeat the option for several.")
    List<Path> stores;

    @Option(names = "--studies", split = ",", paramLabel = "<study>",
            description = "Studies to read from every store (default: study 'hub' of a hub store, all studies of "
                    + "any other).")
    List<String> studies;

    @Option(names = "--forecaster", paramLabel = "<dyhpo|fms-stats|fms-gmn>", defaultValue = "fms-stats",
            description = "Forecaster kind (gp-stats and gp-gmn are accepted for fms-stats and fms-gmn; default: "
                    + "${DEFAULT-VALUE}).")
    String forecaster;

    @Option(names = "--steps", paramLabel = "<n>", defaultValue = "" + MetaTrainer.DEFAULT_STEPS,
            description = "Adam steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--rows-per-step", paramLabel = "<n>", defaultValue = "" + MetaTrainer.DEFAULT_ROWS_PER_STEP,
            description = "Rows of one source per step (default: ${DEFAULT-VALUE}).")
    int rowsPerStep;

    @Option(names = "--seed", paramLabel = "<s>", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--negative-control", description = "Pair every source curve with the hyperparameters of "
            + "another configuration of the same source (seeded shuffle): a prior of an unrelated map, for measuring "
            + "what a misleading prior costs (bench/transfer-bench.sh).")
    boolean negativeControl;

    @Option(names = "--out", required = true, paramLabel = "<file>", description = "The prior file to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        String kind = switch (forecaster.trim().toLowerCase(Locale.ROOT)) {
            case "dyhpo" -> "dyhpo";
            case "fms-stats", "gp-stats" -> "fms-stats";
            case "fms-gmn", "gp-gmn" -> "fms-gmn";
            default -> throw new CliException("--forecaster must be dyhpo, fms-stats or fms-gmn, got '" + forecaster
                    + "'");
        };
        if (steps < 1 || rowsPerStep < 2) {
            throw new CliException("--steps must be >= 1 and --rows-per-step >= 2");
        }
        PrintWriter w = spec.commandLine().getOut();
        List<String> studyNames = studies == null ? List.of() : studies;
        try (HubTransferSources.Sources sources = HubTransferSources.open(stores, studyNames, HubBuilder.VAL_METRIC)) {
            List<SourceTask> tasks = negativeControl ? new ArrayList<>() : sources.tasks();
            if (negativeControl) {
                for (int k = 0; k < sources.tasks().size(); k++) {
                    tasks.add(shuffled(sources.tasks().get(k), seed + k));
                }
            }
            String command = "fms meta-train " + (negativeControl ? "--negative-control " : "") + "--forecaster "
                    + kind + " --steps " + steps + " --rows-per-step " + rowsPerStep + " --seed " + seed + " "
                    + String.join(" ", stores.stream().map(s -> "--store " + s.getFileName()).toList())
                    + (studyNames.isEmpty() ? "" : " --studies " + String.join(",", studyNames));
            TransferPrior prior = train(tasks, sources, kind, steps, rowsPerStep, seed, command);
            prior.save(out);
            JsonNode r = prior.training();
            w.printf(Locale.ROOT, "Meta-trained %s on %d sources, %d observations, %d steps in %.1f s "
                            + "(NLL/n %.3f -> %.3f); %d inputs from %d hyperparameter names%n", kind,
                    r.path("tasks").asInt(), r.path("rows").asInt(), r.path("steps").asInt(),
                    r.path("seconds").asDouble(), r.path("nllFirst").asDouble(), r.path("nllLast").asDouble(),
                    prior.encoding().dimension(), prior.encoding().names().size());
            w.printf("Wrote %s%n", out.toAbsolutePath());
            w.flush();
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        return FmsCli.EXIT_OK;
    }

    /**
     * Meta-trains a prior of forecaster {@code kind} (dyhpo, fms-stats, fms-gmn) on {@code tasks} whose weights
     * {@code sources} resolves: the one path of {@code fms meta-train} and {@code --transfer-from}.
     */
    static TransferPrior train(List<SourceTask> tasks, HubTransferSources.Sources sources, String kind, int steps,
                               int rowsPerStep, long seed, String command) {
        DeepKernelForecasterBuilder b = DeepKernelForecaster.builder().seed(seed);
        if (kind.equals("fms-stats")) {
            b.embedder(new LayerStatisticsEmbedder()).weightsLoader(sources.loader());
        } else if (kind.equals("fms-gmn")) {
            b.embedder(HubBench.gmn(seed, HubBench.GMN_MAX_EDGES)).weightsLoader(sources.loader());
        }
        MetaTrainer.Result result = new MetaTrainer(steps, rowsPerStep, seed).train(tasks, b);
        return TransferPrior.of(result, kind, HubBuilder.VAL_METRIC, MetricDirection.MAXIMIZE, sources.names(),
                command);
    }

    /** The source with its trials' hyperparameters permuted among them (curves and weights stay together). */
    static SourceTask shuffled(SourceTask source, long seed) {
        List<Map<String, String>> configs = new ArrayList<>(source.trials().stream()
                .map(SourceTask.Trial::hyperparameters).toList());
        java.util.Collections.shuffle(configs, new java.util.Random(seed));
        List<SourceTask.Trial> trials = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            SourceTask.Trial t = source.trials().get(i);
            trials.add(new SourceTask.Trial(configs.get(i), t.curve(), t.weightsKeys()));
        }
        return new SourceTask(source.name() + " (negative control)", source.maxEpochs(), trials);
    }
}
