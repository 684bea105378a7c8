package io.usagepipeline.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.junit.jupiter.api.Test;

/** A secured Kafka's refusals, in Kafka's words as the walks met them, with what to do; anything else is none. */
class KafkaRefusalsTest {

    /** The collector's idempotent producer without Write on the raw topic: every send after the first refused. */
    @Test
    void shouldTellARefusalWithoutWhatWrapsIt() {
        final KafkaException send = new KafkaException("Cannot execute transactional method because we are in an "
                + "error state", new ClusterAuthorizationException("Cluster authorization failed."));

        assertThat(KafkaRefusals.of(send)).contains("Kafka refused its principal access (Cluster authorization "
                + "failed.); grant it what the README lists under 'A secured Kafka'");
    }

    @Test
    void shouldTellTheSinksGroup() {
        assertThat(KafkaRefusals.of(new GroupAuthorizationException("Not authorized to access group: "
                + "usage-pipeline-sink"))).contains("Kafka refused its principal access (Not authorized to access "
                + "group: usage-pipeline-sink); grant it what the README lists under 'A secured Kafka'");
    }

    @Test
    void shouldTakeNothingElseForARefusal() {
        assertThat(KafkaRefusals.of(new KafkaException("Failed to construct kafka producer",
                new IllegalStateException("no JAAS configuration")))).isEmpty();
    }
}
