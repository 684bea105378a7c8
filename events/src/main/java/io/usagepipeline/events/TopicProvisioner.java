package io.usagepipeline.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the contract's topics with their configs, and reports, without changing them, topics that already exist.
 * Existing topics are never altered: a partition change would move keys between partitions (and so between the
 * processor's state stores), and a config change on a billing topic is an operator's decision.
 */
public final class TopicProvisioner {

    /** What happened to one topic. */
    public enum Status { CREATED, EXISTS, DIFFERS }

    /**
     * @param partitions  the topic's partition count (after creation, or as found)
     * @param differences contract configs the existing topic does not have, e.g. {@code cleanup.policy=delete (contract: compact)}
     */
    public record Outcome(String topic, Status status, int partitions, List<String> differences) {
    }

    private static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration VISIBILITY_POLL = Duration.ofMillis(50);

    private final Admin admin;
    private final String prefix;
    private final int partitions;
    private final Optional<Short> replicationFactor;

    /**
     * @param replicationFactor 0 takes the broker's {@code default.replication.factor}
     */
    public TopicProvisioner(final Admin admin, final String prefix, final int partitions, final int replicationFactor) {
        this.admin = admin;
        this.prefix = prefix;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor == 0 ? Optional.empty() : Optional.of((short) replicationFactor);
    }

    /** Ensures every topic of {@link Topics#all()} exists; one outcome per topic, in contract order. */
    public List<Outcome> ensureAll() throws ExecutionException, InterruptedException {
        final Set<String> existing = admin.listTopics().names().get();
        final List<Outcome> outcomes = new ArrayList<>();
        for (final TopicSpec<String, ?> spec : Topics.all()) {
            final String name = spec.name(prefix);
            if (!existing.contains(name) && create(name, spec.configs())) {
                awaitVisible(name, spec.configs());
                outcomes.add(new Outcome(name, Status.CREATED, partitions, List.of()));
            } else {
                outcomes.add(inspect(name, spec.configs()));
            }
        }
        return outcomes;
    }

    /** Creates the topic; false when another client created it first. */
    private boolean create(final String name, final Map<String, String> configs)
            throws ExecutionException, InterruptedException {
        final NewTopic topic = new NewTopic(name, Optional.of(partitions), replicationFactor).configs(configs);
        try {
            admin.createTopics(List.of(topic)).all().get();
            return true;
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw e;
        }
    }

    /**
     * A created topic reaches the brokers' metadata a moment after the controller accepted it; until then clients
     * can miss it or see default configs. Returns once the topic can be used as created.
     */
    private void awaitVisible(final String name, final Map<String, String> expected)
            throws ExecutionException, InterruptedException {
        final long deadline = System.nanoTime() + VISIBILITY_TIMEOUT.toNanos();
        while (true) {
            try {
                if (differences(describeConfigs(name), expected).isEmpty()
                        && describeTopic(name).partitions().size() == partitions) {
                    return;
                }
            } catch (final ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + name + " was created but did not show its configs within "
                        + VISIBILITY_TIMEOUT);
            }
            Thread.sleep(VISIBILITY_POLL.toMillis());
        }
    }

    private Outcome inspect(final String name, final Map<String, String> expected)
            throws ExecutionException, InterruptedException {
        final List<String> differences = differences(describeConfigs(name), expected);
        return new Outcome(name, differences.isEmpty() ? Status.EXISTS : Status.DIFFERS,
                describeTopic(name).partitions().size(), differences);
    }

    private TopicDescription describeTopic(final String name) throws ExecutionException, InterruptedException {
        return admin.describeTopics(List.of(name)).allTopicNames().get().get(name);
    }

    private Config describeConfigs(final String name) throws ExecutionException, InterruptedException {
        final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }

    private static List<String> differences(final Config actual, final Map<String, String> expected) {
        return expected.entrySet().stream()
                .filter(entry -> actual.get(entry.getKey()) == null
                        || !entry.getValue().equals(actual.get(entry.getKey()).value()))
                .map(entry -> entry.getKey() + "=" + valueOf(actual, entry.getKey())
                        + " (contract: " + entry.getValue() + ")")
                .sorted()
                .collect(Collectors.toList());
    }

    private static String valueOf(final Config config, final String key) {
        return config.get(key) == null ? "unset" : config.get(key).value();
    }
}
