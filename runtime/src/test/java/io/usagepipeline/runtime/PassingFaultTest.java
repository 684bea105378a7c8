package io.usagepipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.runtime.PassingFault.Answer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class PassingFaultTest {

    private Instant now = Instant.parse("2026-12-04T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final PassingFault fault = new PassingFault(Duration.ofSeconds(2), Duration.ofSeconds(10), clock);

    @Test
    void shouldRetryAtOnceThenAtMostOncePerPauseUntilTheFaultHasLastedTooLong() {
        assertThat(fault.lasting()).isEmpty();
        assertThat(fault.seen()).isEqualTo(Answer.RETRY);
        advance(1_999);
        assertThat(fault.seen()).isEqualTo(Answer.WAIT);
        advance(1);
        assertThat(fault.seen()).isEqualTo(Answer.RETRY);
        advance(8_000);
        assertThat(fault.lasting()).contains(Duration.ofSeconds(10));
        assertThat(fault.seen()).isEqualTo(Answer.RETRY); // exactly the allowance: not yet too long
        advance(1);
        assertThat(fault.seen()).isEqualTo(Answer.GIVE_UP);
    }

    @Test
    void shouldCountALaterFaultFromZeroOnceTheFirstHasPassed() {
        assertThat(fault.seen()).isEqualTo(Answer.RETRY);
        advance(9_000);
        fault.passed();
        assertThat(fault.lasting()).isEmpty();
        advance(5_000);
        assertThat(fault.seen()).isEqualTo(Answer.RETRY);
        advance(9_000);
        assertThat(fault.seen()).isEqualTo(Answer.RETRY);
        assertThat(fault.lasting()).contains(Duration.ofSeconds(9));
    }

    private void advance(final long millis) {
        now = now.plusMillis(millis);
    }
}
