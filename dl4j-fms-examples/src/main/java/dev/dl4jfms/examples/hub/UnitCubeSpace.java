package dev.dl4jfms.examples.hub;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.arbiter.optimize.api.AbstractParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;

/**
 * An Arbiter {@link ParameterSpace} over [0,1]^d made of d uniform leaves, so Arbiter's own generators can propose
 * points in a hub's unit cube. Its value is the point itself.
 */
public final class UnitCubeSpace extends AbstractParameterSpace<double[]> {

    private final List<ParameterSpace<Double>> leaves;

    /** A cube of {@code dimension} coordinates. */
    public UnitCubeSpace(int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
        }
        List<ParameterSpace<Double>> l = new ArrayList<>();
        for (int i = 0; i < dimension; i++) {
            l.add(new ContinuousParameterSpace(0, 1));
        }
        this.leaves = Collections.unmodifiableList(l);
    }

    @Override
    public double[] getValue(double[] input) {
        double[] out = new double[leaves.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = leaves.get(i).getValue(input);
        }
        return out;
    }

    @Override
    public int numParameters() {
        return leaves.size();
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public List<ParameterSpace> collectLeaves() {
        return (List) new ArrayList<>(leaves);
    }

    @Override
    public Map<String, ParameterSpace> getNestedSpaces() {
        return Map.of();
    }

    @Override
    public boolean isLeaf() {
        return false;
    }

    @Override
    public void setIndices(int... indices) {
        throw new UnsupportedOperationException("UnitCubeSpace is not a leaf; its leaves are indexed individually");
    }
}
