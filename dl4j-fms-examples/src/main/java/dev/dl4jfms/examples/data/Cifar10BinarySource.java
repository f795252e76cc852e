package dev.dl4jfms.examples.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads records of the CIFAR-10 binary version: each file is a sequence of 3073-byte records, one label byte
 * (0–9) followed by the 1024 red, 1024 green and 1024 blue bytes of a 32×32 image. Only the requested records are
 * read (positional reads), so a small subset of the 50,000 training images costs little.
 */
final class Cifar10BinarySource implements Cifar10Source {

    /** Bytes per record: 1 label + 3 × 32 × 32 pixels. */
    static final int RECORD_BYTES = 1 + VALUES;
    private static final int NUM_CLASSES = 10;

    private final List<Path> files;
    private final long[] firstIndex; // global index of each file's first record; last entry = total
    private final ByteBuffer record = ByteBuffer.allocate(RECORD_BYTES);

    /**
     * @param files the batch files of one split, in order
     * @throws IllegalArgumentException naming the file when one is missing or its size is not a multiple of 3073
     */
    Cifar10BinarySource(List<Path> files) throws IOException {
        this.files = List.copyOf(files);
        this.firstIndex = new long[files.size() + 1];
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("CIFAR-10 batch file not found: " + file);
            }
            long size = Files.size(file);
            if (size == 0 || size % RECORD_BYTES != 0) {
                throw new IllegalArgumentException("Not a CIFAR-10 binary batch: " + file + " has " + size
                        + " bytes, expected a non-zero multiple of " + RECORD_BYTES + " (1 label + 3072 pixel bytes)");
            }
            firstIndex[i + 1] = firstIndex[i] + size / RECORD_BYTES;
        }
    }

    /** The training batches {@code data_batch_1.bin}, {@code data_batch_2.bin}, … present in {@code folder}. */
    static List<Path> trainFiles(Path folder) {
        List<Path> files = new ArrayList<>();
        for (int i = 1; Files.isRegularFile(folder.resolve("data_batch_" + i + ".bin")); i++) {
            files.add(folder.resolve("data_batch_" + i + ".bin"));
        }
        return files;
    }

    @Override
    public int size() {
        return Math.toIntExact(firstIndex[files.size()]);
    }

    @Override
    public int read(int index, int[] pixels, int offset) throws IOException {
        int file = 0;
        while (index >= firstIndex[file + 1]) {
            file++;
        }
        long position = (index - firstIndex[file]) * RECORD_BYTES;
        record.clear();
        try (FileChannel channel = FileChannel.open(files.get(file), StandardOpenOption.READ)) {
            while (record.hasRemaining()) {
                if (channel.read(record, position + record.position()) < 0) {
                    throw new IOException("Unexpected end of " + files.get(file) + " at record " + index);
                }
            }
        }
        byte[] bytes = record.array();
        int label = bytes[0] & 0xFF;
        if (label >= NUM_CLASSES) {
            throw new IOException("Invalid label " + label + " in " + files.get(file) + " record "
                    + (index - firstIndex[file]) + " (expected 0-9)");
        }
        for (int i = 0; i < VALUES; i++) {
            pixels[offset + i] = bytes[1 + i] & 0xFF;
        }
        return label;
    }
}
