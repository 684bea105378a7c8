package io.usagepipeline.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Kafka Streams' failure for partitions added under a running application, told from every other one. */
class OutputHistoryTest {

    @Test
    void shouldTellPartitionsAddedUnderARunningApplicationWithoutTheAdviceToDeleteItsState() {
        // Kafka Streams 4.3's words, as a processor whose raw topic went from 12 partitions to 16 logged them
        final RuntimeException streams = new RuntimeException("stream-thread [p-StreamThread-1] task failed",
                new IllegalStateException("Existing internal topic usage-pipeline-processor-history-window-store-"
                        + "changelog has invalid partitions: expected: 16; actual: 12. Use "
                        + "'org.apache.kafka.tools.StreamsResetter' tool to clean up invalid topics before processing."));

        assertThat(OutputHistory.partitionsAddedUnder(streams)).contains("Existing internal topic "
                + "usage-pipeline-processor-history-window-store-changelog has invalid partitions: expected: 16; "
                + "actual: 12");
        assertThat(OutputHistory.partitionsAddedUnder(new IllegalStateException("RocksDB: No space left on device")))
                .isEmpty();
    }
}
