package dev.dl4jfms.cli;

import dev.dl4jfms.transfer.TransferPrior;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** The value of {@code --prior}: a prior file, {@code shipped} (the resource {@link #SHIPPED}) or {@code none}. */
final class PriorOption {

    /**
     * The shipped prior: fms-stats, meta-trained on the six transfer-family hubs (hubs/family, rebuilt by
     * {@code bench/shipped-prior.sh}).
     */
    static final String SHIPPED = "/dev/dl4jfms/priors/family-fms-stats.fmsprior";

    private PriorOption() {
    }

    /**
     * The prior {@code value} names, or null for {@code none} / no option.
     *
     * @throws CliException with one line naming the file and what is wrong with it
     */
    static TransferPrior resolve(String value) {
        if (value == null || value.isBlank() || "none".equalsIgnoreCase(value.trim())) {
            return null;
        }
        try {
            if ("shipped".equalsIgnoreCase(value.trim())) {
                try (InputStream in = PriorOption.class.getResourceAsStream(SHIPPED)) {
                    if (in == null) {
                        throw new CliException("--prior shipped: the resource " + SHIPPED + " is not on the class "
                                + "path");
                    }
                    return TransferPrior.load(in, "the shipped prior (" + SHIPPED + ")");
                }
            }
            return TransferPrior.load(Path.of(value.trim()));
        } catch (IOException e) {
            throw new CliException("--prior: " + e.getMessage());
        }
    }

    /** Meta-training steps of {@code --transfer-from} (a third of {@code fms meta-train}'s default: ~30 s). */
    static final int TRANSFER_FROM_STEPS = 1000;

    /**
     * Meta-trains a prior for {@code kind} (dyhpo, fms-stats, fms-gmn) from {@code value} =
     * {@code <store>[:study,...]}; null when the store has no usable study, after saying so on {@code err} (the
     * study then starts cold).
     *
     * @throws CliException for a missing store or an unknown study
     */
    static TransferPrior transferFrom(String value, String kind, long seed, java.io.PrintWriter err) {
        String text = value.trim();
        int colon = text.lastIndexOf(':');
        Path store = Path.of(colon > 0 ? text.substring(0, colon) : text);
        java.util.List<String> studies = colon > 0 ? java.util.Arrays.stream(text.substring(colon + 1).split(","))
                .map(String::trim).filter(x -> !x.isEmpty()).toList() : java.util.List.of();
        if (!java.nio.file.Files.isRegularFile(store)) {
            throw new CliException("--transfer-from: store " + store.toAbsolutePath() + " does not exist");
        }
        try (dev.dl4jfms.examples.hub.HubTransferSources.Sources sources = dev.dl4jfms.examples.hub.HubTransferSources
                .open(java.util.List.of(store), studies, dev.dl4jfms.examples.hub.HubBuilder.VAL_METRIC)) {
            err.printf(java.util.Locale.ROOT, "fms: meta-training a %s prior on %s (%d steps) ...%n", kind,
                    sources.names(), TRANSFER_FROM_STEPS);
            err.flush();
            return MetaTrainCommand.train(sources.tasks(), sources, kind, TRANSFER_FROM_STEPS,
                    dev.dl4jfms.transfer.MetaTrainer.DEFAULT_ROWS_PER_STEP, seed, "--transfer-from " + value);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("no usable study")) {
                err.println("fms: --transfer-from " + value + ": " + e.getMessage() + "; the study starts cold");
                err.flush();
                return null;
            }
            throw new CliException("--transfer-from: " + e.getMessage());
        }
    }
}
