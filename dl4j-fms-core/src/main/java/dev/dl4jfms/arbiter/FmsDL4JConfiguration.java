package dev.dl4jfms.arbiter;

import org.deeplearning4j.arbiter.DL4JConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/**
 * A {@link DL4JConfiguration} (as produced by a {@code MultiLayerSpace}) that also says which segment of which
 * trial to train. Being a subclass, it still works with Arbiter's savers and evaluators that cast to
 * {@code DL4JConfiguration}; {@code getNumEpochs()} is the number of epochs granted. No early-stopping
 * configuration: segments are stopped by the study, not by DL4J's early-stopping trainer (which would reset the
 * epoch counter of a resumed network).
 */
public class FmsDL4JConfiguration extends DL4JConfiguration implements FmsCandidate {

    private static final long serialVersionUID = 1L;

    private final SegmentTicket ticket;

    public FmsDL4JConfiguration(MultiLayerConfiguration configuration, SegmentTicket ticket) {
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
