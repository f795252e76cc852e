package dev.dl4jfms.study;

import dev.dl4jfms.study.TerminationReason;

/** A policy's decision to end a paused trial for good. */
public record Termination(int poolIndex, TerminationReason reason, String detail) {
    public Termination {
        if (reason == null) {
            throw new IllegalArgumentException("a termination needs a reason");
        }
    }
}
