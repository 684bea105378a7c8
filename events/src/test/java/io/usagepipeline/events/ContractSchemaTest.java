package io.usagepipeline.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every serialized record must satisfy the published JSON Schema of its topic, and bad ones must not. */
class ContractSchemaTest {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(mappers ->
                    mappers.mapPrefix("https://usage-pipeline.io/schemas/", "classpath:schemas/")));

    static Stream<Arguments> records() {
        return Stream.of(
                Arguments.of("raw-poll.v1.json", Topics.RAW.baseName(), TestEvents.completeVacPoll()),
                Arguments.of("raw-poll.v1.json", Topics.RAW.baseName(), TestEvents.failedAwsPoll()),
                Arguments.of("observation.v1.json", Topics.OBSERVATIONS.baseName(),
                        TestEvents.observation(new BigDecimal("0.33"))),
                Arguments.of("period-record.v1.json", Topics.TOTALS.baseName(), TestEvents.openTotal()),
                Arguments.of("period-record.v1.json", Topics.BILLING_RECORDS.baseName(),
                        TestEvents.restated(new BigDecimal("1190.4"))),
                Arguments.of("dlq-record.v1.json", Topics.DLQ.baseName(), TestEvents.dlq()),
                Arguments.of("charge-line.v1.json", Topics.CHARGES.baseName(), TestEvents.restatedCharge()),
                Arguments.of("alert.v1.json", Topics.ALERTS.baseName(), TestEvents.unpricedAlert()),
                Arguments.of("alert.v1.json", Topics.ALERTS.baseName(), TestEvents.unpricedAlert()
                        .resolved(Instant.parse("2026-11-02T00:00:00Z"), "priced by card standard")),
                Arguments.of("vendor-report-line.v1.json", Topics.REPORTS.baseName(), TestEvents.reportLine()),
                Arguments.of("reconciliation.v1.json", Topics.RECONCILIATION.baseName(), TestEvents.reconciliation()),
                Arguments.of("reconciliation.v1.json", Topics.RECONCILIATION.baseName(),
                        TestEvents.onlyInReport()));
    }

    @ParameterizedTest(name = "{0} accepts {2}")
    @MethodSource("records")
    void shouldMatchTheSchemaOfItsTopic(final String schemaFile, final String topic, final Object record)
            throws Exception {
        @SuppressWarnings("unchecked")
        final JsonSerde<Object> serde = new JsonSerde<>((Class<Object>) record.getClass());
        final JsonNode json = Json.mapper().readTree(serde.serialize(topic, record));

        assertThat(schema(schemaFile).validate(json)).isEmpty();
        assertThat(json.get("schema").asText()).isEqualTo(topic);
    }

    @Test
    void shouldRejectACompletePollThatCarriesAnError() throws Exception {
        final ObjectNode json = (ObjectNode) Json.mapper().valueToTree(TestEvents.completeVacPoll());
        json.set("error", Json.mapper().valueToTree(new PollError("HTTP", 500, "boom")));

        assertThat(schema("raw-poll.v1.json").validate(json)).isNotEmpty();
    }

    @Test
    void shouldRejectInstantsWithoutMilliseconds() throws Exception {
        final ObjectNode json = (ObjectNode) Json.mapper().valueToTree(TestEvents.observation(BigDecimal.ONE));
        json.put("observedAt", "2026-11-01T10:15:02Z");

        final Set<ValidationMessage> errors = schema("observation.v1.json").validate(json);
        assertThat(errors).extracting(ValidationMessage::getInstanceLocation).extracting(Object::toString)
                .containsExactly("$.observedAt");
    }

    @Test
    void shouldRejectAnOpenTotalOnTheBillingSchema() throws Exception {
        final ObjectNode json = (ObjectNode) Json.mapper().valueToTree(TestEvents.openTotal());
        json.put("schema", PeriodRecord.BILLING_SCHEMA);

        assertThat(schema("period-record.v1.json").validate(json)).isNotEmpty();
    }

    @Test
    void shouldWriteMoneyWithTheScaleItWasRoundedTo() {
        final byte[] bytes = Topics.CHARGES.valueSerde().serializer().serialize(Topics.CHARGES.baseName(),
                TestEvents.restatedCharge());
        final String json = new String(bytes, StandardCharsets.UTF_8);

        assertThat(json).contains("\"amount\":765.00,").contains("\"delta\":45.00,").contains("\"unitPrice\":null,")
                .contains("\"discountPercent\":10,");
        assertThat(Topics.CHARGES.valueSerde().deserializer().deserialize(Topics.CHARGES.baseName(), bytes))
                .isEqualTo(TestEvents.restatedCharge());
    }

    @Test
    void shouldRejectARestatedChargeWithoutWhatItSupersedes() throws Exception {
        final ObjectNode json = (ObjectNode) Json.mapper().valueToTree(TestEvents.restatedCharge());
        json.putNull("supersedes");

        assertThat(schema("charge-line.v1.json").validate(json)).isNotEmpty();
    }

    private static JsonSchema schema(final String file) {
        return FACTORY.getSchema(SchemaLocation.of("https://usage-pipeline.io/schemas/" + file));
    }
}
