package io.usagepipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PassingFaultTest {

    private Instant now = Instant.parse("2026-12-04T10:00:00Z");
    private int starts;
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final PassingFault fault = new PassingFault("worker", "a topic went missing", Duration.ofSeconds(2),
            Duration.ofSeconds(10), clock);

    @Test
    void shouldStartAgainAtOnceThenAtMostOncePerPauseUntilTheFaultHasLastedTooLong() {
        assertThat(fault.reason()).isEmpty();
        assertThat(seen()).isEmpty();
        assertThat(starts).isEqualTo(1);
        advance(1_999);
        assertThat(seen()).isEmpty();
        assertThat(starts).isEqualTo(1);
        advance(1);
        assertThat(seen()).isEmpty();
        assertThat(starts).isEqualTo(2);
        advance(8_000);
        assertThat(fault.reason()).contains("a topic went missing 10 s ago; starting again until it has lasted 10 s");
        assertThat(seen()).isEmpty(); // exactly the allowance: not yet too long
        assertThat(starts).isEqualTo(3);
        advance(1);
        assertThat(seen()).isEqualTo(OptionalInt.of(ExitCodes.FAILED));
        assertThat(seen()).isEqualTo(OptionalInt.of(ExitCodes.FAILED)); // asked again: still given up
        assertThat(starts).isEqualTo(3);
        assertThat(fault.reason()).contains("a topic went missing 10 s ago and has not passed within 10 s");
    }

    @Test
    void shouldCountALaterFaultFromZeroOnceTheFirstHasPassed() {
        seen();
        advance(9_000);
        fault.passed();
        assertThat(fault.reason()).isEmpty();
        advance(5_000);
        assertThat(seen()).isEmpty();
        advance(9_000);
        assertThat(seen()).isEmpty();
        assertThat(starts).isEqualTo(3);
        assertThat(fault.reason()).contains("a topic went missing 9 s ago; starting again until it has lasted 10 s");
    }

    private OptionalInt seen() {
        return fault.seen(() -> starts++);
    }

    private void advance(final long millis) {
        now = now.plusMillis(millis);
    }
}
