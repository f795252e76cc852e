package dev.dl4jfms.examples.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The hub CSV format of {@code docs/hub-csv-format.md}: header {@code config_id,<hyperparameters...>,epoch,
 * val_metric,test_metric,train_loss,seconds}, one row per (configuration, epoch), RFC 4180 quoting, empty cell = not
 * recorded. {@link HubCsvWriter} writes it, {@link #read(Path)} reads and validates it.
 */
public final class HubCsv {

    /** The fixed trailing columns, in order. */
    public static final List<String> METRIC_COLUMNS = List.of("epoch", "val_metric", "test_metric", "train_loss", "seconds");
    /** Name of the first column. */
    public static final String ID_COLUMN = "config_id";

    private HubCsv() {
    }

    /**
     * One (configuration, epoch) row. Metrics are NaN when not recorded (empty cell) or diverged ({@code NaN}).
     *
     * @param params hyperparameter values as text, in the order of the table's parameter names
     * @param epoch  1-based: the values after training this many epochs
     */
    public record Row(long configId, List<String> params, int epoch, double valMetric, double testMetric,
                      double trainLoss, double seconds) {
        public Row {
            params = List.copyOf(params);
            if (configId < 0) {
                throw new IllegalArgumentException("config_id must be >= 0, got " + configId);
            }
            if (epoch < 1) {
                throw new IllegalArgumentException("epoch must be >= 1 (1-based), got " + epoch);
            }
        }
    }

    /** Checks hyperparameter column names: non-blank, unique, not a fixed column name. */
    static void checkParamNames(List<String> paramNames) {
        Set<String> seen = new java.util.HashSet<>();
        for (String p : paramNames) {
            if (p == null || p.isBlank()) {
                throw new IllegalArgumentException("hyperparameter column names must be non-blank: " + paramNames);
            }
            if (p.equals(ID_COLUMN) || METRIC_COLUMNS.contains(p)) {
                throw new IllegalArgumentException("hyperparameter column '" + p + "' collides with a fixed column name");
            }
            if (!seen.add(p)) {
                throw new IllegalArgumentException("duplicate hyperparameter column '" + p + "'");
            }
        }
    }

    /**
     * Reads and validates a hub CSV: header layout, cell counts, numbers, epochs 1..n contiguous per configuration,
     * and the same hyperparameter values on every row of a configuration.
     *
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException naming file, line and problem when the content is malformed
     */
    public static HubTable read(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            CsvLineReader csv = new CsvLineReader(in);
            List<String> header = csv.next();
            if (header == null) {
                throw new IllegalArgumentException(file + ": empty file, expected a hub CSV header");
            }
            int n = header.size();
            if (n < 1 + METRIC_COLUMNS.size() || !header.get(0).equals(ID_COLUMN)
                    || !header.subList(n - METRIC_COLUMNS.size(), n).equals(METRIC_COLUMNS)) {
                throw new IllegalArgumentException(file + ":1: header must be 'config_id,<hyperparameters...>,"
                        + String.join(",", METRIC_COLUMNS) + "', got '" + String.join(",", header) + "'");
            }
            List<String> paramNames = header.subList(1, n - METRIC_COLUMNS.size());
            try {
                checkParamNames(paramNames);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":1: " + e.getMessage(), e);
            }
            List<Row> rows = new ArrayList<>();
            List<String> cells;
            while ((cells = csv.next()) != null) {
                int line = csv.lineNumber();
                if (cells.size() == 1 && cells.get(0).isEmpty()) {
                    continue; // blank line
                }
                if (cells.size() != n) {
                    throw new IllegalArgumentException(file + ":" + line + ": " + cells.size() + " cells, header has " + n);
                }
                try {
                    rows.add(new Row(Long.parseLong(cells.get(0).trim()), cells.subList(1, n - 5),
                            Integer.parseInt(cells.get(n - 5).trim()), number(cells.get(n - 4)),
                            number(cells.get(n - 3)), number(cells.get(n - 2)), number(cells.get(n - 1))));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ":" + line + ": " + e.getMessage(), e);
                }
            }
            try {
                return new HubTable(paramNames, rows);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
        }
    }

    private static double number(String cell) {
        String s = cell.trim();
        if (s.isEmpty()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + cell + "' is not a number");
        }
    }

    /** A number as written in the file: shortest round-trip decimal, empty for NaN. */
    static String format(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Infinity" : "-Infinity";
        }
        return Double.toString(v);
    }

    /** RFC 4180 quoting: fields with comma, quote, CR or LF are quoted, quotes doubled. */
    static String quote(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    /** Minimal RFC 4180 record reader (quoted fields may contain commas, quotes and line breaks). */
    static final class CsvLineReader {
        private final BufferedReader in;
        private int line;
        private int recordStart;

        CsvLineReader(BufferedReader in) {
            this.in = in;
        }

        /** Line number where the last returned record started. */
        int lineNumber() {
            return recordStart;
        }

        List<String> next() throws IOException {
            String text = in.readLine();
            if (text == null) {
                return null;
            }
            line++;
            recordStart = line;
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            int i = 0;
            while (true) {
                if (i == text.length()) {
                    if (!quoted) {
                        break;
                    }
                    String more = in.readLine();
                    if (more == null) {
                        throw new IllegalArgumentException("line " + recordStart + ": unterminated quoted field");
                    }
                    line++;
                    cell.append('\n');
                    text = more;
                    i = 0;
                    continue;
                }
                char c = text.charAt(i++);
                if (quoted) {
                    if (c == '"') {
                        if (i < text.length() && text.charAt(i) == '"') {
                            cell.append('"');
                            i++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        cell.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    cells.add(cell.toString());
                    cell.setLength(0);
                } else {
                    cell.append(c);
                }
            }
            cells.add(cell.toString());
            return cells;
        }
    }
}
