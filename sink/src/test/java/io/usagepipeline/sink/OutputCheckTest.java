package io.usagepipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** An output resumes only against the Kafka history its positions came from. */
class OutputCheckTest {

    private static final String BILLING = "billing.records.v1";
    private static final TopicPartition BILLING_0 = new TopicPartition(BILLING, 0);
    private static final SourceIdentity LIVE = new SourceIdentity("cluster-b", Map.of(BILLING, "id-2"));
    private static final Map<TopicPartition, Long> ENDS = Map.of(BILLING_0, 10L);

    @Test
    void shouldResumeFromPositionsOfTheSameClusterAndTopicWithinTheLog() {
        assertThat(OutputCheck.mismatch(new Checkpoint(LIVE, Map.of(BILLING_0, 10L)), LIVE, ENDS)).isEmpty();
        assertThat(OutputCheck.mismatch(new Checkpoint(null, Map.of()), LIVE, ENDS)).as("a new output").isEmpty();
    }

    @Test
    void shouldNameAnotherCluster() {
        final Checkpoint stored = new Checkpoint(new SourceIdentity("cluster-a", Map.of(BILLING, "id-2")),
                Map.of(BILLING_0, 3L));
        assertThat(OutputCheck.mismatch(stored, LIVE, ENDS)).contains(
                "it was written from Kafka cluster cluster-a, but this Kafka is cluster cluster-b");
    }

    @Test
    void shouldNameARecreatedTopic() {
        final Checkpoint stored = new Checkpoint(new SourceIdentity("cluster-b", Map.of(BILLING, "id-1")),
                Map.of(BILLING_0, 3L));
        assertThat(OutputCheck.mismatch(stored, LIVE, ENDS)).contains(
                "topic billing.records.v1 was recreated since it was written (topic id id-1 then, id-2 now)");
    }

    @Test
    void shouldRefusePositionsBeyondTheLogEndEvenWithoutARecordedIdentity() {
        // an output of a version that recorded no identity: its positions are all there is to check
        final Checkpoint legacy = new Checkpoint(null, Map.of(BILLING_0, 11L));
        assertThat(OutputCheck.mismatch(legacy, LIVE, ENDS)).contains("it has read billing.records.v1-0 up to "
                + "offset 11, beyond that partition's end (10) in this Kafka");
        assertThat(OutputCheck.mismatch(new Checkpoint(null, Map.of(new TopicPartition(BILLING, 5), 1L)), LIVE,
                ENDS)).contains("it has read partition billing.records.v1-5, which this Kafka does not have");
    }

    @Test
    void shouldIgnorePositionsOfTopicsTheSinkDoesNotRead() {
        final Checkpoint other = new Checkpoint(null, Map.of(new TopicPartition("other." + BILLING, 0), 99L));
        assertThat(OutputCheck.mismatch(other, LIVE, ENDS)).isEmpty();
    }
}
