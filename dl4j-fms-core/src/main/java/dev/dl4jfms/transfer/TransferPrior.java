package dev.dl4jfms.transfer;

import dev.dl4jfms.gp.DeepKernelForecaster;
import dev.dl4jfms.gp.DeepKernelForecasterBuilder;
import dev.dl4jfms.gp.ForecasterState;
import dev.dl4jfms.gp.MultiTaskFit;
import dev.dl4jfms.forecast.Forecaster;
import dev.dl4jfms.study.MetricDirection;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * A meta-trained forecaster to start a study from (docs/transfer.md): the deep-kernel forecaster's parameters and
 * everything needed to use them correctly, in one versioned file (a zip with {@code prior.json} and
 * {@code forecaster.state}): the format version, the forecaster kind ({@code dyhpo}, {@code fms-stats},
 * {@code fms-gmn}), the hyperparameter encoding, the metric and its direction, the sources and the command that
 * built it, what the meta-training did, and the SHA-256 of the state. {@link #load} refuses a file of another
 * version or whose state does not match its checksum; {@link #checkFits} one made for another forecaster, metric or
 * direction - each with one line naming the file and the mismatch.
 */
public final class TransferPrior {

    /** Version of the file format this code reads and writes. */
    public static final int FORMAT_VERSION = 1;
    private static final String META = "prior.json";
    private static final String STATE = "forecaster.state";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final HyperparameterEncoding encoding;
    private final PriorMean mean;
    private final double[][] batchNorm;
    private final String forecasterKind;
    private final String metric;
    private final MetricDirection direction;
    private final List<String> sources;
    private final String command;
    private final String created;
    private final ObjectNode training;
    private final byte[] state;

    private TransferPrior(String source, HyperparameterEncoding encoding, PriorMean mean, double[][] batchNorm,
                          String forecasterKind, String metric,
                          MetricDirection direction, List<String> sources, String command, String created,
                          ObjectNode training, byte[] state) {
        this.source = source;
        this.encoding = encoding;
        this.mean = mean;
        this.batchNorm = batchNorm;
        this.forecasterKind = forecasterKind;
        this.metric = metric;
        this.direction = direction;
        this.sources = List.copyOf(sources);
        this.command = command;
        this.created = created;
        this.training = training;
        this.state = state;
    }

    /** A prior from a meta-training result. */
    public static TransferPrior of(MetaTrainer.Result result, String forecasterKind, String metric,
                                   MetricDirection direction, List<String> sources, String command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ForecasterState.save(result.forecaster(), bytes);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise the forecaster", e);
        }
        MultiTaskFit.Report r = result.report();
        ObjectNode training = JSON.createObjectNode().put("steps", r.steps()).put("tasks", r.tasks())
                .put("rows", r.rows()).put("nllFirst", r.meanNllFirst()).put("nllLast", r.meanNllLast())
                .put("seconds", r.seconds());
        double[][] bn = result.forecaster().batchNormStatistics();
        if (bn == null) {
            throw new IllegalArgumentException("the meta-trained forecaster has no BatchNorm statistics");
        }
        return new TransferPrior("(new)", result.encoding(), result.mean(), bn, forecasterKind, metric, direction, sources, command,
                Instant.now().toString(), training, bytes.toByteArray());
    }

    /** Writes the prior to {@code file} (replaced if present). */
    public void save(Path file) throws IOException {
        ObjectNode meta = JSON.createObjectNode().put("format", "dl4j-fms prior").put("version", FORMAT_VERSION)
                .put("forecaster", forecasterKind).put("metric", metric).put("direction", direction.name())
                .put("command", command).put("created", created).put("sha256", sha256(state));
        meta.set("encoding", encoding.toJson());
        meta.set("priorMean", mean.toJson());
        ObjectNode bn = meta.putObject("batchNorm");
        java.util.Arrays.stream(batchNorm[0]).forEach(bn.putArray("mean")::add);
        java.util.Arrays.stream(batchNorm[1]).forEach(bn.putArray("variance")::add);
        sources.forEach(meta.putArray("sources")::add);
        meta.set("training", training);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(META));
            zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(STATE));
            zip.write(state);
            zip.closeEntry();
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads a prior written by {@link #save}; the message of a refusal names the file and what is wrong. */
    public static TransferPrior load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, file.toString());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(file + ": no such prior file", e);
        }
    }

    /**
     * Reads a prior written by {@link #save} from {@code stream} (not closed), e.g. a resource; {@code name} names it
     * in messages.
     */
    public static TransferPrior load(InputStream stream, String name) throws IOException {
        Path file = Path.of(name);
        byte[] meta = null;
        byte[] state = null;
        try {
            ZipInputStream zip = new ZipInputStream(stream);
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (META.equals(e.getName())) {
                    meta = zip.readAllBytes();
                } else if (STATE.equals(e.getName())) {
                    state = zip.readAllBytes();
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(file + ": not a dl4j-fms prior (" + e.getMessage() + ")", e);
        }
        if (meta == null || state == null) {
            throw new IOException(file + ": not a dl4j-fms prior (no " + META + " and " + STATE + " inside)");
        }
        JsonNode m;
        try {
            m = JSON.readTree(new String(meta, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException(file + ": not a dl4j-fms prior (" + META + " is not JSON)", e);
        }
        int version = m.path("version").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw new IOException(file + ": prior format version " + version + ", this dl4j-fms reads version "
                    + FORMAT_VERSION + "; rebuild it with fms meta-train");
        }
        if (!sha256(state).equals(m.path("sha256").asText())) {
            throw new IOException(file + ": the forecaster state does not match its SHA-256 (file damaged)");
        }
        List<String> sources = new ArrayList<>();
        m.path("sources").forEach(s -> sources.add(s.asText()));
        MetricDirection direction;
        try {
            direction = MetricDirection.valueOf(m.path("direction").asText());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": unknown metric direction '" + m.path("direction").asText() + "'");
        }
        HyperparameterEncoding encoding;
        PriorMean mean;
        try {
            encoding = HyperparameterEncoding.fromJson(m.path("encoding"));
            mean = PriorMean.fromJson(m.path("priorMean"));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
        double[][] bn = {doubles(m.path("batchNorm").path("mean")), doubles(m.path("batchNorm").path("variance"))};
        if (bn[0].length == 0 || bn[0].length != bn[1].length) {
            throw new IOException(file + ": the prior's BatchNorm statistics are missing or of two widths");
        }
        return new TransferPrior(name, encoding, mean, bn,
                m.path("forecaster").asText(), m.path("metric").asText(), direction, sources,
                m.path("command").asText(), m.path("created").asText(), (ObjectNode) m.path("training"), state);
    }

    /**
     * Refuses the prior for a study of another forecaster kind, metric or direction.
     *
     * @throws PriorMismatchException naming the file and the mismatch
     */
    public void checkFits(String kind, String metricName, MetricDirection metricDirection) {
        if (!forecasterKind.equals(kind)) {
            throw new PriorMismatchException(source + ": prior for forecaster '" + forecasterKind + "', the study uses '"
                    + kind + "'");
        }
        if (!metric.equals(metricName)) {
            throw new PriorMismatchException(source + ": prior for metric '" + metric + "', the study optimises '"
                    + metricName + "'");
        }
        if (direction != metricDirection) {
            throw new PriorMismatchException(source + ": prior for " + direction + " of " + metric + ", the study "
                    + metricDirection + "s it");
        }
    }

    /**
     * A forecaster that starts from the prior, for configurations encoded by {@link #encoding()}: its mean plus the
     * meta-trained deep kernel of the residuals ({@link PriorMeanForecaster}), built by {@code builder} (embedder,
     * weights loader and schedule of the target study; the input dimension is set to the encoding's), whose next
     * fit starts from the meta-trained parameters in the units they were learned in.
     */
    public Forecaster forecaster(DeepKernelForecasterBuilder builder) throws IOException {
        DeepKernelForecaster f = ForecasterState.load(new ByteArrayInputStream(state),
                builder.inputDimension(encoding.dimension()), source);
        f.warmStartNextFit();
        f.fixTargetScaling(); // the units the prior was learned in (MultiTaskFit)
        f.freezeFeatures(batchNorm[0], batchNorm[1]);
        return new PriorMeanForecaster(f, mean);
    }

    /**
     * The forecaster a study that starts from this prior decides with: the prior's forecaster ({@link #forecaster},
     * its configurations encoded by name) next to the study's {@code cold} forecaster under a {@link TransferGuard}
     * with its default window, clip and minimum.
     *
     * @param builder         the study's deep-kernel builder (embedder, weights loader, schedule)
     * @param cold            the forecaster the study would use without a prior
     * @param unitVectors     the study's pool, as the policy describes configurations
     * @param hyperparameters the same configurations by name (e.g. {@link NamedHyperparameters#of})
     */
    public TransferGuard forStudy(DeepKernelForecasterBuilder builder, Forecaster cold, List<double[]> unitVectors,
                                  List<java.util.Map<String, String>> hyperparameters) throws IOException {
        if (unitVectors.size() != hyperparameters.size()) {
            throw new IllegalArgumentException("one set of named hyperparameters per pool configuration is needed");
        }
        List<double[]> named = new ArrayList<>();
        for (java.util.Map<String, String> h : hyperparameters) {
            named.add(encoding.encode(h));
        }
        return new TransferGuard(new EncodedForecaster(forecaster(builder), unitVectors, named), cold,
                TransferGuard.DEFAULT_WINDOW, TransferGuard.DEFAULT_CLIP, TransferGuard.DEFAULT_MIN_OBSERVATIONS);
    }

    /** The prior mean (the map hyperparameters → outcome of the sources). */
    public PriorMean mean() {
        return mean;
    }

    public HyperparameterEncoding encoding() {
        return encoding;
    }

    public String forecasterKind() {
        return forecasterKind;
    }

    public String metric() {
        return metric;
    }

    public MetricDirection direction() {
        return direction;
    }

    public List<String> sources() {
        return sources;
    }

    public String command() {
        return command;
    }

    /** Where it was read from ({@code (new)} before saving). */
    public String location() {
        return source;
    }

    /** Steps, tasks, rows, NLL at the start and end and seconds of the meta-training. */
    public JsonNode training() {
        return training;
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
