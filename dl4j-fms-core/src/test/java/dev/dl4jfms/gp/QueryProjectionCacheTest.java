package dev.dl4jfms.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dl4jfms.forecast.ForecastQuery;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Kept query projections follow the posterior's borders and give the predictions of fresh projections. */
class QueryProjectionCacheTest {

    @Test
    void keptProjectionsExtendedByBordersPredictLikeFreshOnesAndOverflowKeepsTheCurrentQueries() {
        Nd4j.getRandom().setSeed(5);
        ExactGp gp = new ExactGp(DataType.DOUBLE);
        gp.setRawParameters(new double[] {0.3, 0.4, -3.0, 0.1});
        INDArray z = Nd4j.rand(DataType.DOUBLE, 30, 4);
        ExactGp.Posterior p0 = gp.condition(z, Nd4j.randn(DataType.DOUBLE, 30, 1));
        List<ForecastQuery> queries = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            queries.add(new ForecastQuery(new double[] {i * 0.1}, 1, 10, new double[0], null));
        }
        INDArray features = Nd4j.rand(DataType.DOUBLE, 7, 4);

        QueryProjectionCache cache = new QueryProjectionCache(6);
        List<ForecastQuery> first = queries.subList(0, 4);
        INDArray firstFeatures = features.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        cache.add(first, first, firstFeatures, p0.project(firstFeatures));

        // two conditionings later (3 rows, then 2)
        ExactGp.Posterior p1 = p0.extend(Nd4j.rand(DataType.DOUBLE, 3, 4), Nd4j.randn(DataType.DOUBLE, 3, 1));
        ExactGp.Posterior p2 = p1.extend(Nd4j.rand(DataType.DOUBLE, 2, 4), Nd4j.randn(DataType.DOUBLE, 2, 1));
        cache.catchUp(List.of(p1.border(), p2.border()));
        assertTrue(cache.projections().columns() >= 35, "room for the 35 training rows");
        assertPredictsLikeFresh(p2, cache, first, firstFeatures);

        // q4..q6 are new; 4 + 3 > 6 kept, so only the current prediction's queries (q2..q6) stay
        List<ForecastQuery> current = queries.subList(2, 7);
        INDArray newFeatures = features.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(4, 7),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        cache.add(current, queries.subList(4, 7), newFeatures, p2.project(newFeatures));
        assertEquals(5, cache.size());
        assertEquals(-1, cache.rowOf(queries.get(0)));
        assertEquals(-1, cache.rowOf(queries.get(1)));
        assertPredictsLikeFresh(p2, cache, current, features.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 7),
                org.nd4j.linalg.indexing.NDArrayIndex.all()));

        // a query is found by value, not by identity
        assertTrue(cache.rowOf(new ForecastQuery(new double[] {0.5}, 1, 10, new double[0], null)) >= 0);
        cache.clear();
        assertEquals(0, cache.size());
    }

    private static void assertPredictsLikeFresh(ExactGp.Posterior posterior, QueryProjectionCache cache,
                                                List<ForecastQuery> queries, INDArray features) {
        INDArray[] kept = posterior.predictProjected(cache.projections(), cache.squaredNorms(), true);
        INDArray[] fresh = posterior.predict(features, true);
        for (int i = 0; i < queries.size(); i++) {
            int row = cache.rowOf(queries.get(i));
            assertTrue(row >= 0, "query " + i + " kept");
            assertEquals(fresh[0].getDouble(i), kept[0].getDouble(row), 1e-10, "mean " + i);
            assertEquals(fresh[1].getDouble(i), kept[1].getDouble(row), 1e-10, "std " + i);
        }
    }
}
