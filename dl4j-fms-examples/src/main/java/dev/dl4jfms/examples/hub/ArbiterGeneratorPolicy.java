package dev.dl4jfms.examples.hub;

import dev.dl4jfms.study.Decision;
import dev.dl4jfms.study.Policy;
import dev.dl4jfms.study.StudyView;
import dev.dl4jfms.study.TrialState;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.commons.math3.random.JDKRandomGenerator;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.generator.GeneticSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.deeplearning4j.arbiter.optimize.generator.genetic.crossover.SinglePointCrossover;
import org.deeplearning4j.arbiter.optimize.generator.genetic.mutation.RandomMutationOperator;
import org.deeplearning4j.arbiter.optimize.generator.genetic.population.PopulationModel;
import org.deeplearning4j.arbiter.optimize.generator.genetic.selection.GeneticSelectionOperator;

/**
 * Drives one of Arbiter's own {@link CandidateGenerator}s through a {@code Study} over a finite pool (the peer
 * baselines {@code arbiter-random} and {@code arbiter-genetic}): each proposed unit-cube point is mapped to the
 * nearest pool candidate not yet tried (Euclidean distance in the unit cube, ties to the lower index), trained to
 * B_max in one segment, and its final validation value is reported back to the generator. Sequential: one candidate
 * at a time.
 */
public final class ArbiterGeneratorPolicy implements Policy {

    private final String name;
    private final CandidateGenerator generator;
    private Candidate<?> current;
    private int currentPool = -1;
    private int reported;

    private ArbiterGeneratorPolicy(String name, CandidateGenerator generator) {
        this.name = name;
        this.generator = generator;
    }

    /** Arbiter's {@link RandomSearchGenerator} over a {@code dimension}-cube, seeded. */
    public static ArbiterGeneratorPolicy random(int dimension, long seed) {
        RandomSearchGenerator g = new RandomSearchGenerator(new UnitCubeSpace(dimension), null);
        g.setRngSeed(seed);
        return new ArbiterGeneratorPolicy("arbiter-random", g);
    }

    /**
     * Arbiter's {@link GeneticSearchCandidateGenerator} (population {@code populationSize}, single-point crossover,
     * random mutation; every random source seeded from {@code seed}), maximising the validation value.
     */
    public static ArbiterGeneratorPolicy genetic(int dimension, long seed, int populationSize) {
        GeneticSelectionOperator selection = new GeneticSelectionOperator.Builder()
                .randomGenerator(seeded((int) seed))
                .crossoverOperator(new SinglePointCrossover.Builder()
                        .randomGenerator(seeded((int) seed + 1)).build())
                .mutationOperator(new RandomMutationOperator.Builder()
                        .randomGenerator(seeded((int) seed + 2)).build())
                .build();
        GeneticSearchCandidateGenerator g = new GeneticSearchCandidateGenerator.Builder(new UnitCubeSpace(dimension),
                new MaximizeValidation())
                .populationModel(new PopulationModel.Builder().populationSize(populationSize).build())
                .selectionOperator(selection)
                .build();
        g.setRngSeed(seed);
        return new ArbiterGeneratorPolicy("arbiter-genetic", g);
    }

    private static JDKRandomGenerator seeded(long seed) {
        JDKRandomGenerator g = new JDKRandomGenerator();
        g.setSeed(seed);
        return g;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Decision decide(StudyView study) {
        int bMax = study.settings().maxEpochsPerTrial();
        if (current != null) {
            TrialState t = study.trial(currentPool);
            if (t.isRunning()) {
                return Decision.waitForResults();
            }
            if (t.canContinue(bMax)) {
                return Decision.train(currentPool, bMax, "continue arbiter candidate " + current.getIndex());
            }
            double last = t.epochsTrained() == 0 ? Double.NaN : t.value(t.epochsTrained());
            // A diverged candidate gets the worst possible fitness so the generator still learns of it.
            double score = Double.isFinite(last) ? last : -1e9;
            generator.reportResults(new OptimizationResult(current, score, reported++, null, null, null));
            current = null;
        }
        if (!generator.hasMoreCandidates()) {
            return Decision.done();
        }
        Candidate<?> c = generator.getCandidate();
        double[] p = c.getFlatParameters();
        int best = -1;
        double bestDist = Double.POSITIVE_INFINITY;
        List<TrialState> trials = study.trials();
        for (TrialState t : trials) {
            if (t.epochsTrained() > 0 || t.isTerminal() || t.isRunning() || !t.canContinue(bMax)) {
                continue;
            }
            double[] u = study.pool().get(t.poolIndex()).unitVector();
            double d = 0;
            for (int k = 0; k < u.length; k++) {
                d += (u[k] - p[k]) * (u[k] - p[k]);
            }
            if (d < bestDist) {
                bestDist = d;
                best = t.poolIndex();
            }
        }
        if (best < 0) {
            return Decision.done();
        }
        current = c;
        currentPool = best;
        return Decision.train(best, bMax, String.format(Locale.ROOT, "arbiter candidate %d -> pool %d (distance %.3f)",
                c.getIndex(), best, Math.sqrt(bestDist)));
    }

    /** Tells the genetic generator that higher values are better; the hub supplies the scores. */
    private static final class MaximizeValidation implements ScoreFunction {
        @Override
        public double score(Object model, DataProvider dataProvider, java.util.Map<String, Object> dataParameters) {
            throw new UnsupportedOperationException("scores come from the hub");
        }

        @Override
        public double score(Object model, Class<? extends DataSource> dataSource, Properties dataSourceProperties) {
            throw new UnsupportedOperationException("scores come from the hub");
        }

        @Override
        public boolean minimize() {
            return false;
        }

        @Override
        public List<Class<?>> getSupportedModelTypes() {
            return List.of(Object.class);
        }

        @Override
        public List<Class<?>> getSupportedDataTypes() {
            return List.of(Object.class);
        }
    }
}
