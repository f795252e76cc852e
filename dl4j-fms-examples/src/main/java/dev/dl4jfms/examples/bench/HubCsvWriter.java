package dev.dl4jfms.examples.bench;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams a hub CSV ({@code docs/hub-csv-format.md}) row by row, e.g. from a checkpoint store during
 * {@code fms hub export}. Checks each row against the declared hyperparameter columns.
 */
public final class HubCsvWriter implements Closeable {

    private final BufferedWriter out;
    private final List<String> paramNames;
    private final Path file;

    /**
     * Creates (or truncates) {@code file} and writes the header.
     *
     * @param paramNames hyperparameter column names, in order
     */
    public HubCsvWriter(Path file, List<String> paramNames) throws IOException {
        HubCsv.checkParamNames(paramNames);
        this.file = file;
        this.paramNames = List.copyOf(paramNames);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        List<String> header = new ArrayList<>();
        header.add(HubCsv.ID_COLUMN);
        header.addAll(paramNames);
        header.addAll(HubCsv.METRIC_COLUMNS);
        writeCells(header);
    }

    /** Appends one row; its parameter count must match the header. */
    public void write(HubCsv.Row row) throws IOException {
        if (row.params().size() != paramNames.size()) {
            throw new IllegalArgumentException(file + ": config " + row.configId() + " epoch " + row.epoch() + " has "
                    + row.params().size() + " hyperparameter values for " + paramNames.size() + " columns " + paramNames);
        }
        List<String> cells = new ArrayList<>();
        cells.add(Long.toString(row.configId()));
        cells.addAll(row.params());
        cells.add(Integer.toString(row.epoch()));
        cells.add(HubCsv.format(row.valMetric()));
        cells.add(HubCsv.format(row.testMetric()));
        cells.add(HubCsv.format(row.trainLoss()));
        cells.add(HubCsv.format(row.seconds()));
        writeCells(cells);
    }

    private void writeCells(List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(HubCsv.quote(cells.get(i)));
        }
        out.write('\n');
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
