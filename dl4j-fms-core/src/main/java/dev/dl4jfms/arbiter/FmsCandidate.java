package dev.dl4jfms.arbiter;

/** A candidate value produced by {@link FmsCandidateGenerator}: a network configuration plus its segment. */
public interface FmsCandidate {

    /** What to train: trial, epochs, where to resume from. */
    SegmentTicket ticket();
}
