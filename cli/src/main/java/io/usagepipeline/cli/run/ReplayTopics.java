package io.usagepipeline.cli.run;

import io.usagepipeline.events.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a replay (of the processor or of the rater) leaves on the cluster, and its removal. */
public final class ReplayTopics {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayTopics.class);

    private ReplayTopics() {
    }

    /**
     * Removes the application's internal (changelog, repartition) topics and its group, and the output topics under
     * {@code outputPrefix} unless that is null.
     */
    public static void remove(final Admin admin, final String appId, final String outputPrefix) {
        try {
            final List<String> outputs = outputPrefix == null ? List.of()
                    : Topics.all().stream().map(topic -> topic.name(outputPrefix)).toList();
            final List<String> doomed = new ArrayList<>();
            for (final String topic : admin.listTopics().names().get()) {
                if (outputs.contains(topic) || topic.startsWith(appId + "-")) {
                    doomed.add(topic);
                }
            }
            admin.deleteTopics(doomed).all().get();
            admin.deleteConsumerGroups(List.of(appId)).all().get();
        } catch (final ExecutionException | InterruptedException e) {
            LOG.warn("could not remove the replay's temporary topics ({}-*, outputs under '{}') and group: {}", appId,
                    outputPrefix, e.toString());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
