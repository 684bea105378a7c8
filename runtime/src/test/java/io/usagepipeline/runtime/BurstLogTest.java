package io.usagepipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The console hears of the first event of each kind, then of how many followed, once a minute. */
class BurstLogTest {

    private static final long MINUTE = 60_000;
    private final BurstLog<String> log = new BurstLog<>("records went to the DLQ", "reason");

    @Test
    void shouldTellTheFirstEventOfEachKindAndCountTheRestOnceAMinute() {
        assertThat(sent("LATE_BEYOND_HORIZON", "at usage.raw.v1-0@5618: polled at ...", 0))
                .containsExactly("LATE_BEYOND_HORIZON at usage.raw.v1-0@5618: polled at ...");
        for (int offset = 5619; offset < 5619 + 17_000; offset++) {
            assertThat(sent("LATE_BEYOND_HORIZON", "at usage.raw.v1-0@" + offset, 1_000)).isEmpty();
        }
        assertThat(sent("MALFORMED_RECORD", "at usage.raw.v1-1@7: not JSON", 2_000))
                .containsExactly("MALFORMED_RECORD at usage.raw.v1-1@7: not JSON");
        assertThat(log.due(MINUTE - 1)).isEmpty();

        assertThat(log.due(MINUTE)).containsExactly("LATE_BEYOND_HORIZON: 17,000 more records went to the DLQ since "
                + "the last line of this reason, the last at usage.raw.v1-0@22618");
        assertThat(log.due(MINUTE + 2_000)).isEmpty(); // MALFORMED_RECORD had no more: forgotten
        assertThat(sent("MALFORMED_RECORD", "at usage.raw.v1-1@9: not JSON", MINUTE + 3_000))
                .containsExactly("MALFORMED_RECORD at usage.raw.v1-1@9: not JSON");
    }

    @Test
    void shouldCountWhatFollowedWhenTheWorkEndsWithinTheMinute() {
        sent("LATE_BEYOND_HORIZON", "at usage.raw.v1-0@1", 0);
        sent("LATE_BEYOND_HORIZON", "at usage.raw.v1-0@2", 10);
        sent("LATE_BEYOND_HORIZON", "at usage.raw.v1-0@3", 20);

        assertThat(log.rest(30_000)).containsExactly("LATE_BEYOND_HORIZON: 2 more records went to the DLQ since the "
                + "last line of this reason, the last at usage.raw.v1-0@3");
    }

    @Test
    void shouldTellInFullAgainAfterAQuietMinute() {
        sent("LATE_BEYOND_HORIZON", "at usage.raw.v1-0@1", 0);
        sent("LATE_BEYOND_HORIZON", "at usage.raw.v1-0@2", 10);
        assertThat(log.due(MINUTE)).hasSize(1);
        assertThat(log.due(2 * MINUTE)).isEmpty();

        assertThat(sent("LATE_BEYOND_HORIZON", "at usage.raw.v1-0@3", 2 * MINUTE + 1))
                .containsExactly("LATE_BEYOND_HORIZON at usage.raw.v1-0@3");
    }

    /** As the processor tells a record sent to the DLQ: its reason, then where it was and why. */
    private List<String> sent(final String reason, final String record, final long nowMs) {
        return log.happened(reason, reason + " " + record, record, nowMs);
    }
}
