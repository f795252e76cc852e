package dev.dl4jfms.store;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The on-disk format of a {@link ModelSnapshot} blob, and its atomic, checksummed writing and verified reading.
 *
 * <p>Layout (big-endian, {@link DataOutputStream} conventions): the 8-byte magic {@code DL4JFMSS}, an int format
 * version, the model type name, the epoch count (int), the iteration count (long), the configuration JSON (int
 * byte length + UTF-8 bytes), the parameters ({@link Nd4j#write(INDArray, DataOutputStream)}, which records shape
 * and data type), a flag byte and the updater state when present, and the 4-byte trailer {@code END!}. The trailer
 * makes truncation detectable even without the catalog's SHA-256.
 *
 * <p>Writes go to {@code <name>.tmp} in the target folder, are forced to disk, then atomically renamed; a crash
 * therefore leaves at most an orphan {@code .tmp} file, never a truncated blob under its final name.
 */
public final class SnapshotBlobFormat {

    /** File name suffix of finished blobs. */
    public static final String BLOB_SUFFIX = ".fmsb";
    /** File name suffix of blobs being written. */
    public static final String TEMP_SUFFIX = ".tmp";
    /** The format version this build writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private static final byte[] MAGIC = "DL4JFMSS".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRAILER = "END!".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_CONFIG_BYTES = 64 * 1024 * 1024;

    private SnapshotBlobFormat() {
    }

    /** Size, SHA-256 (lower-case hex) and parameter data type of a written blob. */
    public record WrittenBlob(Path path, long byteSize, String sha256, String dataType) {
    }

    /**
     * Writes {@code snapshot} to {@code target} atomically: temporary file, fsync, rename, fsync of the folder.
     *
     * @throws StoreException naming the file when writing fails (the temporary file is removed)
     */
    public static WrittenBlob write(ModelSnapshot snapshot, Path target) {
        Path folder = target.toAbsolutePath().getParent();
        Path temp = folder.resolve(target.getFileName() + TEMP_SUFFIX);
        MessageDigest digest = sha256();
        try {
            Files.createDirectories(folder);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                DataOutputStream out = new DataOutputStream(new DigestOutputStream(
                        new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16), digest));
                writeBody(snapshot, out);
                out.flush();
                channel.force(true);
            }
            moveAtomically(temp, target);
            forceFolder(folder);
            return new WrittenBlob(target, Files.size(target), HexFormat.of().formatHex(digest.digest()),
                    snapshot.params().dataType().name());
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the orphan is swept when the store is next opened
            }
            throw new StoreException("Cannot write checkpoint blob " + target + ": " + e, e);
        }
    }

    /**
     * Reads a blob, first checking its size and SHA-256 against the catalog's values (either may be null to skip
     * that check).
     *
     * @throws StoreException naming the file when it is missing, truncated, corrupted or fails its checksum
     */
    public static ModelSnapshot read(Path blob, Long expectedSize, String expectedSha256) {
        verify(blob, expectedSize, expectedSha256);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(blob), 1 << 16))) {
            return readBody(blob, in);
        } catch (EOFException e) {
            throw new StoreException("Checkpoint blob " + blob + " is truncated (ends before its trailer)", e);
        } catch (IOException e) {
            throw new StoreException("Cannot read checkpoint blob " + blob + ": " + e, e);
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StoreException("Checkpoint blob " + blob + " is corrupted: " + e, e);
        }
    }

    /**
     * Checks that a blob exists and matches the catalog's size and SHA-256 (either may be null to skip that check)
     * without parsing it.
     *
     * @throws StoreException naming the file when it is missing, truncated, or fails its checksum
     */
    public static void verify(Path blob, Long expectedSize, String expectedSha256) {
        if (!Files.isRegularFile(blob)) {
            throw new StoreException("Checkpoint blob " + blob + " is missing");
        }
        try {
            long size = Files.size(blob);
            if (expectedSize != null && size != expectedSize) {
                throw new StoreException("Checkpoint blob " + blob + " is " + size + " bytes, the store recorded "
                        + expectedSize + (size < expectedSize ? " (truncated)" : " (extra bytes)"));
            }
            if (expectedSha256 != null) {
                String actual = sha256Of(blob);
                if (!actual.equalsIgnoreCase(expectedSha256)) {
                    throw new StoreException("Checkpoint blob " + blob + " fails its SHA-256 check (corrupted): "
                            + "expected " + expectedSha256 + ", found " + actual);
                }
            }
        } catch (IOException e) {
            throw new StoreException("Cannot read checkpoint blob " + blob + ": " + e, e);
        }
    }

    /** Lower-case hex SHA-256 of a file's bytes. */
    public static String sha256Of(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void writeBody(ModelSnapshot snapshot, DataOutputStream out) throws IOException {
        out.write(MAGIC);
        out.writeInt(FORMAT_VERSION);
        out.writeUTF(snapshot.modelType().name());
        out.writeInt(snapshot.epochCount());
        out.writeLong(snapshot.iterationCount());
        byte[] config = snapshot.configJson().getBytes(StandardCharsets.UTF_8);
        out.writeInt(config.length);
        out.write(config);
        Nd4j.write(detached(snapshot.params()), out);
        out.writeBoolean(snapshot.updaterState() != null);
        if (snapshot.updaterState() != null) {
            Nd4j.write(detached(snapshot.updaterState()), out);
        }
        out.write(TRAILER);
    }

    private static ModelSnapshot readBody(Path blob, DataInputStream in) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new StoreException("File " + blob + " is not a dl4j-fms checkpoint blob (bad magic header)");
        }
        int version = in.readInt();
        if (version != FORMAT_VERSION) {
            throw new StoreException("Checkpoint blob " + blob + " has format version " + version
                    + "; this build reads version " + FORMAT_VERSION);
        }
        ModelSnapshot.ModelType type;
        String typeName = in.readUTF();
        try {
            type = ModelSnapshot.ModelType.valueOf(typeName);
        } catch (IllegalArgumentException e) {
            throw new StoreException("Checkpoint blob " + blob + " names unknown model type '" + typeName + "'");
        }
        int epochCount = in.readInt();
        long iterationCount = in.readLong();
        int configLength = in.readInt();
        if (configLength < 0 || configLength > MAX_CONFIG_BYTES) {
            throw new StoreException("Checkpoint blob " + blob + " is corrupted: configuration length "
                    + configLength);
        }
        byte[] config = new byte[configLength];
        in.readFully(config);
        INDArray params = Nd4j.read(in);
        INDArray updater = in.readBoolean() ? Nd4j.read(in) : null;
        byte[] trailer = new byte[TRAILER.length];
        in.readFully(trailer);
        if (!Arrays.equals(trailer, TRAILER) || in.read() != -1) {
            throw new StoreException("Checkpoint blob " + blob + " is corrupted: bad trailer");
        }
        return new ModelSnapshot(type, new String(config, StandardCharsets.UTF_8), params, updater, epochCount,
                iterationCount);
    }

    private static INDArray detached(INDArray array) {
        return array.isView() ? array.dup() : array;
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + to.getParent() + " cannot rename atomically", e);
        }
    }

    private static void forceFolder(Path folder) {
        // Makes the rename durable on Linux; not supported on every platform, where the rename is still atomic.
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
