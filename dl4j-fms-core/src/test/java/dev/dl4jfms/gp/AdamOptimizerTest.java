package dev.dl4jfms.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The array and the scalar Adam updates against a textbook bias-corrected Adam written out in doubles. */
class AdamOptimizerTest {

    @Test
    void arrayAndScalarUpdatesMatchTextbookAdam() {
        double lr = 0.05;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        double[] reference = {0.3, -1.2, 2.0};
        double[] scalar = reference.clone();
        INDArray array = Nd4j.createFromArray(reference.clone());
        double[] m = new double[3];
        double[] v = new double[3];
        // the same textbook run at a second learning rate, for the scalar update with its own rate
        double lr2 = 0.002;
        double[] reference2 = reference.clone();
        double[] scalar2 = reference.clone();
        AdamOptimizer adam = new AdamOptimizer(lr, b1, b2, eps);
        for (int t = 1; t <= 7; t++) {
            double[] grad = {Math.sin(t), 0.5 * t - 2, Math.cos(3 * t) * 1e-3};
            for (int i = 0; i < 3; i++) {
                m[i] = b1 * m[i] + (1 - b1) * grad[i];
                v[i] = b2 * v[i] + (1 - b2) * grad[i] * grad[i];
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = v[i] / (1 - Math.pow(b2, t));
                reference[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
                reference2[i] -= lr2 * mHat / (Math.sqrt(vHat) + eps); // moments do not depend on the parameters
            }
            adam.step("scalars", scalar, grad, lr);
            adam.step("scalars at lr2", scalar2, grad, lr2);
            adam.step("array", array, Nd4j.createFromArray(grad));
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(reference[i], scalar[i], 1e-12, "scalar " + i);
            assertEquals(reference[i], array.getDouble(i), 1e-12, "array " + i);
            assertEquals(reference2[i], scalar2[i], 1e-12, "scalar with its own learning rate " + i);
        }
        assertEquals(DataType.DOUBLE, array.dataType());
    }
}
