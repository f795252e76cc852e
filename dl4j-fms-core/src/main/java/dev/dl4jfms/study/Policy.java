package dev.dl4jfms.study;

import dev.dl4jfms.study.StudyView;
import java.util.List;

/**
 * The one job of a search strategy: given the study state, choose the next trial and how far to train it, and
 * decide which paused trials to terminate. The {@code Study} does the bookkeeping (budget, states, persistence).
 *
 * <p>Implementations should derive their decisions from the {@link StudyView} and their seed alone, so that a
 * resumed study continues exactly where it stopped; anything else they must remember is returned as
 * {@link PolicyNote}s, journaled by the study and handed back through {@link #restore}.
 */
public interface Policy {

    /** Short name recorded in the journal (e.g. {@code hyperband}). */
    String name();

    /**
     * Decides the next step. Called by the study on its own thread while holding its lock; must not block. Only
     * candidates with {@code trial.canContinue(B_max)} may be trained or terminated.
     */
    Decision decide(StudyView study);

    /** Hands back the notes this policy produced earlier in a resumed study, oldest first. */
    default void restore(List<PolicyNote> notes) {
    }
}
