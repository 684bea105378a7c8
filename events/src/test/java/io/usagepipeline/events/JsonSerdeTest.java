package io.usagepipeline.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class JsonSerdeTest {

    @Test
    void shouldRoundTripEveryContractType() {
        assertRoundTrip(Topics.RAW.valueSerde(), TestEvents.completeVacPoll());
        assertRoundTrip(Topics.RAW.valueSerde(), TestEvents.failedAwsPoll());
        assertRoundTrip(Topics.OBSERVATIONS.valueSerde(), TestEvents.observation(new BigDecimal("0.33")));
        assertRoundTrip(Topics.TOTALS.valueSerde(), TestEvents.openTotal());
        assertRoundTrip(Topics.BILLING_RECORDS.valueSerde(), TestEvents.restated(new BigDecimal("1190.4")));
        assertRoundTrip(Topics.DLQ.valueSerde(), TestEvents.dlq());
    }

    @Test
    void shouldKeepDecimalsExact() {
        final BigDecimal sum = new BigDecimal("0.1").add(new BigDecimal("0.2"));
        final Observation observation = TestEvents.observation(sum);

        final String json = text(Topics.OBSERVATIONS.valueSerde().serializer().serialize("t", observation));

        // 0.1 + 0.2 in double is 0.30000000000000004; exact arithmetic writes 0.3
        assertThat(json).contains("\"units\":0.3,").contains("\"rentalUnits\":0.33");
        assertThat(Topics.OBSERVATIONS.valueSerde().deserializer().deserialize("t", bytes(json)).units()).isEqualTo("0.3");
    }

    @Test
    void shouldKeepNumbersInsideRawPagesAsReceived() {
        final String json = text(Topics.RAW.valueSerde().serializer().serialize("t", TestEvents.completeVacPoll()));

        assertThat(json).contains("\"rentalInstances\":1.6,");
        final RawPoll back = Topics.RAW.valueSerde().deserializer().deserialize("t", bytes(json));
        assertThat(back.pages().get(0).get(0).get("rentalInstances").decimalValue()).isEqualTo("1.6");
    }

    @Test
    void shouldRoundToSixFractionalDigitsHalfEvenOnOutput() {
        assertThat(jsonUnits("2.0000005")).isEqualTo("2");          // tie, even neighbour is ...0
        assertThat(jsonUnits("2.0000015")).isEqualTo("2.000002");   // tie, even neighbour is ...2
        assertThat(jsonUnits("0.1234564999")).isEqualTo("0.123456");
        assertThat(jsonUnits("1500")).isEqualTo("1500");            // no 1.5E+3
        assertThat(jsonUnits("12.500000")).isEqualTo("12.5");
    }

    @Test
    void shouldWriteInstantsAsUtcMillis() {
        final String json = text(Topics.RAW.valueSerde().serializer().serialize("t", TestEvents.completeVacPoll()));

        assertThat(json).contains("\"slotStart\":\"2026-11-01T10:15:00.000Z\"")
                .contains("\"polledAt\":\"2026-11-01T10:15:02.345Z\"");
    }

    @Test
    void shouldReadInstantsWithAnOffset() {
        assertThat(Instants.parse("2026-11-01T11:15:00.000+01:00")).isEqualTo(Instant.parse("2026-11-01T10:15:00Z"));
    }

    @Test
    void shouldIgnoreFieldsAddedByALaterV1() {
        final String json = text(Topics.DLQ.valueSerde().serializer().serialize("t", TestEvents.dlq()))
                .replace("{\"schema\"", "{\"addedLater\":{\"x\":1},\"schema\"");

        assertThat(Topics.DLQ.valueSerde().deserializer().deserialize("t", bytes(json))).isEqualTo(TestEvents.dlq());
    }

    @Test
    void shouldNameTheTypeAndTopicWhenAValueCannotBeRead() {
        assertThatThrownBy(() -> Topics.RAW.valueSerde().deserializer().deserialize("usage.raw.v1", bytes("{\"pollId\": 42")))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("RawPoll").hasMessageContaining("usage.raw.v1");
        assertThatThrownBy(() -> Topics.RAW.valueSerde().deserializer().deserialize("usage.raw.v1", bytes("{\"schema\":\"x\",\"itemCount\":0}")))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("pollId");
    }

    private static String jsonUnits(final String units) {
        final String json = text(Topics.OBSERVATIONS.valueSerde().serializer().serialize("t",
                TestEvents.observation(new BigDecimal(units))));
        final int start = json.indexOf("\"units\":") + "\"units\":".length();
        return json.substring(start, json.indexOf(',', start));
    }

    private static <T> void assertRoundTrip(final org.apache.kafka.common.serialization.Serde<T> serde, final T value) {
        final byte[] bytes = serde.serializer().serialize("t", value);
        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(value);
    }

    private static String text(final byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
