package io.usagepipeline.embedded;

/** A running Kafka that clients can reach. */
public interface KafkaBroker {

    /** The {@code bootstrap.servers} value for clients. */
    String bootstrapServers();
}
