package dev.dl4jfms.arbiter;

import org.deeplearning4j.arbiter.GraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;

/**
 * A {@link GraphConfiguration} (as produced by a {@code ComputationGraphSpace}) that also says which segment of
 * which trial to train; see {@link FmsDL4JConfiguration}.
 */
public class FmsGraphConfiguration extends GraphConfiguration implements FmsCandidate {

    private static final long serialVersionUID = 1L;

    private final SegmentTicket ticket;

    public FmsGraphConfiguration(ComputationGraphConfiguration configuration, SegmentTicket ticket) {
        super(configuration, null, ticket.epochs());
        this.ticket = ticket;
    }

    @Override
    public SegmentTicket ticket() {
        return ticket;
    }

    @Override
    public boolean equals(Object o) {
        return FmsCandidate.candidateEquals(this, o, super.equals(o));
    }

    @Override
    public int hashCode() {
        return FmsCandidate.candidateHashCode(this, super.hashCode());
    }

    @Override
    public String toString() {
        return FmsCandidate.describe(this);
    }
}
