package dev.dl4jfms.gp;

import java.util.HashMap;
import java.util.Map;
import dev.dl4jfms.nd.Workspaces;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam (Kingma and Ba) on named ND4J arrays, updating them in place. Moments live in the parameters' data type.
 * A fresh instance per refit: the reference optimiser restarts with every refit as well.
 */
final class AdamOptimizer {
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final Map<String, INDArray> firstMoments = new HashMap<>();
    private final Map<String, INDArray> secondMoments = new HashMap<>();
    private final Map<String, Integer> steps = new HashMap<>();
    private final Map<String, double[][]> scalarMoments = new HashMap<>();

    AdamOptimizer(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8);
    }

    AdamOptimizer(double learningRate, double beta1, double beta2, double epsilon) {
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /** Moments outlive the caller's workspace (if any): allocate them outside all workspaces. */
    private static INDArray persistentZeros(INDArray like) {
        return Workspaces.outside(() -> Nd4j.zeros(like.dataType(), like.shape()));
    }

    /** {@code param -= lr * m̂ / (sqrt(v̂) + eps)} for one named parameter with gradient {@code grad}. */
    void step(String name, INDArray param, INDArray grad) {
        if (!java.util.Arrays.equals(param.shape(), grad.shape())) {
            grad = grad.reshape(param.shape());
        }
        INDArray m = firstMoments.computeIfAbsent(name, k -> persistentZeros(param));
        INDArray v = secondMoments.computeIfAbsent(name, k -> persistentZeros(param));
        int t = steps.merge(name, 1, Integer::sum);
        m.muli(beta1).addi(grad.mul(1 - beta1));
        v.muli(beta2).addi(grad.mul(grad).muli(1 - beta2));
        double stepSize = learningRate * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
        // eps scaled like the bias-corrected form: m̂/(sqrt(v̂)+eps) = m/(sqrt(v)+eps*sqrt(1-b2^t)) * corr
        INDArray denom = Transforms.sqrt(v, true).addi(epsilon * Math.sqrt(1 - Math.pow(beta2, t)));
        param.subi(m.div(denom).muli(stepSize));
    }

    /**
     * The same update, at its own learning rate {@code lr}, for a handful of scalars (the GP's four hyperparameters)
     * in plain Java: an array op per term would cost more than the arithmetic.
     */
    void step(String name, double[] param, double[] grad, double lr) {
        if (param.length != grad.length) {
            throw new IllegalArgumentException(name + ": " + param.length + " parameters, " + grad.length
                    + " gradients");
        }
        double[][] mv = scalarMoments.computeIfAbsent(name, k -> new double[2][param.length]);
        int t = steps.merge(name, 1, Integer::sum);
        double stepSize = lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
        double eps = epsilon * Math.sqrt(1 - Math.pow(beta2, t));
        for (int i = 0; i < param.length; i++) {
            mv[0][i] = beta1 * mv[0][i] + (1 - beta1) * grad[i];
            mv[1][i] = beta2 * mv[1][i] + (1 - beta2) * grad[i] * grad[i];
            param[i] -= stepSize * mv[0][i] / (Math.sqrt(mv[1][i]) + eps);
        }
    }
}
