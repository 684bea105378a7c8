package io.usagepipeline.events;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void shouldLeaveEveryOtherFailureToItsTrace() {
        assertThat(StreamsFailures.explain("processor", new IllegalStateException("boom",
                new NullPointerException()))).isEmpty();
    }
}
