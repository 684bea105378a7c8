package io.usagepipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a replay that stopped says of why: a full heap tells the person what to do, anything else its own message. */
class ReplayFailureTest {

    @Test
    void shouldSayThatAReplayKeepsItsStateInTheHeapWhenTheHeapIsFull() {
        assertThat(Replay.why(new OutOfMemoryError("Java heap space"))).isEqualTo(": the JVM's heap is full (Java "
                + "heap space); a replay keeps its state in the heap, which grows with the fleet: run it with a larger "
                + "one (USAGE_PIPELINE_JAVA_OPTS=-Xmx4g)");
    }

    @Test
    void shouldGiveAnyOtherFailuresOwnMessage() {
        assertThat(Replay.why(new IllegalStateException("task 0_1 was opened again without the state it had")))
                .isEqualTo(": task 0_1 was opened again without the state it had");
    }
}
