package dev.dl4jfms.arbiter;

import dev.dl4jfms.forecast.Forecast;
import dev.dl4jfms.policy.FreezeThawPolicy;
import dev.dl4jfms.study.Policy;
import dev.dl4jfms.store.CheckpointStore;
import dev.dl4jfms.study.MetricDirection;
import dev.dl4jfms.study.Study;
import dev.dl4jfms.study.StudyView;
import dev.dl4jfms.study.TrialState;
import java.util.List;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Journals the forecaster's final forecasts (value at B_max of every trial) as one {@link #EVENT} event, so that a
 * report written later from the store alone shows them, whoever drove the study (command line or Arbiter API).
 */
public final class FinalForecasts {

    /** Store event kind of the final forecasts. */
    public static final String EVENT = "report_forecasts";
    private static final Logger log = LoggerFactory.getLogger(FinalForecasts.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private FinalForecasts() {
    }

    /**
     * Appends the event when {@code policy} is a freeze-thaw policy with a fitted forecaster; does nothing otherwise.
     *
     * @return whether an event was written
     */
    public static boolean journal(Study study, Policy policy, CheckpointStore store) {
        if (!(policy instanceof FreezeThawPolicy freezeThaw) || study.studyId().isEmpty()) {
            return false;
        }
        StudyView view = study.view();
        List<Forecast> forecasts;
        try {
            forecasts = freezeThaw.forecastAtMaxEpochs(view);
        } catch (RuntimeException e) {
            log.warn("no final forecasts for the report: {}", e.toString());
            return false;
        }
        if (forecasts.isEmpty()) {
            return false;
        }
        double sign = view.settings().direction() == MetricDirection.MINIMIZE ? -1 : 1;
        ObjectNode payload = JSON.createObjectNode().put("policy", policy.name())
                .put("maxEpochs", view.settings().maxEpochsPerTrial());
        ArrayNode trials = payload.putArray("trials");
        List<TrialState> states = view.trials();
        for (int i = 0; i < states.size() && i < forecasts.size(); i++) {
            TrialState t = states.get(i);
            Forecast f = forecasts.get(i);
            if (t.trialId() != null && Double.isFinite(f.mean()) && Double.isFinite(f.std())) {
                trials.addObject().put("trialId", t.trialId()).put("poolIndex", t.poolIndex())
                        .put("mean", sign * f.mean()).put("std", f.std());
            }
        }
        store.appendEvent(study.studyId().orElseThrow(), null, EVENT, payload.toString());
        return true;
    }
}
