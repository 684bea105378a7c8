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
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The binary state reads back exactly what was written, scales of decimals included, and refuses what it is not. */
class StateFormatsTest {

    private static final Instant AT = Instant.parse("2026-03-29T01:30:00.123Z");

    @Test
    void shouldReadBackAPeriodExactly() {
        final BillingPeriod day = BillingPeriod.containing(AT, Granularity.DAY, ZoneId.of("Europe/Berlin"));
        final PeriodFold fold = PeriodFold.empty(day)
                .apply(AT, new BigDecimal("12.500"), 12, Duration.ofHours(3))
                // an integral beyond a long's range, written as bytes
                .apply(AT.plusSeconds(3600), new BigDecimal("1E+15"), 7, Duration.ofHours(3))
                .apply(AT.plusSeconds(7200), new BigDecimal("-0.000001"), 0, Duration.ofHours(3));
        final PeriodState open = PeriodState.opened("acme|aws|AWS_EC2_INSTANCE", fold);
        final PeriodState closed = open.closedAs(3, UUID.randomUUID(), fold.figures());

        for (final PeriodState state : new PeriodState[] {open, closed}) {
            final PeriodState read = StateFormats.PERIOD.deserialize("t", StateFormats.PERIOD.serialize("t", state));
            assertThat(read).isEqualTo(state);
            assertThat(read.fold().unitMillis().scale()).isEqualTo(state.fold().unitMillis().scale());
        }
        assertThat(fold.unitMillis().unscaledValue().bitLength()).isGreaterThan(63);
    }

    @Test
    void shouldReadBackASeriesWithAndWithoutALevel() {
        final SeriesState first = new SeriesState("acme", "aws-acme", SourceKind.VBA_AWS, "AWS_EC2_INSTANCE",
                "instances", null, null, 0);
        final SeriesState observed = new SeriesState("acme", "aws-acme", SourceKind.VBA_AWS, "AWS_EC2_INSTANCE",
                "instances", AT, new BigDecimal("3.10"), 3);
        assertThat(StateFormats.SERIES.deserialize("t", StateFormats.SERIES.serialize("t", first))).isEqualTo(first);
        assertThat(StateFormats.SERIES.deserialize("t", StateFormats.SERIES.serialize("t", observed)))
                .isEqualTo(observed);
    }

    @Test
    void shouldReadTheJsonOfTheFirstFormat() {
        final String json = "{\"tenantId\":\"acme\",\"sourceId\":\"aws-acme\",\"sourceKind\":\"VBA_AWS\","
                + "\"licenseType\":\"AWS_EC2_INSTANCE\",\"unit\":\"instances\","
                + "\"lastObservedAt\":\"2026-02-28T15:00:30.000Z\",\"lastUnits\":3,\"lastCount\":3,"
                + "\"openPeriods\":[\"acme|aws-acme|AWS_EC2_INSTANCE|MONTH|2026-02-01T00:00:00.000Z\"]}";
        assertThat(StateFormats.SERIES.deserialize("t", json.getBytes(StandardCharsets.UTF_8))).isEqualTo(
                new SeriesState("acme", "aws-acme", SourceKind.VBA_AWS, "AWS_EC2_INSTANCE", "instances",
                        Instant.parse("2026-02-28T15:00:30Z"), new BigDecimal("3"), 3));
    }

    @Test
    void shouldRefuseAnUnknownFormatOrATruncatedValue() {
        final byte[] bytes = StateFormats.OPEN_PERIOD.serialize("t", new OpenPeriod("p", "s", AT));
        final byte[] future = bytes.clone();
        future[0] = 2;
        assertThatThrownBy(() -> StateFormats.OPEN_PERIOD.deserialize("t", future))
                .isInstanceOf(SerializationException.class).hasMessageContaining("unknown format (first byte 2)");
        assertThatThrownBy(() -> StateFormats.OPEN_PERIOD.deserialize("t", Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("ends early");
        assertThatThrownBy(() -> StateFormats.LEVEL.deserialize("t", "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("unknown format");
    }
}
