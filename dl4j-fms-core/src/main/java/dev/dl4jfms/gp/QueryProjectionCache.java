package dev.dl4jfms.gp;

import dev.dl4jfms.forecast.ForecastQuery;
import dev.dl4jfms.nd.Workspaces;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Features and projections ({@link ExactGp.Posterior#project}) of the queries a forecaster scored, kept while its
 * model is frozen. Between two fits a query's features do not change, and conditioning only adds training rows,
 * whose entries in every kept projection {@link ExactGp.Border#projectionColumns} computes in O(n·k) per query
 * instead of the O(n²) of a new projection. The freeze-thaw loop scores nearly the same candidates after every
 * epoch, so a prediction then computes only the queries it has not seen before. Cleared whenever the posterior is
 * rebuilt.
 *
 * <p>Layout: one preallocated c-order buffer [query capacity, width], a row per query, its first n entries the
 * projection and the rest zero (room for the rows conditioning adds); the squared norms and the features alongside.
 * Products run on the dense prefix of the used rows (ND4J copies strided views before a BLAS call: 4 MB per product
 * at 1,000 queries, more than the product), and adding training rows or queries writes only the new entries. Arrays
 * live outside every workspace. At most {@code capacity} queries are kept unless one prediction asks for more; when
 * new queries would overflow, only the queries of the current prediction are kept. Not thread-safe.
 */
final class QueryProjectionCache {
    /** Kept queries: a few pool-sized candidate sets plus held-out queries (4 MB per 1,000 queries at n = 500). */
    static final int DEFAULT_CAPACITY = 4096;
    /** Spare width allocated with the buffer, for the training rows conditioning adds before the next fit. */
    private static final int SPARE_WIDTH = 64;

    private final int capacity;
    private final Map<ForecastQuery, Integer> rowOf = new HashMap<>();
    private INDArray buffer;   // c-order [rowCapacity, width]
    private INDArray norms;    // c-order [rowCapacity, 1]
    private INDArray features; // c-order [rowCapacity, D]
    private int used;          // rows (queries) in use
    private int n;             // training rows the projections cover
    private int bordersApplied;

    QueryProjectionCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** Forgets everything (the posterior was rebuilt: the projections are of another training set or model). */
    void clear() {
        rowOf.clear();
        buffer = null;
        norms = null;
        features = null;
        used = 0;
        n = 0;
        bordersApplied = 0;
    }

    /** Adds to the kept projections the entries of the borders in {@code borders} not applied yet. */
    void catchUp(List<ExactGp.Border> borders) {
        for (int i = bordersApplied; i < borders.size(); i++) {
            ExactGp.Border border = borders.get(i);
            int k = border.size();
            if (used > 0) {
                INDArray added = border.projectionColumns(projections(), prefix(features)); // [used, k]
                Workspaces.outside(() -> {
                    ensureCapacity(used, n + k, added.dataType());
                    buffer.get(NDArrayIndex.interval(0, used), NDArrayIndex.interval(n, n + k)).assign(added);
                    prefix(norms).addi(added.mul(added).sum(true, 1));
                    return null;
                });
            }
            n += k;
        }
        bordersApplied = borders.size();
    }

    /** Row of {@code query} in {@link #projections()}, or -1. */
    int rowOf(ForecastQuery query) {
        return rowOf.getOrDefault(query, -1);
    }

    int size() {
        return rowOf.size();
    }

    /** All kept projections [c, w ≥ n] (zero beyond n), a row per query; null when empty. */
    INDArray projections() {
        return used == 0 ? null : prefix(buffer);
    }

    /** Squared norms [c, 1] of {@link #projections()}' rows; null when empty. */
    INDArray squaredNorms() {
        return used == 0 ? null : prefix(norms);
    }

    /** The first {@link #used} rows of a c-order buffer as a dense array on the same memory (not a view). */
    private INDArray prefix(INDArray rows) {
        long width = rows.columns();
        return Nd4j.create(rows.data(), new long[] {used, width}, new long[] {width, 1}, 0, 'c');
    }

    /**
     * Keeps new queries (not kept yet, distinct) with their features [k, D] and projections [k, n]. If that would
     * exceed the capacity, first drops every kept query that is not in {@code current} (the prediction's queries).
     */
    void add(List<ForecastQuery> current, List<ForecastQuery> added, INDArray addedFeatures,
             INDArray addedProjections) {
        int k = added.size();
        if (k == 0) {
            return;
        }
        if (used > 0 && addedProjections.columns() != n) {
            throw new IllegalStateException("projections over " + addedProjections.columns() + " training rows for a"
                    + " cache over " + n + " (borders not caught up)");
        }
        if (used + k > capacity && used > 0) {
            retainOnly(current);
        }
        if (used == 0) {
            n = (int) addedProjections.columns();
        }
        Workspaces.outside(() -> {
            ensureCapacity(used + k, n, addedProjections.dataType());
            if (features == null || features.columns() != addedFeatures.columns()) {
                features = Nd4j.create(addedFeatures.dataType(), buffer.rows(), addedFeatures.columns());
            }
            INDArray rows = buffer.get(NDArrayIndex.interval(used, used + k), NDArrayIndex.all());
            rows.assign(0.0); // spare width must stay zero (rows may hold dropped queries)
            buffer.get(NDArrayIndex.interval(used, used + k), NDArrayIndex.interval(0, n)).assign(addedProjections);
            norms.get(NDArrayIndex.interval(used, used + k), NDArrayIndex.all())
                    .assign(ExactGp.Posterior.squaredNorms(addedProjections));
            features.get(NDArrayIndex.interval(used, used + k), NDArrayIndex.all()).assign(addedFeatures);
            return null;
        });
        for (ForecastQuery q : added) {
            rowOf.put(q, used++);
        }
    }

    /** Grows the buffers (copying what is used) when {@code needRows × needWidth} does not fit. */
    private void ensureCapacity(int needRows, int needWidth, DataType dataType) {
        if (buffer != null && needRows <= buffer.rows() && needWidth <= buffer.columns()) {
            return;
        }
        int rowCapacity = Math.max(Math.max(needRows, Math.min(capacity, 2 * needRows)),
                buffer == null ? 0 : (int) buffer.rows());
        int width = Math.max(needWidth + (buffer == null || needWidth > buffer.columns() ? SPARE_WIDTH : 0),
                buffer == null ? 0 : (int) buffer.columns());
        INDArray grown = Nd4j.create(dataType, rowCapacity, width);
        INDArray grownNorms = Nd4j.create(dataType, rowCapacity, 1);
        if (used > 0) {
            grown.get(NDArrayIndex.interval(0, used), NDArrayIndex.interval(0, n)).assign(
                    prefix(buffer).get(NDArrayIndex.all(), NDArrayIndex.interval(0, n)));
            grownNorms.get(NDArrayIndex.interval(0, used), NDArrayIndex.all()).assign(prefix(norms));
        }
        if (features != null && features.rows() < rowCapacity) {
            INDArray grownFeatures = Nd4j.create(dataType, rowCapacity, features.columns());
            if (used > 0) {
                grownFeatures.get(NDArrayIndex.interval(0, used), NDArrayIndex.all()).assign(prefix(features));
            }
            features = grownFeatures;
        }
        buffer = grown;
        norms = grownNorms;
    }

    private void retainOnly(List<ForecastQuery> keep) {
        int[] rows = keep.stream().mapToInt(this::rowOf).filter(r -> r >= 0).distinct().toArray();
        Map<ForecastQuery, Integer> kept = new HashMap<>();
        for (ForecastQuery q : keep) {
            if (rowOf(q) >= 0 && !kept.containsKey(q)) {
                kept.put(q, kept.size()); // numbered in the order of `rows` (first occurrence)
            }
        }
        Workspaces.outside(() -> {
            if (rows.length > 0) {
                INDArray keptProjections = Nd4j.pullRows(prefix(buffer), 1, rows);
                INDArray keptNorms = Nd4j.pullRows(prefix(norms), 1, rows);
                INDArray keptFeatures = Nd4j.pullRows(prefix(features), 1, rows);
                buffer.get(NDArrayIndex.interval(0, rows.length), NDArrayIndex.all()).assign(keptProjections);
                norms.get(NDArrayIndex.interval(0, rows.length), NDArrayIndex.all()).assign(keptNorms);
                features.get(NDArrayIndex.interval(0, rows.length), NDArrayIndex.all()).assign(keptFeatures);
            }
            return null;
        });
        used = rows.length;
        rowOf.clear();
        rowOf.putAll(kept);
    }
}
