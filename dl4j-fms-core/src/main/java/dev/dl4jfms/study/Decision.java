package dev.dl4jfms.study;

import java.util.ArrayList;
import java.util.List;

/**
 * A policy's answer: what to do next ({@link Action}), plus trials to terminate and notes to journal.
 *
 * @param action       TRAIN a candidate, WAIT for outstanding results, or DONE (nothing left to do)
 * @param poolIndex    the candidate to train (TRAIN only, else -1)
 * @param targetEpoch  the epoch count it should reach (TRAIN only)
 * @param rationale    why (recorded with the segment), may be null
 * @param terminations trials to stop now
 * @param notes        journal notes
 */
public record Decision(Action action, int poolIndex, int targetEpoch, String rationale,
                       List<Termination> terminations, List<PolicyNote> notes) {

    public enum Action { TRAIN, WAIT, DONE }

    public Decision {
        terminations = terminations == null ? List.of() : List.copyOf(terminations);
        notes = notes == null ? List.of() : List.copyOf(notes);
        if (action == Action.TRAIN && (poolIndex < 0 || targetEpoch < 1)) {
            throw new IllegalArgumentException("TRAIN needs a pool index and a target epoch >= 1");
        }
    }

    public static Decision train(int poolIndex, int targetEpoch, String rationale) {
        return new Decision(Action.TRAIN, poolIndex, targetEpoch, rationale, List.of(), List.of());
    }

    public static Decision waitForResults() {
        return new Decision(Action.WAIT, -1, 0, null, List.of(), List.of());
    }

    public static Decision done() {
        return new Decision(Action.DONE, -1, 0, null, List.of(), List.of());
    }

    /** This decision with {@code more} terminations added. */
    public Decision withTerminations(List<Termination> more) {
        List<Termination> all = new ArrayList<>(terminations);
        all.addAll(more);
        return new Decision(action, poolIndex, targetEpoch, rationale, all, notes);
    }

    /** This decision with {@code more} notes added. */
    public Decision withNotes(List<PolicyNote> more) {
        List<PolicyNote> all = new ArrayList<>(notes);
        all.addAll(more);
        return new Decision(action, poolIndex, targetEpoch, rationale, terminations, all);
    }
}
