package io.usagepipeline.processor.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.SourceKind;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The binary state reads back exactly what was written, scales of decimals included, and refuses what it is not. */
class StateFormatsTest {

    private static final Instant AT = Instant.parse("2026-03-29T01:30:00.123Z");

    @Test
    void shouldReadBackAPeriodExactly() {
        final PeriodFold fold = wideFold();
        final PeriodState open = PeriodState.opened(fold);
        final PeriodState closed = open.closedAs(3, UUID.randomUUID(), fold.figures());

        for (final PeriodState state : new PeriodState[] {open, closed}) {
            final PeriodState read = StateFormats.PERIOD.deserialize("t", StateFormats.PERIOD.serialize("t", state));
            assertThat(read).isEqualTo(state);
            assertThat(read.fold().unitMillis().scale()).isEqualTo(state.fold().unitMillis().scale());
        }
        assertThat(fold.unitMillis().unscaledValue().bitLength()).isGreaterThan(63);
    }

    @Test
    void shouldReadBackASeriesWithItsOpenPeriods() {
        final SeriesState first = new SeriesState("acme", "aws-acme", SourceKind.VBA_AWS, "AWS_EC2_INSTANCE",
                "instances", null, null, 0, List.of());
        final PeriodFold day = wideFold();
        final PeriodFold month = PeriodFold.empty(BillingPeriod.containing(AT, Granularity.MONTH,
                ZoneId.of("Europe/Berlin"))).apply(AT, new BigDecimal("3.10"), 3, Duration.ofHours(3));
        final SeriesState observed = new SeriesState("acme", "aws-acme", SourceKind.VBA_AWS, "AWS_EC2_INSTANCE",
                "instances", AT, new BigDecimal("3.10"), 3,
                List.of(PeriodState.opened(day).published(day.figures()), PeriodState.opened(month)));
        assertThat(StateFormats.SERIES.deserialize("t", StateFormats.SERIES.serialize("t", first))).isEqualTo(first);
        assertThat(StateFormats.SERIES.deserialize("t", StateFormats.SERIES.serialize("t", observed)))
                .isEqualTo(observed);
    }

    /**
     * Values as format 1 wrote them (taken from the stores of that processor, see {@code UpgradeFromBinaryStateTest}):
     * a series without its open periods, which that format kept apart, and a period that began with its series key.
     */
    @Test
    void shouldReadFormatOne() {
        final byte[] series = Base64.getDecoder().decode("AQEAAAAEYWNtZQEAAAAIYXdzLWFjbWUBAAAAB1ZCQV9BV1MBAAAAEEFXU19FQzJf"
                + "SU5TVEFOQ0UBAAAACWluc3RhbmNlcwEAAAGcpFYRsAEAAAAAAAAAAAAAAAgAAAAAAAAACA==");
        assertThat(StateFormats.SERIES.deserialize("t", series)).isEqualTo(new SeriesState("acme", "aws-acme",
                SourceKind.VBA_AWS, "AWS_EC2_INSTANCE", "instances", Instant.parse("2026-02-28T13:00:30Z"),
                new BigDecimal("8"), 8, List.of()));

        final byte[] period = Base64.getDecoder().decode("AQEAAAAeYWNtZXxhd3MtYWNtZXxBV1NfRUMyX0lOU1RBTkNFAQAAAANEQVkBAAAA"
                + "A1VUQwEAAAGcnGUkAAEAAAGcoYuAAAAAAAAFJlwAAQAAAAAAAAAAH1KlcAEAAAAAAAAAAAAAAAkAAAAAAAAACQAAAAAAAAAXAQAAAZyc"
                + "ZZkwAQAAAZyhVQawAQAAAZyh+dIwAQAAAAAAAAAAAAAABAAAAAAAAAAEAQAAAZyh+dIwAQAAAAAAAAAAAAAACAAAAAAAAAAIAAAAAAAA"
                + "AAEB1GgQonS9W/+FBaK7zJK+iQEBAAAAAAAAAAAAAAAJAQAAAAYAAAAAAFzO9AEAAAADAAAAAAACOjcBAAAAAAAAAAAAAAAIAAAAAAAA"
                + "AAkAAAAAAAAACAAAAAAAAAAXAQAAAAAAAAAAAAAAAQEAAAGcnGWZMAEAAAGcoVUGsA==");
        final PeriodState read = StateFormats.PERIOD.deserialize("t", period);
        assertThat(read.period()).isEqualTo(new BillingPeriod(Granularity.DAY, "UTC",
                Instant.parse("2026-02-27T00:00:00Z"), Instant.parse("2026-02-28T00:00:00Z")));
        assertThat(read.revision()).isEqualTo(1);
        assertThat(read.fold().samples()).isEqualTo(23);
        assertThat(read.fold().figures()).isEqualTo(read.published());
        assertThat(read.published().peakUnits()).isEqualByComparingTo("9");
        assertThat(StateFormats.PERIOD.deserialize("t", StateFormats.PERIOD.serialize("t", read))).isEqualTo(read);
    }

    @Test
    void shouldReadTheJsonOfTheFirstFormat() {
        final String json = "{\"tenantId\":\"acme\",\"sourceId\":\"aws-acme\",\"sourceKind\":\"VBA_AWS\","
                + "\"licenseType\":\"AWS_EC2_INSTANCE\",\"unit\":\"instances\","
                + "\"lastObservedAt\":\"2026-02-28T15:00:30.000Z\",\"lastUnits\":3,\"lastCount\":3,"
                + "\"openPeriods\":[\"acme|aws-acme|AWS_EC2_INSTANCE|MONTH|2026-02-01T00:00:00.000Z\"]}";
        assertThat(StateFormats.SERIES.deserialize("t", json.getBytes(StandardCharsets.UTF_8))).isEqualTo(
                new SeriesState("acme", "aws-acme", SourceKind.VBA_AWS, "AWS_EC2_INSTANCE", "instances",
                        Instant.parse("2026-02-28T15:00:30Z"), new BigDecimal("3"), 3, List.of()));
    }

    @Test
    void shouldRefuseAnUnknownFormatOrATruncatedValue() {
        final byte[] bytes = StateFormats.LEVEL.serialize("t", new ObservedLevel(new BigDecimal("2.5"), 2));
        final byte[] future = bytes.clone();
        future[0] = 3;
        assertThatThrownBy(() -> StateFormats.LEVEL.deserialize("t", future))
                .isInstanceOf(SerializationException.class).hasMessageContaining("unknown format (first byte 3)");
        assertThatThrownBy(() -> StateFormats.LEVEL.deserialize("t", Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("ends early");
        assertThatThrownBy(() -> StateFormats.LEVEL.deserialize("t", "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("unknown format");
        // cut inside its first string ("acme": version, presence flag, length 4, then 2 of its 4 bytes)
        final byte[] series = StateFormats.SERIES.serialize("t", new SeriesState("acme", "aws-acme",
                SourceKind.VBA_AWS, "AWS_EC2_INSTANCE", "instances", null, null, 0, List.of()));
        assertThatThrownBy(() -> StateFormats.SERIES.deserialize("t", Arrays.copyOf(series, 8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("ends early");
    }

    @Test
    void shouldReadBackEveryDecimalWithItsScaleOnBothSidesOfALongsRange() {
        for (final String text : List.of("0", "0.00", "-0.000001", "1E+15", "2.5E-20", "999999999999999999",
                "-999999999999999.999", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
                "123456789012345678901234567890.5")) {
            final ObservedLevel level = new ObservedLevel(new BigDecimal(text), 1);
            assertThat(StateFormats.LEVEL.deserialize("t", StateFormats.LEVEL.serialize("t", level)))
                    .as(text).isEqualTo(level);
        }
    }

    /** A day in Berlin whose integral is beyond a long's range, written as bytes. */
    private static PeriodFold wideFold() {
        final BillingPeriod day = BillingPeriod.containing(AT, Granularity.DAY, ZoneId.of("Europe/Berlin"));
        return PeriodFold.empty(day)
                .apply(AT, new BigDecimal("12.500"), 12, Duration.ofHours(3))
                .apply(AT.plusSeconds(3600), new BigDecimal("1E+15"), 7, Duration.ofHours(3))
                .apply(AT.plusSeconds(7200), new BigDecimal("-0.000001"), 0, Duration.ofHours(3));
    }
}
