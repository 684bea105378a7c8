package io.usagepipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.usagepipeline.processor.UpgradeFromJsonStateTest.Expected;
import io.usagepipeline.processor.alerts.AlertRules;
import io.usagepipeline.processor.alerts.WatchFormats;
import io.usagepipeline.processor.billing.LegacyStores;
import io.usagepipeline.processor.billing.PeriodState;
import io.usagepipeline.processor.billing.StateFormats;
import java.util.Base64;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * A processor upgraded from state format 1 (binary values, a series' open periods in the periods store and indexed in
 * an open-periods store) goes on from that state and publishes exactly what the format-1 processor published for the
 * same polls: billing records, OPEN totals and alerts.
 *
 * <p>The fixture was written by the processor of commit {@code 7f24441}, the last of format 1, on a TopologyTestDriver:
 * {@code legacy-state/binary-v1-state.jsonl} holds every entry of its stores after
 * {@link UpgradeFromJsonStateTest#polls}{@code (true)}, each value as its changelog held it (Base64), and
 * {@code binary-v1-after-cut.jsonl} what it then published for {@code polls(false)}.
 */
class UpgradeFromBinaryStateTest {

    @Test
    void shouldGoOnFromFormatOneAndPublishWhatItsProcessorDid() {
        final Expected old = Expected.read("binary-v1-after-cut.jsonl");
        try (TopologyHarness upgraded = new TopologyHarness(ProcessorConfig.defaults())) {
            loadFormatOne(upgraded);
            UpgradeFromJsonStateTest.polls(false).forEach(upgraded::pipe);

            assertThat(upgraded.billing()).as("closed days and February, and a restated day")
                    .containsExactlyElementsOf(old.billing());
            assertThat(UpgradeFromJsonStateTest.byKey(upgraded.totals())).isEqualTo(old.totalsByKey());
            assertThat(upgraded.alerts()).hasSize(4).containsExactlyElementsOf(old.alerts());

            final KeyValueStore<String, Bytes> openPeriods = upgraded.driver()
                    .getKeyValueStore(LegacyStores.OPEN_PERIODS);
            assertThat(openPeriods.all().hasNext()).as("the open periods moved into their series").isFalse();
            final KeyValueStore<String, PeriodState> periods = upgraded.driver()
                    .getKeyValueStore(ProcessorStores.PERIODS);
            try (var all = periods.all()) {
                all.forEachRemaining(entry -> assertThat(entry.value.revision()).as(entry.key).isPositive());
            }
            assertThat(upgraded.periodKeys()).as("the open month of each series, in its series' value")
                    .contains("acme|aws-acme|AWS_EC2_INSTANCE|MONTH|2026-03-01T00:00:00.000Z");
        }
    }

    /** Puts the format-1 processor's state into the stores, each value read from its bytes as a restore would. */
    private static void loadFormatOne(final TopologyHarness harness) {
        for (final JsonNode line : UpgradeFromJsonStateTest.lines("binary-v1-state.jsonl")) {
            final String store = line.get("store").asText();
            final String key = line.get("key").asText();
            final byte[] value = Base64.getDecoder().decode(line.get("value").asText());
            switch (store) {
                case ProcessorStores.DEDUP -> harness.driver().<String, Long>getWindowStore(store)
                        .put(key, Serdes.Long().deserializer().deserialize(store, value),
                                line.get("windowStart").asLong());
                case ProcessorStores.HISTORY -> harness.driver().getWindowStore(store)
                        .put(key, StateFormats.LEVEL.deserialize(store, value), line.get("windowStart").asLong());
                case ProcessorStores.TARGETS -> harness.driver().getKeyValueStore(store)
                        .put(key, SnapshotDiff.TARGET_STATE.deserialize(store, value));
                case ProcessorStores.SERIES -> harness.driver().getKeyValueStore(store)
                        .put(key, StateFormats.SERIES.deserialize(store, value));
                case ProcessorStores.PERIODS -> harness.driver().getKeyValueStore(store)
                        .put(key, StateFormats.PERIOD.deserialize(store, value));
                case LegacyStores.OPEN_PERIODS -> harness.driver().getKeyValueStore(store).put(key, Bytes.wrap(value));
                case AlertRules.TARGETS_STORE -> harness.driver().getKeyValueStore(store)
                        .put(key, WatchFormats.TARGET.deserialize(store, value));
                case AlertRules.SERIES_STORE -> harness.driver().getKeyValueStore(store)
                        .put(key, WatchFormats.SERIES.deserialize(store, value));
                default -> throw new IllegalStateException("a store of format 1 not known here: " + store);
            }
        }
        assertThat(harness.driver().getKeyValueStore(LegacyStores.OPEN_PERIODS).approximateNumEntries())
                .as("format 1 had its open periods indexed apart").isPositive();
    }
}
