package io.usagepipeline.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/** The failures of a Kafka Streams application a person acts on, told from every other one, in one line each. */
class StreamsFailuresTest {

    @Test
    void shouldTellPartitionsAddedUnderARunningApplicationWithoutTheAdviceToDeleteItsState() {
        // Kafka Streams 4.3's words, as a processor whose raw topic went from 3 partitions to 6 logged them
        final RuntimeException streams = new RuntimeException("stream-thread [p-StreamThread-1] task failed",
                new IllegalStateException("Existing internal topic p-v5-alert-series-store-changelog has invalid "
                        + "partitions: expected: 6; actual: 3. Use 'org.apache.kafka.tools.StreamsResetter' tool to "
                        + "clean up invalid topics before processing."));

        assertThat(StreamsFailures.explain("processor", streams)).contains("the processor stopped: partitions were "
                + "added to a topic it reads (Existing internal topic p-v5-alert-series-store-changelog has invalid "
                + "partitions: expected: 6; actual: 3); started again, it says in one line what to do (README, "
                + "'Partitions added to a topic')");
    }

    @Test
    void shouldTellAFullDiskUnderTheState() {
        // RocksDB's words, as the processor's next start on a full state directory gave them
        final RuntimeException streams = new RuntimeException("Error while putting key into store series-store",
                new IllegalStateException("While appending to file: /srv/state/p/0_0/rocksdb/series-store/"
                        + "MANIFEST-000015: No space left on device"));

        assertThat(StreamsFailures.explain("rater", streams)).contains("the rater stopped: the disk of its state "
                + "directory is full (While appending to file: /srv/state/p/0_0/rocksdb/series-store/MANIFEST-000015: "
                + "No space left on device); started again with room, it resumes from its last commit");
    }

    /**
     * A grant the principal lacks on a secured Kafka, in Kafka's words as a processor met them (walked on a broker
     * with the standard authorizer): its changelog's description refused, and its billing topic not writable.
     */
    @Test
    void shouldTellAGrantThePrincipalLacks() {
        // Kafka Streams' StreamsException around Kafka's errors: a KafkaException, as here
        final RuntimeException changelog = new KafkaException("Could not create topic "
                + "usage-pipeline-processor-targets-store-changelog.", new TopicAuthorizationException("Topic "
                + "authorization failed."));
        final RuntimeException billing = new KafkaException("Exception caught in process. taskId=0_2, "
                + "processor=usage-processor, topic=usage.raw.v1, partition=2, offset=76", new KafkaException(
                "Error encountered sending record to topic billing.records.v1 for task 0_0 due to:\n"
                        + "org.apache.kafka.common.errors.TopicAuthorizationException: Not authorized to access "
                        + "topics: [billing.records.v1]", new TopicAuthorizationException(Set.of(
                        "billing.records.v1"))));

        assertThat(StreamsFailures.explain("processor", changelog)).contains("the processor stopped: Kafka refused "
                + "its principal access (Topic authorization failed: Could not create topic "
                + "usage-pipeline-processor-targets-store-changelog); grant it what the README lists under 'A secured "
                + "Kafka', and start it again: it resumes from its last commit");
        assertThat(StreamsFailures.explain("rater", billing)).contains("the rater stopped: Kafka refused its "
                + "principal access (Not authorized to access topics: [billing.records.v1]); grant it what the README "
                + "lists under 'A secured Kafka', and start it again: it resumes from its last commit");
    }

    @Test
    void shouldLeaveEveryOtherFailureToItsTrace() {
        assertThat(StreamsFailures.explain("processor", new IllegalStateException("boom",
                new NullPointerException()))).isEmpty();
    }
}
