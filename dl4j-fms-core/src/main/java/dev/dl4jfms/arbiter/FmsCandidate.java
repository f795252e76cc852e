package dev.dl4jfms.arbiter;

/** A candidate value produced by {@link FmsCandidateGenerator}: a network configuration plus its segment. */
public interface FmsCandidate {

    /** What to train: trial, epochs, where to resume from. */
    SegmentTicket ticket();

    /**
     * {@code equals} of a candidate class that extends an Arbiter configuration: {@code other} is of the same class,
     * the Arbiter configurations are equal ({@code superEquals}, the superclass's verdict) and so are the tickets.
     */
    static boolean candidateEquals(FmsCandidate self, Object other, boolean superEquals) {
        return self.getClass().isInstance(other) && superEquals
                && self.ticket().equals(((FmsCandidate) other).ticket());
    }

    /** {@code hashCode} matching {@link #candidateEquals}: the superclass's hash combined with the ticket's. */
    static int candidateHashCode(FmsCandidate self, int superHashCode) {
        return 31 * superHashCode + self.ticket().hashCode();
    }

    /** {@code toString} of a candidate: its class and ticket. */
    static String describe(FmsCandidate self) {
        return self.getClass().getSimpleName() + "(" + self.ticket() + ")";
    }
}
