package io.usagepipeline.sink;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * What an output's positions were read from: the Kafka cluster and each topic's id. Offsets only mean something
 * against the log they were taken from; a recreated topic keeps its name but gets a new id, and another cluster
 * (a new broker, a migration) has another cluster id, so comparing these is how a sink notices that its stored
 * positions belong to another history.
 *
 * @param clusterId the cluster's id
 * @param topicIds  topic name to topic id
 */
public record SourceIdentity(String clusterId, Map<String, String> topicIds) {

    public SourceIdentity {
        topicIds = Collections.unmodifiableMap(new TreeMap<>(topicIds)); // sorted: stable in files
    }

    /** Asks the cluster who it is and what its topics' ids are. */
    public static SourceIdentity of(final Admin admin, final Collection<String> topics)
            throws ExecutionException, InterruptedException {
        final String clusterId = admin.describeCluster().clusterId().get();
        final Map<String, String> ids = new TreeMap<>();
        for (final Map.Entry<String, TopicDescription> topic
                : admin.describeTopics(topics).allTopicNames().get().entrySet()) {
            ids.put(topic.getKey(), topic.getValue().topicId().toString());
        }
        return new SourceIdentity(clusterId, ids);
    }
}
