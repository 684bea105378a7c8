package io.usagepipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** A service's console hears of its backlog every half minute while it lasts, and once when it is gone. */
class BacklogLogTest {

    private static final long SECOND = 1_000_000_000L;
    private final BacklogLog log = new BacklogLog("processor");

    @Test
    void shouldSayNothingOfABacklogGoneWithinHalfAMinute() {
        assertThat(log.next(OptionalLong.of(120), 0)).isEmpty();
        assertThat(log.next(OptionalLong.of(40), 29 * SECOND)).isEmpty();
        assertThat(log.next(OptionalLong.of(0), 30 * SECOND)).isEmpty();
        assertThat(log.next(OptionalLong.of(3), 31 * SECOND)).isEmpty(); // a new one, counted from now
        assertThat(log.next(OptionalLong.of(3), 60 * SECOND)).isEmpty();
    }

    @Test
    void shouldSayEveryHalfMinuteHowFarBehindItIsAndOnceThatItHasCaughtUp() {
        assertThat(log.next(OptionalLong.of(24_484), 0)).isEmpty();
        assertThat(log.next(OptionalLong.of(20_000), 30 * SECOND))
                .contains("processor has 20,000 records of its input still to read");
        assertThat(log.next(OptionalLong.of(15_000), 45 * SECOND)).isEmpty();
        assertThat(log.next(OptionalLong.of(9_000), 60 * SECOND))
                .contains("processor has 9,000 records of its input still to read");
        assertThat(log.next(OptionalLong.of(0), 70 * SECOND)).contains("processor has caught up with its input");
        assertThat(log.next(OptionalLong.of(0), 100 * SECOND)).isEmpty();
    }

    @Test
    void shouldSayNothingWhileTheServiceDoesNotKnow() {
        assertThat(log.next(OptionalLong.empty(), 0)).isEqualTo(Optional.empty());
        assertThat(log.next(OptionalLong.empty(), 300 * SECOND)).isEmpty();
    }
}
