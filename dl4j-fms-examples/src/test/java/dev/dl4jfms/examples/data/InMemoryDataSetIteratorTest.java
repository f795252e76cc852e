package dev.dl4jfms.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Minibatches of image-shaped (rank 4) examples keep every example intact, in order or shuffled. */
class InMemoryDataSetIteratorTest {

    /** Example i has every feature equal to i + (position within the example) / 1000, label one-hot i % 3. */
    private static DataSet images(int n) {
        float[] f = new float[n * 2 * 3 * 3];
        float[] l = new float[n * 3];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 18; j++) {
                f[i * 18 + j] = i + j / 1000f;
            }
            l[i * 3 + i % 3] = 1f;
        }
        return new DataSet(Nd4j.create(f, new long[]{n, 2, 3, 3}, DataType.FLOAT),
                Nd4j.create(l, new long[]{n, 3}, DataType.FLOAT));
    }

    private static Set<Integer> drain(InMemoryDataSetIterator it, boolean expectOrdered) {
        Set<Integer> seen = new HashSet<>();
        int expectedNext = 0;
        while (it.hasNext()) {
            DataSet b = it.next();
            INDArray x = b.getFeatures();
            assertEquals(4, x.rank());
            assertArrayEquals(new long[]{2, 3, 3}, new long[]{x.size(1), x.size(2), x.size(3)});
            for (int r = 0; r < x.size(0); r++) {
                int id = Math.round(x.getFloat(r, 0, 0, 0));
                assertEquals(id + 17 / 1000f, x.getFloat(r, 1, 2, 2), 1e-6f, "example " + id + " intact");
                assertEquals(1f, b.getLabels().getFloat(r, id % 3), 0f, "label travels with example " + id);
                if (expectOrdered) {
                    assertEquals(expectedNext++, id);
                }
                seen.add(id);
            }
        }
        return seen;
    }

    @Test
    void rankFourExamplesInOrderAndShuffled() {
        DataSet data = images(10);
        assertEquals(10, drain(new InMemoryDataSetIterator(data, 4, false, 0), true).size());
        InMemoryDataSetIterator shuffled = new InMemoryDataSetIterator(data, 3, true, 5);
        assertEquals(10, drain(shuffled, false).size());
        shuffled.reset();
        assertEquals(10, drain(shuffled, false).size());
    }
}
