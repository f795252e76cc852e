package dev.dl4jfms.study;

import dev.dl4jfms.store.CheckpointRecord;
import dev.dl4jfms.store.CheckpointStore;
import dev.dl4jfms.store.EventRecord;
import dev.dl4jfms.store.NewTrial;
import dev.dl4jfms.store.StudyRecord;
import dev.dl4jfms.store.TrialRecord;
import dev.dl4jfms.store.TrialStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every observation and decision of a {@link Study} to a {@link CheckpointStore} and rebuilds a study's
 * state from it. The store is the source of truth: per-epoch checkpoints give the curves (including epochs an
 * executor stored before a crash), trial rows give statuses, the event journal gives weights keys kept outside the
 * store and policy notes.
 */
final class StudyJournal {

    static final String STUDY_CREATED = "study_created";
    static final String STUDY_RESUMED = "study_resumed";
    static final String STUDY_FINISHED = "study_finished";
    static final String TRIAL_CREATED = "trial_created";
    static final String SEGMENT_STARTED = "segment_started";
    static final String SEGMENT_FINISHED = "segment_finished";
    static final String SEGMENT_INTERRUPTED = "segment_interrupted";
    static final String TRIAL_STATUS = "trial_status";
    static final String TERMINATION = "termination";
    static final String INCUMBENT = "incumbent";
    static final String POLICY_NOTE = Study.POLICY_NOTE_EVENT;

    private static final Logger log = LoggerFactory.getLogger(StudyJournal.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LABEL_PREFIX = "pool-";

    private final CheckpointStore store;
    private final StudyRecord study;
    private final StudySettings settings;
    private final boolean resumed;

    private StudyJournal(CheckpointStore store, StudyRecord study, StudySettings settings, boolean resumed) {
        this.store = store;
        this.study = study;
        this.settings = settings;
        this.resumed = resumed;
    }

    /** Opens study {@code name}, creating it when absent; checks that an existing one used the same pool/settings. */
    static StudyJournal openOrCreate(CheckpointStore store, String name, StudySettings settings, CandidatePool pool,
                                     String policyName) {
        ObjectNode stored = JSON.createObjectNode();
        stored.set("settings", settings.toJsonNode());
        stored.put("poolFingerprint", pool.fingerprint());
        stored.put("poolEntries", pool.size());
        stored.put("policy", policyName);
        var existing = store.studyByName(name);
        if (existing.isEmpty()) {
            StudyRecord rec = store.createStudy(name, stored.toString());
            store.appendEvent(rec.id(), null, STUDY_CREATED, stored.toString());
            return new StudyJournal(store, rec, settings, false);
        }
        StudyRecord rec = existing.get();
        JsonNode old = parse(rec.settingsJson(), "settings of study '" + name + "'");
        String oldFingerprint = old.path("poolFingerprint").asText(null);
        if (!pool.fingerprint().equals(oldFingerprint)) {
            throw new IllegalArgumentException("study '" + name + "' in " + store.location() + " was created with pool "
                    + oldFingerprint + " (" + old.path("poolEntries").asInt() + " entries), but the pool given now is "
                    + pool.fingerprint() + " (" + pool.size() + " entries): use the same space, pool size and seed");
        }
        StudySettings oldSettings = StudySettings.fromJsonNode(old.get("settings"));
        if (!oldSettings.toBuilder().budgetEpochs(settings.budgetEpochs()).build().equals(settings)) {
            throw new IllegalArgumentException("study '" + name + "' in " + store.location()
                    + " was created with settings " + oldSettings.toJson() + "; only budgetEpochs may change on resume,"
                    + " got " + settings.toJson());
        }
        String oldPolicy = old.path("policy").asText("");
        if (!oldPolicy.equals(policyName)) {
            throw new IllegalArgumentException("study '" + name + "' was run with policy '" + oldPolicy
                    + "', cannot resume it with '" + policyName + "'");
        }
        store.updateStudySettings(rec.id(), stored.toString());
        return new StudyJournal(store, rec, settings, true);
    }

    long studyId() {
        return study.id();
    }

    boolean resumed() {
        return resumed;
    }

    long createTrial(CandidatePool pool, int poolIndex) {
        PoolCandidate c = pool.get(poolIndex);
        TrialRecord t = store.createTrial(study.id(), new NewTrial(pool.configJson(poolIndex), c.unitVector(), null,
                c.startCheckpointId(), LABEL_PREFIX + poolIndex));
        ObjectNode p = JSON.createObjectNode().put("poolIndex", poolIndex);
        store.appendEvent(study.id(), t.id(), TRIAL_CREATED, p.toString());
        return t.id();
    }

    /** Journals a segment about to start; the event id becomes the segment id. */
    long segmentStarted(long trialId, int poolIndex, int fromEpoch, int toEpoch, Long resumeCheckpointId,
                        String rationale) {
        store.updateTrialStatus(trialId, TrialStatus.RUNNING, "training epochs " + (fromEpoch + 1) + ".." + toEpoch);
        ObjectNode p = JSON.createObjectNode().put("poolIndex", poolIndex).put("fromEpoch", fromEpoch)
                .put("toEpoch", toEpoch).put("rationale", rationale);
        if (resumeCheckpointId != null) {
            p.put("resumeCheckpointId", resumeCheckpointId);
        }
        return store.appendEvent(study.id(), trialId, SEGMENT_STARTED, p.toString());
    }

    /**
     * Records one epoch's metrics: checks an executor-written checkpoint, or writes a metrics-only one. Returns the
     * checkpoint.
     */
    CheckpointRecord recordEpoch(long trialId, EpochResult e) {
        if (e.checkpointId() != null) {
            CheckpointRecord rec = store.checkpoint(e.checkpointId()).orElseThrow(() -> new IllegalArgumentException(
                    "epoch " + e.epoch() + " names checkpoint " + e.checkpointId() + " which is not in "
                            + store.location()));
            if (rec.trialId() != trialId || rec.epoch() != e.epoch()) {
                throw new IllegalArgumentException("checkpoint " + rec.id() + " belongs to trial " + rec.trialId()
                        + " epoch " + rec.epoch() + ", but was reported for trial " + trialId + " epoch " + e.epoch());
            }
            if (!rec.metrics().containsKey(settings.metricName())) {
                log.warn("checkpoint {} has no '{}' metric; a resumed study will not see epoch {} of trial {}",
                        rec.id(), settings.metricName(), e.epoch(), trialId);
            }
            return rec;
        }
        Map<String, Double> metrics = new HashMap<>(e.extraMetrics());
        metrics.put(settings.metricName(), e.validation());
        if (e.test() != null) {
            metrics.put(settings.testMetricName(), e.test());
        }
        if (e.trainLoss() != null) {
            metrics.put(settings.trainLossName(), e.trainLoss());
        }
        return store.putCheckpoint(trialId, e.epoch(), 0L, metrics, null);
    }

    void segmentFinished(Segment s, SegmentResult r, List<String> weightsKeys) {
        ObjectNode p = JSON.createObjectNode().put("segmentId", s.segmentId()).put("poolIndex", s.poolIndex())
                .put("fromEpoch", s.fromEpoch()).put("toEpoch", s.toEpoch()).put("status", r.status().name())
                .put("message", r.message());
        ArrayNode epochs = p.putArray("epochs");
        for (int i = 0; i < r.epochs().size(); i++) {
            EpochResult e = r.epochs().get(i);
            ObjectNode n = epochs.addObject().put("epoch", e.epoch()).put("validation", e.validation());
            if (weightsKeys.get(i) != null) {
                n.put("weightsKey", weightsKeys.get(i));
            }
        }
        store.appendEvent(study.id(), s.trialId(), SEGMENT_FINISHED, p.toString());
    }

    void statusChanged(TrialState t, String kind) {
        store.updateTrialStatus(t.trialId(), t.status(), t.statusReason());
        ObjectNode p = JSON.createObjectNode().put("poolIndex", t.poolIndex()).put("status", t.status().name())
                .put("epochs", t.epochsTrained()).put("reason", t.statusReason());
        if (t.terminationReason() != null) {
            p.put("terminationReason", t.terminationReason().name());
        }
        store.appendEvent(study.id(), t.trialId(), kind, p.toString());
    }

    void incumbent(Incumbent inc) {
        ObjectNode p = JSON.createObjectNode().put("poolIndex", inc.poolIndex()).put("epoch", inc.epoch())
                .put("value", inc.rawValue()).put("test", inc.testValue());
        store.appendEvent(study.id(), inc.trialId(), INCUMBENT, p.toString());
    }

    void note(String policy, PolicyNote note) {
        ObjectNode p = JSON.createObjectNode().put("policy", policy).put("kind", note.kind())
                .put("message", note.message());
        store.appendEvent(study.id(), null, POLICY_NOTE, p.toString());
    }

    void event(String kind, ObjectNode payload) {
        store.appendEvent(study.id(), null, kind, payload.toString());
    }

    /**
     * Rebuilds trial states from the store into {@code state} (fresh, nothing running) and returns the policy
     * notes of {@code policyName}. Segments that were running at crash time are closed: their trial continues from
     * its latest stored epoch.
     */
    List<PolicyNote> rebuild(StudyState state, String policyName) {
        List<EventRecord> events = store.events(study.id());
        Map<Long, Map<Integer, String>> journaledKeys = new HashMap<>();
        List<PolicyNote> notes = new ArrayList<>();
        for (EventRecord ev : events) {
            if (SEGMENT_FINISHED.equals(ev.kind()) && ev.trialId() != null) {
                for (JsonNode e : parse(ev.payloadJson(), "event " + ev.id()).path("epochs")) {
                    if (e.has("weightsKey")) {
                        journaledKeys.computeIfAbsent(ev.trialId(), k -> new HashMap<>())
                                .put(e.get("epoch").asInt(), e.get("weightsKey").asText());
                    }
                }
            } else if (POLICY_NOTE.equals(ev.kind())) {
                JsonNode p = parse(ev.payloadJson(), "event " + ev.id());
                if (policyName.equals(p.path("policy").asText())) {
                    notes.add(new PolicyNote(p.path("kind").asText(), p.path("message").asText()));
                }
            }
        }
        List<TrialRecord> records = store.trials(study.id());
        for (TrialRecord rec : records) {
            TrialState t = state.trial(poolIndexOf(rec, state.pool()));
            t.setTrialId(rec.id());
            TreeMap<Integer, CheckpointRecord> byEpoch = new TreeMap<>();
            for (CheckpointRecord c : store.checkpoints(rec.id())) {
                if (c.epoch() >= 1 && c.metrics().containsKey(settings.metricName())) {
                    byEpoch.put(c.epoch(), c); // ordered by epoch then iteration: the last one per epoch wins
                }
            }
            Map<Integer, String> keys = journaledKeys.getOrDefault(rec.id(), Map.of());
            int expected = 1;
            for (var entry : byEpoch.entrySet()) {
                if (entry.getKey() != expected || expected > settings.maxEpochsPerTrial()) {
                    log.warn("trial {} has a checkpoint at epoch {} after epoch {}: ignoring epochs from there on",
                            rec.id(), entry.getKey(), expected - 1);
                    break;
                }
                CheckpointRecord c = entry.getValue();
                String key = keys.containsKey(expected) ? keys.get(expected)
                        : c.hasWeights() ? WeightsKeys.checkpoint(c.id()) : null;
                state.addEpoch(t, c.metric(settings.metricName()), c.metric(settings.testMetricName()), key, c.id());
                expected++;
            }
        }
        int interrupted = 0;
        for (TrialRecord rec : records) {
            TrialState t = state.trial(poolIndexOf(rec, state.pool()));
            TerminationReason reason = TerminationReason.parse(rec.statusReason());
            TrialStatus status = rec.status();
            String why = rec.statusReason();
            boolean revive = status == TrialStatus.STOPPED && reason == TerminationReason.BUDGET_SPENT
                    && state.spentEpochs() < settings.budgetEpochs();
            if (status == TrialStatus.RUNNING || status == TrialStatus.PENDING && t.epochsTrained() > 0 || revive) {
                interrupted += status == TrialStatus.RUNNING ? 1 : 0;
                String from = status.name();
                if (t.epochsTrained() > 0 && !Double.isFinite(t.value(t.epochsTrained()))) {
                    status = TrialStatus.DIVERGED;
                    reason = TerminationReason.DIVERGED;
                    why = reason.describe("epoch " + t.epochsTrained() + " found after restart");
                } else if (t.epochsTrained() >= settings.maxEpochsPerTrial()) {
                    status = TrialStatus.FINISHED;
                    reason = TerminationReason.REACHED_MAX_EPOCHS;
                    why = reason.describe(null);
                } else {
                    status = t.epochsTrained() == 0 ? TrialStatus.PENDING : TrialStatus.PAUSED;
                    reason = null;
                    why = "was " + from + " when the study stopped; continues from epoch " + t.epochsTrained();
                }
                t.setStatus(status, reason, why);
                statusChanged(t, SEGMENT_INTERRUPTED);
            } else {
                t.setStatus(status, reason, why);
            }
        }
        ObjectNode p = JSON.createObjectNode().put("spentEpochs", state.spentEpochs())
                .put("interruptedSegments", interrupted).put("budgetEpochs", settings.budgetEpochs());
        event(STUDY_RESUMED, p);
        log.info("resumed study '{}': {} epochs already spent, {} interrupted segment(s) will continue from their "
                + "latest stored epoch", study.name(), state.spentEpochs(), interrupted);
        return notes;
    }

    private static int poolIndexOf(TrialRecord rec, CandidatePool pool) {
        String label = rec.label();
        if (label == null || !label.startsWith(LABEL_PREFIX)) {
            throw new IllegalStateException("trial " + rec.id() + " has label '" + label + "', not '" + LABEL_PREFIX
                    + "<index>': not created by a Study");
        }
        int index = Integer.parseInt(label.substring(LABEL_PREFIX.length()));
        if (index >= pool.size() || !java.util.Arrays.equals(rec.unitVector(), pool.get(index).unitVector())) {
            throw new IllegalStateException("trial " + rec.id() + " (pool index " + index
                    + ") does not match the pool: different unit vector");
        }
        return index;
    }

    private static JsonNode parse(String json, String what) {
        try {
            return json == null ? JSON.createObjectNode() : JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(what + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}
