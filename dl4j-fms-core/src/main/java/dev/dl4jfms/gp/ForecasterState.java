package dev.dl4jfms.gp;

import dev.dl4jfms.embed.TrainableWeightEmbedder;
import dev.dl4jfms.forecast.CurveObservation;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Saves and loads the whole state of a {@link DeepKernelForecaster}: GP hyperparameters, network weights, trainable
 * embedder parameters, target/curve scaling, schedule counters and the training rows of the posterior with the
 * number of them the last fit normalised on and the sizes of the extensions that added the rest (so the
 * loaded forecaster predicts exactly as the saved one; a later study can also just {@code fit} on its own rows,
 * warm-starting from the loaded parameters, see {@link DeepKernelForecaster#warmStartNextFit()}).
 *
 * <p>Format: a versioned binary stream ({@link DataOutputStream}); values are stored as doubles whatever the
 * forecaster's data type. The embedder object itself (its architecture) and the weights loader come from the
 * builder given to {@link #load}.
 */
public final class ForecasterState {
    private static final int MAGIC = 0x444B4750; // "DKGP"
    private static final int VERSION = 2;
    /** Version 1 had no normalised-row count: its posterior was always normalised on all training rows. */
    private static final int VERSION_WITHOUT_NORMALISED_ROWS = 1;

    private ForecasterState() {
    }

    /** Writes the state to {@code file} (replaced if present). */
    public static void save(DeepKernelForecaster f, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            save(f, out);
        }
    }

    /** Writes the state to {@code stream} (not closed). */
    public static void save(DeepKernelForecaster f, OutputStream stream) throws IOException {
        DataOutputStream out = new DataOutputStream(stream);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(f.settings.inputDimension);
        out.writeBoolean(f.settings.useCurve);
        out.writeInt(f.network.embeddingDim());
        out.writeInt(f.refitCount);
        out.writeBoolean(f.coldNext);
        out.writeDouble(f.targetShift);
        out.writeDouble(f.targetScale);
        writeDoubles(out, f.gp.rawParameters());
        Map<String, INDArray> params = f.network.parameters();
        out.writeInt(params.size());
        for (Map.Entry<String, INDArray> p : params.entrySet()) {
            out.writeUTF(p.getKey());
            writeDoubles(out, p.getValue().dup().reshape(-1).toDoubleVector());
        }
        boolean trainable = f.settings.embedder instanceof TrainableWeightEmbedder;
        out.writeBoolean(trainable);
        if (trainable) {
            writeDoubles(out, ((TrainableWeightEmbedder) f.settings.embedder).parameters().dup().reshape(-1)
                    .toDoubleVector());
        }
        out.writeInt(f.trainingRows.size());
        for (CurveObservation o : f.trainingRows) {
            writeDoubles(out, o.config());
            out.writeInt(o.epoch());
            out.writeInt(o.maxEpochs());
            writeDoubles(out, o.curvePrefix());
            out.writeBoolean(o.weightsKey() != null);
            if (o.weightsKey() != null) {
                out.writeUTF(o.weightsKey());
            }
            out.writeDouble(o.value());
        }
        out.writeInt(f.normalisedRows);
        List<Integer> extensions = f.extensionSizes();
        out.writeInt(extensions.size());
        for (int size : extensions) {
            out.writeInt(size);
        }
        out.flush();
    }

    /** Reads a state from {@code file} into a forecaster built by {@code builder}. */
    public static DeepKernelForecaster load(Path file, DeepKernelForecasterBuilder builder) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return load(in, builder, file.toString());
        }
    }

    /**
     * Reads a state into a new forecaster from {@code builder}, whose input dimension, curve branch and embedder
     * dimension must match the saved ones; if the state holds training rows, the GP is conditioned on them.
     */
    public static DeepKernelForecaster load(InputStream stream, DeepKernelForecasterBuilder builder, String source)
            throws IOException {
        DataInputStream in = new DataInputStream(stream);
        if (in.readInt() != MAGIC) {
            throw new IOException(source + ": not a saved deep-kernel forecaster state");
        }
        int version = in.readInt();
        if (version != VERSION && version != VERSION_WITHOUT_NORMALISED_ROWS) {
            throw new IOException(source + ": unsupported state version " + version + " (readable: "
                    + VERSION_WITHOUT_NORMALISED_ROWS + ", " + VERSION + ")");
        }
        DeepKernelForecaster f = builder.build();
        int inputDim = in.readInt();
        boolean useCurve = in.readBoolean();
        int embeddingDim = in.readInt();
        if (inputDim != f.settings.inputDimension || useCurve != f.settings.useCurve
                || embeddingDim != f.network.embeddingDim()) {
            throw new IOException(source + ": saved forecaster has inputDimension=" + inputDim + " curve=" + useCurve
                    + " embeddingDim=" + embeddingDim + ", the builder gives " + f.settings.inputDimension + "/"
                    + f.settings.useCurve + "/" + f.network.embeddingDim());
        }
        f.refitCount = in.readInt();
        f.coldNext = in.readBoolean();
        f.targetShift = in.readDouble();
        f.targetScale = in.readDouble();
        f.gp.setRawParameters(readDoubles(in));
        Map<String, INDArray> params = f.network.parameters();
        int count = in.readInt();
        if (count != params.size()) {
            throw new IOException(source + ": " + count + " network parameters saved, expected " + params.size());
        }
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            double[] values = readDoubles(in);
            INDArray live = params.get(name);
            if (live == null || live.length() != values.length) {
                throw new IOException(source + ": network parameter '" + name + "' is missing or has "
                        + values.length + " values");
            }
            live.assign(Nd4j.createFromArray(values).castTo(live.dataType()).reshape(live.shape()));
        }
        if (in.readBoolean()) {
            double[] values = readDoubles(in);
            if (!(f.settings.embedder instanceof TrainableWeightEmbedder t) || t.numParameters() != values.length) {
                throw new IOException(source + ": saved embedder parameters (" + values.length
                        + ") do not fit the builder's embedder");
            }
            INDArray current = t.parameters();
            t.setParameters(Nd4j.createFromArray(values).castTo(current.dataType()).reshape(current.shape()));
        }
        int rows = in.readInt();
        List<CurveObservation> obs = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            double[] config = readDoubles(in);
            int epoch = in.readInt();
            int maxEpochs = in.readInt();
            double[] prefix = readDoubles(in);
            String key = in.readBoolean() ? in.readUTF() : null;
            obs.add(new CurveObservation(config, epoch, maxEpochs, prefix, key, in.readDouble()));
        }
        f.trainingRows = List.copyOf(obs);
        f.normalisedRows = version == VERSION_WITHOUT_NORMALISED_ROWS ? rows : in.readInt();
        List<Integer> extensions = new ArrayList<>();
        int extensionCount = version == VERSION_WITHOUT_NORMALISED_ROWS ? 0 : in.readInt();
        if (extensionCount < 0 || extensionCount > rows) {
            throw new IOException(source + ": corrupt state: " + extensionCount + " extensions of " + rows + " rows");
        }
        for (int i = 0; i < extensionCount; i++) {
            extensions.add(in.readInt());
        }
        try {
            f.reconditionOnTrainingRows(extensions);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": corrupt state: " + e.getMessage(), e);
        } catch (GpNumericalException e) {
            throw new IOException(source + ": the saved parameters give no valid posterior on the saved rows ("
                    + e.getMessage() + ")", e);
        }
        return f;
    }

    private static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
        out.writeInt(values.length);
        for (double v : values) {
            out.writeDouble(v);
        }
    }

    private static double[] readDoubles(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 100_000_000) {
            throw new IOException("corrupt state: array length " + n);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readDouble();
        }
        return v;
    }
}
