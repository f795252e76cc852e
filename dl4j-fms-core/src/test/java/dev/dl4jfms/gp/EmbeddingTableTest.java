package dev.dl4jfms.gp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dl4jfms.graph.NetworkWeights;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The embedding cache: rows in the order asked, shared keys embedded once, zeros without a key. */
class EmbeddingTableTest {

    @Test
    void rowsAreEachKeysOwnEmbeddingInTheOrderAskedAndZeroWithoutAKey() {
        Map<String, NetworkWeights> store = new HashMap<>();
        Map<String, Integer> loads = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            store.put("k" + i, LinearStatisticsEmbedderFixture.syntheticNetwork(0.1 + 0.2 * i, 10L + i));
        }
        LinearStatisticsEmbedderFixture embedder = new LinearStatisticsEmbedderFixture(3, 7);
        EmbeddingTable table = new EmbeddingTable(embedder, k -> {
            loads.merge(k, 1, Integer::sum);
            return store.get(k);
        }, DataType.DOUBLE, 2); // chunks of 2 networks: the cache grows over several embedder calls

        INDArray first = table.rows(Arrays.asList("k2", null, "k0", "k2", "k1"));
        INDArray second = table.rows(Arrays.asList("k4", "k0", "k3", null)); // two new keys appended to the cache
        assertArrayEquals(new long[] {5, 3}, first.shape());
        assertRowIsEmbeddingOf(first, 0, embedder, store.get("k2"));
        assertEquals(0.0, first.getRow(1).norm2Number().doubleValue(), 0.0);
        assertRowIsEmbeddingOf(first, 2, embedder, store.get("k0"));
        assertEquals(first.getRow(0), first.getRow(3));
        assertRowIsEmbeddingOf(first, 4, embedder, store.get("k1"));
        assertRowIsEmbeddingOf(second, 0, embedder, store.get("k4"));
        assertRowIsEmbeddingOf(second, 1, embedder, store.get("k0"));
        assertRowIsEmbeddingOf(second, 2, embedder, store.get("k3"));
        assertEquals(0.0, second.getRow(3).norm2Number().doubleValue(), 0.0);
        assertEquals(Map.of("k0", 1, "k1", 1, "k2", 1, "k3", 1, "k4", 1), loads, "each network loaded once");

        // new embedder parameters: invalidate, and the rows follow them
        INDArray before = table.rows(List.of("k3"));
        embedder.setParameters(embedder.parameters().mul(2.0));
        table.invalidate();
        INDArray after = table.rows(List.of("k3"));
        assertNotEquals(before, after);
        assertRowIsEmbeddingOf(after, 0, embedder, store.get("k3"));

        EmbeddingTable broken = new EmbeddingTable(embedder, k -> null, DataType.DOUBLE);
        assertThrows(IllegalStateException.class, () -> broken.rows(List.of("gone")));
        // a failure part way (second chunk) leaves the cache as it was: the good key still works afterwards
        EmbeddingTable partly = new EmbeddingTable(embedder, k -> k.startsWith("bad") ? null : store.get(k),
                DataType.DOUBLE, 1);
        assertThrows(IllegalStateException.class, () -> partly.rows(List.of("k0", "bad")));
        assertRowIsEmbeddingOf(partly.rows(List.of("k0")), 0, embedder, store.get("k0"));
    }

    private static void assertRowIsEmbeddingOf(INDArray rows, int row, LinearStatisticsEmbedderFixture embedder,
                                               NetworkWeights network) {
        INDArray expected = embedder.embed(List.of(network)).castTo(DataType.DOUBLE);
        for (int j = 0; j < expected.columns(); j++) {
            assertEquals(expected.getDouble(0, j), rows.getDouble(row, j), 1e-12, "row " + row + " column " + j);
        }
    }
}
