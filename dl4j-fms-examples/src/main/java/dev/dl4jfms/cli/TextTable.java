package dev.dl4jfms.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A plain-text table with left-aligned text and right-aligned numbers, for terminal output. */
final class TextTable {

    private final List<String> headers;
    private final boolean[] numeric;
    private final List<String[]> rows = new ArrayList<>();

    TextTable(List<String> headers, boolean... numericColumns) {
        this.headers = List.copyOf(headers);
        this.numeric = new boolean[headers.size()];
        for (int i = 0; i < numericColumns.length && i < numeric.length; i++) {
            numeric[i] = numericColumns[i];
        }
    }

    void add(Object... cells) {
        String[] row = new String[headers.size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = i < cells.length && cells[i] != null ? cells[i].toString() : "";
        }
        rows.add(row);
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(PrintWriter out, String indent) {
        int[] width = new int[headers.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = headers.get(i).length();
            for (String[] row : rows) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        out.println(indent + line(headers.toArray(String[]::new), width).stripTrailing());
        for (String[] row : rows) {
            out.println(indent + line(row, width).stripTrailing());
        }
    }

    private String line(String[] cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                b.append("  ");
            }
            String pad = " ".repeat(width[i] - cells[i].length());
            b.append(numeric[i] ? pad + cells[i] : cells[i] + pad);
        }
        return b.toString();
    }

    /** A metric value with 4 significant decimals ("nan" for NaN, blank when absent). */
    static String number(Double value) {
        if (value == null) {
            return "";
        }
        if (value.isNaN()) {
            return "nan";
        }
        double abs = Math.abs(value);
        if (value == Math.rint(value) && abs < 1e9) {
            return Long.toString(value.longValue());
        }
        return abs != 0 && (abs < 1e-3 || abs >= 1e6) ? String.format(Locale.ROOT, "%.3e", value)
                : String.format(Locale.ROOT, "%.4f", value);
    }

    /** A byte count as B/KiB/MiB/GiB. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
