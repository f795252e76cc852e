package dev.dl4jfms.examples.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hub read from CSV: per configuration its hyperparameter values and per-epoch rows (epoch 1..n, contiguous).
 * Configurations may have fewer epochs than others (diverged or failed runs).
 */
public final class HubTable {

    private final List<String> paramNames;
    private final Map<Long, List<HubCsv.Row>> byConfig;

    /** Groups rows by configuration and validates them; rows may come in any order. */
    public HubTable(List<String> paramNames, List<HubCsv.Row> rows) {
        this.paramNames = List.copyOf(paramNames);
        Map<Long, List<HubCsv.Row>> grouped = new LinkedHashMap<>();
        for (HubCsv.Row r : rows) {
            if (r.params().size() != paramNames.size()) {
                throw new IllegalArgumentException("config " + r.configId() + " has " + r.params().size()
                        + " hyperparameter values for " + paramNames.size() + " columns");
            }
            grouped.computeIfAbsent(r.configId(), k -> new ArrayList<>()).add(r);
        }
        if (grouped.isEmpty()) {
            throw new IllegalArgumentException("hub has no rows");
        }
        for (Map.Entry<Long, List<HubCsv.Row>> e : grouped.entrySet()) {
            List<HubCsv.Row> list = e.getValue();
            list.sort((a, b) -> Integer.compare(a.epoch(), b.epoch()));
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i).epoch() != i + 1) {
                    throw new IllegalArgumentException("config " + e.getKey() + ": epochs must be 1.." + list.size()
                            + " without gaps or repeats, found epoch " + list.get(i).epoch() + " at position " + (i + 1));
                }
                if (!list.get(i).params().equals(list.get(0).params())) {
                    throw new IllegalArgumentException("config " + e.getKey() + ": hyperparameters differ between epoch 1 "
                            + list.get(0).params() + " and epoch " + (i + 1) + " " + list.get(i).params());
                }
            }
            e.setValue(List.copyOf(list));
        }
        this.byConfig = Collections.unmodifiableMap(grouped);
    }

    public List<String> paramNames() { return paramNames; }

    /** Configuration ids in first-seen order. */
    public List<Long> configIds() { return List.copyOf(byConfig.keySet()); }

    /** Rows of one configuration, epoch 1..n. */
    public List<HubCsv.Row> rows(long configId) {
        List<HubCsv.Row> r = byConfig.get(configId);
        if (r == null) {
            throw new IllegalArgumentException("no configuration " + configId + " in hub");
        }
        return r;
    }

    /** All rows, grouped by configuration, epochs ascending. */
    public List<HubCsv.Row> allRows() {
        List<HubCsv.Row> all = new ArrayList<>();
        byConfig.values().forEach(all::addAll);
        return all;
    }

    /** The largest number of epochs of any configuration (B_max). */
    public int maxEpochs() {
        return byConfig.values().stream().mapToInt(List::size).max().orElse(0);
    }

    /** Best and worst validation value at any epoch of any configuration. */
    public HubRange range(boolean maximize) {
        return HubRange.of(allRows().stream().mapToDouble(HubCsv.Row::valMetric).toArray(), maximize);
    }
}
