package dev.dl4jfms.cli;

import dev.dl4jfms.examples.bench.BenchMetrics;
import dev.dl4jfms.examples.bench.MethodSummary;
import dev.dl4jfms.examples.hub.Hub;
import dev.dl4jfms.examples.hub.HubBench;
import dev.dl4jfms.store.SqliteCheckpointStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fms bench}: replay studies of several methods on a hub and write the comparison. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Replay studies of several search methods on a hub (same Study/policy code as live training) "
                + "and write curves.csv, summary.csv, summary.md and regret.png.",
                "The budget of each study defaults to 10 × B_max epochs.",
                "Methods: random, topk1, hyperband, asha, dyhpo, fms-stats, fms-gmn, dyhpo+prior, fms-stats+prior, "
                        + "fms-gmn+prior (need --prior), arbiter-random, arbiter-genetic, optuna-tpe-hb (needs "
                        + "python3-optuna)."})
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--hub", required = true, paramLabel = "<store>", description = "The hub (a store built by "
            + "'fms hub build').")
    Path hubFile;

    @Option(names = "--methods", paramLabel = "<list>", split = ",",
            description = "Comma-separated methods (default: all).")
    List<String> methods;

    @Option(names = "--seeds", paramLabel = "<n>", defaultValue = "10", description = "Seeds 0..n-1 per method "
            + "(default: ${DEFAULT-VALUE}).")
    int seeds;

    @Mixin
    BudgetOption budget;

    @Option(names = "--out", required = true, paramLabel = "<dir>", description = "Output folder.")
    Path out;

    @Option(names = "--warmup", paramLabel = "<n>", defaultValue = "20",
            description = "Random warm-up configurations of the freeze-thaw methods (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--surrogate-schedule", paramLabel = "<cold,coldSteps,warmSteps>", defaultValue = "3,300,30",
            description = "Deep-kernel GP fits: cold refits, Adam steps of a cold fit, of a warm fit "
                    + "(default: ${DEFAULT-VALUE}).")
    String surrogateSchedule;

    @Option(names = "--gmn-max-edges", paramLabel = "<n>", defaultValue = "" + HubBench.GMN_MAX_EDGES,
            description = "fms-gmn: weight edges kept per layer, a seeded subset (0 = all; default: ${DEFAULT-VALUE}).")
    int gmnMaxEdges;

    @Option(names = "--gp-learning-rate", paramLabel = "<lr>",
            description = "Adam learning rate of the deep-kernel GP's hyperparameters (default: the forecaster's).")
    Double gpLearningRate;

    @Option(names = "--speed-levers", paramLabel = "<subset,patience,minImprovement,refitEvery>",
            description = "Deep-kernel methods: rows per warm Adam step (0 = all), warm early stopping (patience 0 = "
                    + "off, threshold on NLL/n), refit once every k new observations (default: the library's, "
                    + "256,0,0,1).")
    String speedLevers;

    @Option(names = "--fallback-policy", paramLabel = "<asha|hyperband>", defaultValue = "asha",
            description = "Conventional policy a poorly calibrated freeze-thaw method hands over to "
                    + "(default: ${DEFAULT-VALUE}).")
    String fallbackPolicy;

    @Option(names = "--no-fallback", description = "Ablation: the freeze-thaw methods never hand decisions to "
            + "their fallback policy, however poorly calibrated their forecaster is.")
    boolean noFallback;

    @Option(names = "--prior", paramLabel = "<file>|shipped|none", defaultValue = "none",
            description = "Prior of the +prior methods (dyhpo+prior, fms-stats+prior, fms-gmn+prior): a file written "
                    + "by 'fms meta-train' or 'shipped'; none (default) allows only the cold methods.")
    String prior;

    @Option(names = "--prior-warmup", paramLabel = "<n>", defaultValue = "5",
            description = "Random warm-up configurations of the +prior methods (default: ${DEFAULT-VALUE}).")
    int priorWarmup;

    @Option(names = "--prior-warm-steps", paramLabel = "<n>", defaultValue = "30",
            description = "Adam steps per refit on the GP hyperparameters of the prior's forecaster (its network and "
                    + "BatchNorm statistics stay frozen; default: ${DEFAULT-VALUE}); 0 only conditions the GP on the study's rows.")
    int priorWarmSteps;

    @Option(names = "--title", paramLabel = "<text>", description = "Plot title (default: the hub file name).")
    String title;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(hubFile)) {
            throw new CliException("hub " + hubFile.toAbsolutePath() + " does not exist");
        }
        if (seeds < 1) {
            throw new CliException("--seeds must be >= 1, got " + seeds);
        }
        List<String> chosen = methods == null || methods.isEmpty()
                ? HubBench.METHODS.stream().filter(m -> !m.endsWith(HubBench.PRIOR_SUFFIX) || !"none".equals(prior))
                .toList() : methods;
        for (String m : chosen) {
            if (!HubBench.METHODS.contains(m)) {
                throw new CliException("unknown method '" + m + "' (known: " + String.join(", ", HubBench.METHODS)
                        + ")");
            }
        }
        int[] s;
        try {
            s = Arrays.stream(surrogateSchedule.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new CliException("--surrogate-schedule must be three integers, got '" + surrogateSchedule + "'");
        }
        if (s.length != 3) {
            throw new CliException("--surrogate-schedule must be three integers, got '" + surrogateSchedule + "'");
        }
        PrintWriter w = spec.commandLine().getOut();
        try (SqliteCheckpointStore store = SqliteCheckpointStore.open(hubFile)) {
            Hub hub;
            try {
                hub = Hub.read(store);
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            int b = budget.budget(10 * hub.maxEpochs());
            HubBench bench = new HubBench(hub, store, b, new HubBench.SurrogateSchedule(s[0], s[1], s[2]), warmup)
                    .gmnMaxEdges(gmnMaxEdges);
            bench.fallback(!noFallback);
            try {
                bench.fallbackPolicy(fallbackPolicy);
            } catch (IllegalArgumentException e) {
                throw new CliException("--fallback-policy: " + e.getMessage());
            }
            if (speedLevers != null) {
                bench.speedLevers(parseSpeedLevers(speedLevers));
            }
            if (gpLearningRate != null) {
                if (!(gpLearningRate > 0) || gpLearningRate.isInfinite()) {
                    throw new CliException("--gp-learning-rate must be positive, got " + gpLearningRate);
                }
                bench.gpLearningRate(gpLearningRate);
            }
            dev.dl4jfms.transfer.TransferPrior loaded = PriorOption.resolve(prior);
            if (loaded != null) {
                bench.prior(loaded, priorWarmup, priorWarmSteps);
            }
            String t = title != null ? title : hubFile.getFileName().toString();
            BenchMetrics metrics;
            try {
                metrics = bench.run(chosen, seeds, out, t + " (" + hub.entries().size() + " configs, B_max "
                        + hub.maxEpochs() + ", budget " + b + ", " + seeds + " seeds)");
            } catch (dev.dl4jfms.transfer.PriorMismatchException e) {
                throw new CliException(e.getMessage());
            }
            for (MethodSummary m : metrics.summary()) {
                w.printf(java.util.Locale.ROOT, "%-16s regret at 100%% budget %.4f, mean rank %.2f%n", m.method(),
                        m.regretAtFraction().get(m.regretAtFraction().size() - 1).mean(), m.meanRank().mean());
            }
            w.printf("Wrote curves.csv, summary.csv, summary.md and regret.png to %s%n", out.toAbsolutePath());
            w.flush();
        }
        return FmsCli.EXIT_OK;
    }

    private static HubBench.SpeedLevers parseSpeedLevers(String text) {
        String[] p = text.split(",");
        if (p.length != 4) {
            throw new CliException("--speed-levers must be subset,patience,minImprovement,refitEvery, got '" + text
                    + "'");
        }
        try {
            return new HubBench.SpeedLevers(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()),
                    Double.parseDouble(p[2].trim()), Integer.parseInt(p[3].trim()));
        } catch (IllegalArgumentException e) { // NumberFormatException included
            throw new CliException("--speed-levers: " + e.getMessage());
        }
    }
}
