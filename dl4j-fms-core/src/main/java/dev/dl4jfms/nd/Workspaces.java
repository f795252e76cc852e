package dev.dl4jfms.nd;

import java.util.function.Supplier;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.MirroringPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J workspaces for the surrogate's hot loops, the way DL4J uses them for training.
 *
 * <p>Why: in ND4J 1.0.0-M2.1 every array outside a workspace registers a native deallocator, and its native
 * buffer is freed only when the garbage collector finds the small Java wrapper. The GP and GMN create hundreds of
 * temporaries per optimiser step, so native memory grew faster than the Java heap filled: the GMN benchmark
 * reached 8 GB resident within a minute. Inside a workspace the temporaries come from one arena that is reused on
 * every pass. Rule for callers: whatever must outlive the scope is created {@link #outside} it or
 * {@link INDArray#detach() detached}.
 */
public final class Workspaces {

    /** Arena sized by the first pass, grown when a later pass needs more (spills are reallocated). */
    public static final WorkspaceConfiguration SCRATCH = WorkspaceConfiguration.builder()
            .initialSize(0)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyMirroring(MirroringPolicy.FULL)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();

    private Workspaces() {
    }

    /** Opens (activates) the calling thread's scratch workspace {@code id}; close it to end the pass. */
    public static MemoryWorkspace open(String id) {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(SCRATCH, id);
    }

    /** Runs {@code body} in scratch workspace {@code id} and returns its result detached from the workspace. */
    public static INDArray scratch(String id, Supplier<INDArray> body) {
        try (MemoryWorkspace ignored = open(id)) {
            INDArray result = body.get();
            return result == null ? null : result.detach();
        }
    }

    /** Runs {@code create} outside every workspace: for arrays that are cached or kept across passes. */
    public static <T> T outside(Supplier<T> create) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return create.get();
        }
    }
}
