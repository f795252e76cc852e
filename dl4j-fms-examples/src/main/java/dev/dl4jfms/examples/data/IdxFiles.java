package dev.dl4jfms.examples.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX files of MNIST-format data sets (MNIST, Fashion-MNIST): unsigned-byte images ({@code idx3}) and
 * labels ({@code idx1}), gzip-compressed or raw. Files are only read, never modified or unpacked in place.
 */
public final class IdxFiles {

    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private IdxFiles() {
    }

    /**
     * Images of an IDX3 file.
     *
     * @param pixels row-major unsigned bytes, {@code count * rows * cols} of them
     */
    public record Images(Path file, int count, int rows, int cols, byte[] pixels) {
        /** Number of pixels of one image. */
        public int pixelsPerImage() {
            return rows * cols;
        }
    }

    /** Labels of an IDX1 file, one unsigned byte per example. */
    public record Labels(Path file, int count, byte[] values) {
        public int label(int index) {
            return values[index] & 0xFF;
        }
    }

    /** Reads an IDX3 unsigned-byte image file; {@code .gz} files are decompressed while reading. */
    public static Images readImages(Path file) {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new IllegalArgumentException(String.format(
                        "%s is not an IDX3 unsigned-byte image file: magic number 0x%08x, expected 0x%08x",
                        file, magic, IMAGES_MAGIC));
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (count < 0 || rows <= 0 || cols <= 0 || (long) count * rows * cols > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(String.format(
                        "%s has an implausible IDX3 header: %d images of %dx%d", file, count, rows, cols));
            }
            byte[] pixels = new byte[count * rows * cols];
            readFully(in, pixels, file);
            return new Images(file, count, rows, cols, pixels);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read IDX image file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads an IDX1 unsigned-byte label file; {@code .gz} files are decompressed while reading. */
    public static Labels readLabels(Path file) {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw new IllegalArgumentException(String.format(
                        "%s is not an IDX1 unsigned-byte label file: magic number 0x%08x, expected 0x%08x",
                        file, magic, LABELS_MAGIC));
            }
            int count = in.readInt();
            if (count < 0) {
                throw new IllegalArgumentException(file + " has a negative label count " + count);
            }
            byte[] values = new byte[count];
            readFully(in, values, file);
            return new Labels(file, count, values);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read IDX label file " + file + ": " + e.getMessage(), e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("IDX file " + file + " does not exist or is not a regular file");
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        return new DataInputStream(in);
    }

    private static void readFully(DataInputStream in, byte[] target, Path file) throws IOException {
        try {
            in.readFully(target);
        } catch (EOFException e) {
            throw new IOException(file + " is truncated: its header announces " + target.length
                    + " data bytes but the file ends earlier", e);
        }
    }
}
