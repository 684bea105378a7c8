package io.usagepipeline.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InstantsTest {

    /** The wire form as DESIGN §3 states it, through the general formatter. */
    private static final DateTimeFormatter WIRE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX")
            .withZone(java.time.ZoneOffset.UTC);

    @Test
    void shouldReadTheWireFormAsTheGeneralIsoParserDoes() {
        final Random random = new Random(42);
        final long from = Instant.parse("1900-01-01T00:00:00Z").toEpochMilli();
        final long to = Instant.parse("2200-01-01T00:00:00Z").toEpochMilli();
        for (int i = 0; i < 100_000; i++) {
            // with nanoseconds too: the wire form truncates to milliseconds
            final Instant written = Instant.ofEpochMilli(from + (long) (random.nextDouble() * (to - from)))
                    .plusNanos(random.nextInt(1_000_000));
            final Instant instant = written.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            assertThat(Instants.format(written)).isEqualTo(Instants.format(instant));
            final String text = Instants.format(instant);
            assertThat(text).isEqualTo(WIRE.format(instant));
            assertThat(Instants.parse(text)).as(text).isEqualTo(instant)
                    .isEqualTo(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        }
    }

    @Test
    void shouldReadOtherIsoForms() {
        assertThat(Instants.parse("2026-11-01T10:15:00Z")).isEqualTo(Instant.parse("2026-11-01T10:15:00Z"));
        assertThat(Instants.parse("2026-11-01T12:15:00.5+02:00")).isEqualTo(Instant.parse("2026-11-01T10:15:00.500Z"));
        assertThat(Instants.parse("2024-02-29T23:59:59.999Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59.999Z"));
    }

    @Test
    void shouldRefuseImpossibleTimesInTheWireForm() {
        for (final String text : new String[] {"2026-02-29T00:00:00.000Z", "2026-11-31T00:00:00.000Z",
                "2026-11-01T24:00:00.000Z", "2026-11-01T10:60:00.000Z", "2026-11-01T10:15:61.000Z",
                "2026-13-01T10:15:00.000Z", "2026-11-01T10:1x:00.000Z", "2026-11-01 10:15:00.000Z"}) {
            assertThatThrownBy(() -> Instants.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(text);
        }
    }
}
