package io.usagepipeline.processor.state;

import io.usagepipeline.events.OutputHistory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Gives the changelog topics that already exist the settings of {@link StoreOptions#CHANGELOG_CONFIGS}. Kafka Streams
 * creates a missing changelog with them but leaves an existing one as it is, so the changelogs an earlier version
 * created would go on being stamped with stream time.
 */
public final class ChangelogSettings {

    private ChangelogSettings() {
    }

    /**
     * Sets what differs on those of the changelogs of {@code applicationId}'s stores that exist; returns one line per
     * setting changed.
     *
     * @param stores  the names of the application's stores (a changelog is {@code <applicationId>-<store>-changelog})
     * @param timeout how long each of Kafka's answers may take
     * @throws ExecutionException with Kafka's reason when a topic could not be read or changed (not authorised, no
     *                            answer within the timeout)
     */
    public static List<String> apply(final Admin admin, final String applicationId, final Set<String> stores,
                                     final Duration timeout) throws ExecutionException, InterruptedException {
        final int timeoutMs = (int) timeout.toMillis();
        final Set<String> names = stores.stream().map(store -> OutputHistory.changelog(applicationId, store))
                .collect(Collectors.toSet());
        final List<ConfigResource> changelogs = admin.listTopics(new ListTopicsOptions().timeoutMs(timeoutMs))
                .names().get().stream().filter(names::contains).sorted()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
        if (changelogs.isEmpty()) {
            return List.of();
        }
        final Map<ConfigResource, Config> current = admin.describeConfigs(changelogs,
                new DescribeConfigsOptions().timeoutMs(timeoutMs)).all().get();
        final List<String> changed = new ArrayList<>();
        for (final ConfigResource topic : changelogs) {
            final Collection<AlterConfigOp> ops = new ArrayList<>();
            for (final Map.Entry<String, String> wanted : StoreOptions.CHANGELOG_CONFIGS.entrySet()) {
                final ConfigEntry entry = current.get(topic).get(wanted.getKey());
                final String was = entry == null ? null : entry.value();
                if (!wanted.getValue().equals(was)) {
                    ops.add(new AlterConfigOp(new ConfigEntry(wanted.getKey(), wanted.getValue()),
                            AlterConfigOp.OpType.SET));
                    changed.add(topic.name() + ": " + wanted.getKey() + " " + was + " -> " + wanted.getValue());
                }
            }
            if (!ops.isEmpty()) {
                admin.incrementalAlterConfigs(Map.of(topic, ops), new AlterConfigsOptions().timeoutMs(timeoutMs))
                        .all().get();
            }
        }
        return changed;
    }
}
