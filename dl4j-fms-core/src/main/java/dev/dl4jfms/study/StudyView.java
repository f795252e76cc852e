package dev.dl4jfms.study;

import java.util.List;
import java.util.Optional;

/** What a policy may read about a study. Values are normalised so that higher is better. */
public interface StudyView {

    StudySettings settings();

    CandidatePool pool();

    /** State of pool candidate {@code poolIndex} (never null; untried candidates are PENDING with 0 epochs). */
    TrialState trial(int poolIndex);

    /** All candidates' states in pool order. */
    List<TrialState> trials();

    /** Epochs charged so far. */
    int spentEpochs();

    /** Epochs granted to outstanding segments (not yet charged). */
    int reservedEpochs();

    /** Budget not yet spent nor granted. */
    default int availableEpochs() {
        return settings().budgetEpochs() - spentEpochs() - reservedEpochs();
    }

    /** Number of outstanding segments. */
    int runningCount();

    Optional<Incumbent> incumbent();

    /**
     * The per-fidelity incumbent y*_b (spec section 5): the best value observed at exactly {@code epoch} among
     * trials trained at least that long; if none, the best value observed overall; NaN before any observation.
     */
    double incumbentAtEpoch(int epoch);
}
