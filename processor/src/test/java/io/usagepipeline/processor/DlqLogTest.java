package io.usagepipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.events.DlqReason;
import org.junit.jupiter.api.Test;

/** The console hears of the first record of each DLQ reason, then of how many followed, once a minute. */
class DlqLogTest {

    private static final long MINUTE = 60_000;
    private final DlqLog log = new DlqLog();

    @Test
    void shouldTellTheFirstRecordOfEachReasonAndCountTheRestOnceAMinute() {
        assertThat(log.sent(DlqReason.LATE_BEYOND_HORIZON, "at usage.raw.v1-0@5618: polled at ...", 0))
                .containsExactly("LATE_BEYOND_HORIZON at usage.raw.v1-0@5618: polled at ...");
        for (int offset = 5619; offset < 5619 + 17_000; offset++) {
            assertThat(log.sent(DlqReason.LATE_BEYOND_HORIZON, "at usage.raw.v1-0@" + offset, 1_000)).isEmpty();
        }
        assertThat(log.sent(DlqReason.MALFORMED_RECORD, "at usage.raw.v1-1@7: not JSON", 2_000))
                .containsExactly("MALFORMED_RECORD at usage.raw.v1-1@7: not JSON");
        assertThat(log.due(MINUTE - 1)).isEmpty();

        assertThat(log.due(MINUTE)).containsExactly("LATE_BEYOND_HORIZON: 17,000 more records went to the DLQ since "
                + "the last line of this reason, the last at usage.raw.v1-0@22618");
        assertThat(log.due(MINUTE + 2_000)).isEmpty(); // MALFORMED_RECORD had no more: forgotten
        assertThat(log.sent(DlqReason.MALFORMED_RECORD, "at usage.raw.v1-1@9: not JSON", MINUTE + 3_000))
                .containsExactly("MALFORMED_RECORD at usage.raw.v1-1@9: not JSON");
    }

    @Test
    void shouldCountWhatFollowedWhenTheTaskClosesWithinTheMinute() {
        log.sent(DlqReason.LATE_BEYOND_HORIZON, "at usage.raw.v1-0@1", 0);
        log.sent(DlqReason.LATE_BEYOND_HORIZON, "at usage.raw.v1-0@2", 10);
        log.sent(DlqReason.LATE_BEYOND_HORIZON, "at usage.raw.v1-0@3", 20);

        assertThat(log.rest(30_000)).containsExactly("LATE_BEYOND_HORIZON: 2 more records went to the DLQ since the "
                + "last line of this reason, the last at usage.raw.v1-0@3");
    }

    @Test
    void shouldTellInFullAgainAfterAQuietMinute() {
        log.sent(DlqReason.LATE_BEYOND_HORIZON, "at usage.raw.v1-0@1", 0);
        log.sent(DlqReason.LATE_BEYOND_HORIZON, "at usage.raw.v1-0@2", 10);
        assertThat(log.due(MINUTE)).hasSize(1);
        assertThat(log.due(2 * MINUTE)).isEmpty();

        assertThat(log.sent(DlqReason.LATE_BEYOND_HORIZON, "at usage.raw.v1-0@3", 2 * MINUTE + 1))
                .containsExactly("LATE_BEYOND_HORIZON at usage.raw.v1-0@3");
    }
}
