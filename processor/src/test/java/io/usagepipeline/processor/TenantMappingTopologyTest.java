package io.usagepipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.events.Endpoint;
import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.Observation;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.RawPoll;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Raw polls are self-describing (DESIGN §3): the tenant comes from the mapping the collector stamped into the poll,
 * the processor's own mapping only serves polls written before the field existed; and every series comes from one
 * poll target, so two VAC tenant ids billed as one customer add up instead of overwriting each other.
 */
class TenantMappingTopologyTest {

    private static final Instant DAY = Instant.parse("2026-03-10T00:00:00Z");
    private static final Instant CLOSES_DAY = Instant.parse("2026-03-11T03:00:00Z");

    private TopologyHarness harness;

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void shouldBillVspcCompaniesFromThePollsOwnMappingWithAnEmptyProcessorConfig() {
        harness = new TopologyHarness(ProcessorConfig.defaults());
        for (final Instant at : new Instant[] {DAY, DAY.plus(Duration.ofHours(12)), CLOSES_DAY}) {
            harness.pipe(vspc(at, Map.of("Alpha", "alpha-co")));
        }

        final Map<String, PeriodRecord> records = TopologyHarness.latest(harness.billing());
        assertThat(records).containsKey(Keys.periodKey("alpha-co|vspc|VBR_RENTAL_INSTANCES", Granularity.DAY, DAY));
        assertThat(records.keySet()).noneMatch(key -> key.startsWith("alpha|"));
    }

    @Test
    void shouldFallBackToTheProcessorsMappingOnlyForPollsWithoutOne() {
        harness = new TopologyHarness(withFallback(Map.of("vspc", Map.of("alpha", "legacy-alpha"))));
        harness.pipe(vspc(DAY, null)); // written before tenantMap existed
        harness.pipe(vspc(DAY.plus(Duration.ofHours(1)), Map.of("Alpha", "alpha-co")));
        harness.pipe(vspc(CLOSES_DAY, Map.of("Alpha", "alpha-co")));

        // (the legacy series then reads as absent: its target answers without it)
        assertThat(harness.observations()).filteredOn(observation -> !observation.absent())
                .extracting(Observation::tenantId).containsExactly("legacy-alpha", "alpha-co", "alpha-co");
    }

    @Test
    void shouldSumTwoVacTenantIdsBilledAsOneCustomer() {
        harness = new TopologyHarness(ProcessorConfig.defaults());
        final Map<String, String> mapping = Map.of("2", "acme", "5", "acme", "7", "initech");
        for (int hour = 0; hour < 24; hour++) {
            final Instant at = DAY.plus(Duration.ofHours(hour));
            harness.pipe(vac(at, "2", 10, mapping));
            harness.pipe(vac(at, "5", 20, mapping));
            harness.pipe(vac(at, "7", 4, mapping));
        }
        for (final String scope : new String[] {"2", "5", "7"}) {
            harness.pipe(vac(CLOSES_DAY, scope, 1, mapping));
        }

        final Map<String, PeriodRecord> records = TopologyHarness.latest(harness.billing());
        final PeriodRecord first = records.get(Keys.periodKey("acme|vac-eu/2|VBR_A", Granularity.DAY, DAY));
        final PeriodRecord second = records.get(Keys.periodKey("acme|vac-eu/5|VBR_A", Granularity.DAY, DAY));
        // each answer is its own steady level all day: 10 x 24 h and 20 x 24 h; together 30 x 24 = 720
        assertThat(first.peakUnits()).isEqualByComparingTo("10");
        assertThat(first.unitHours()).isEqualByComparingTo("240");
        assertThat(second.peakUnits()).isEqualByComparingTo("20");
        assertThat(second.unitHours()).isEqualByComparingTo("480");
        assertThat(records.values().stream().filter(r -> r.tenantId().equals("acme")
                        && r.granularity() == Granularity.DAY && r.periodStart().equals(DAY))
                .map(PeriodRecord::unitHours).reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo("720");
        assertThat(first.sourceId()).isEqualTo("vac-eu");
        // a tenant with one VAC tenant id keeps the plain series key
        assertThat(records.get(Keys.periodKey("initech|vac-eu|VBR_A", Granularity.DAY, DAY)).unitHours())
                .isEqualByComparingTo("96");
    }

    private static ProcessorConfig withFallback(final Map<String, Map<String, String>> fallback) {
        final ProcessorConfig defaults = ProcessorConfig.defaults();
        return new ProcessorConfig("", defaults.maxGap(), defaults.grace(), defaults.horizon(), ZoneId.of("UTC"),
                Map.of(), TenantDirectory.of(fallback));
    }

    private static RawPoll vspc(final Instant at, final Map<String, String> tenantMap) {
        return withTenantMap(Polls.complete("vspc", Endpoint.BACKUP_SERVERS, null, null, at, Polls.json("""
                {"meta":{"pagingInfo":{"total":1,"count":1,"offset":0}},"data":[{"backupServerUid":"s1",
                "company":"Alpha","units":10.0,"usedUnits":3.0,"unitType":"Instances","type":"Rental"}]}""")),
                tenantMap);
    }

    private static RawPoll vac(final Instant at, final String scope, final int used,
                               final Map<String, String> tenantMap) {
        return withTenantMap(Polls.complete("vac-eu", Endpoint.BACKUP_SERVER_USAGE, scope, null, at,
                Polls.json("[{\"type\":\"VBR_A\",\"usedInstances\":" + used + ",\"usedCount\":" + used + "}]")),
                tenantMap);
    }

    private static RawPoll withTenantMap(final RawPoll p, final Map<String, String> tenantMap) {
        return new RawPoll(p.schema(), p.pollId(), p.sourceId(), p.sourceKind(), p.endpoint(), p.scope(),
                p.tenantId(), p.slotStart(), p.polledAt(), p.status(), p.error(), p.pages(), p.itemCount(),
                tenantMap);
    }
}
