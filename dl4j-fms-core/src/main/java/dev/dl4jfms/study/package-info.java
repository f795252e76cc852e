/**
 * The ask/tell optimizer: a finite {@link dev.dl4jfms.study.CandidatePool}, trials advanced by executor-agnostic
 * {@link dev.dl4jfms.study.Segment}s, budget accounting in epochs, the incumbent, explicit
 * {@link dev.dl4jfms.study.TerminationReason}s, and persistence of every observation and decision in a
 * {@link dev.dl4jfms.store.CheckpointStore} so that {@link dev.dl4jfms.study.Study#open} resumes after a crash.
 */
package dev.dl4jfms.study;
