package io.usagepipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.usagepipeline.events.Alert;
import io.usagepipeline.events.Endpoint;
import io.usagepipeline.events.Json;
import io.usagepipeline.events.JsonSerde;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.processor.alerts.AlertRules;
import io.usagepipeline.processor.alerts.WatchFormats;
import io.usagepipeline.processor.billing.LegacyStores;
import io.usagepipeline.processor.billing.ObservedLevel;
import io.usagepipeline.processor.billing.StateFormats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * A processor upgraded from the first state format (JSON values, a key-value history, a closing index, an alert
 * deadlines store) goes on from that state and publishes exactly what the old processor published for the same polls:
 * billing records, OPEN totals and alerts.
 *
 * <p>The fixture was written by the processor of commit {@code ad4c1c4}, the last with JSON state, on a
 * TopologyTestDriver: {@code legacy-state/json-v1-state.jsonl} is every entry of its stores after
 * {@link #polls}{@code (true)}, each value exactly as its changelog held it, and {@code json-v1-after-cut.jsonl} what
 * it then published for {@code polls(false)}.
 */
class UpgradeFromJsonStateTest {

    private static final Instant START = Instant.parse("2026-02-26T00:00:00Z");
    /** The hour at which the old processor's state was taken. */
    private static final int CUT = 64;

    @Test
    void shouldGoOnFromTheOldStateAndPublishWhatTheOldProcessorDid() {
        final Expected old = Expected.read("json-v1-after-cut.jsonl");
        try (TopologyHarness upgraded = new TopologyHarness(ProcessorConfig.defaults())) {
            loadOldState(upgraded);
            polls(false).forEach(upgraded::pipe);

            assertThat(upgraded.billing()).as("closed days and February, and a restated day")
                    .containsExactlyElementsOf(old.billing);
            assertThat(byKey(upgraded.totals())).isEqualTo(old.totalsByKey);
            assertThat(upgraded.alerts()).as("a target failing across the upgrade, and a spike")
                    .hasSize(4).containsExactlyElementsOf(old.alerts);
            final KeyValueStore<String, String> closingIndex = upgraded.driver()
                    .getKeyValueStore(LegacyStores.CLOSING_INDEX);
            assertThat(closingIndex.all().hasNext()).as("every period the old format opened has closed and left")
                    .isFalse();
        }
    }

    @Test
    void shouldPublishAfterTheUpgradeWhatAProcessorWithNewStateDoes() {
        try (TopologyHarness upgraded = new TopologyHarness(ProcessorConfig.defaults());
             TopologyHarness fresh = new TopologyHarness(ProcessorConfig.defaults())) {
            loadOldState(upgraded);
            polls(true).forEach(fresh::pipe);
            fresh.billing();
            fresh.totals();
            fresh.alerts();
            polls(false).forEach(upgraded::pipe);
            polls(false).forEach(fresh::pipe);

            final List<PeriodRecord> records = fresh.billing();
            assertThat(records).anyMatch(record -> record.revision() == 2);
            assertThat(upgraded.billing()).containsExactlyElementsOf(records);
            assertThat(byKey(upgraded.totals())).isEqualTo(byKey(fresh.totals()));
            assertThat(upgraded.alerts()).containsExactlyElementsOf(fresh.alerts());
        }
    }

    /**
     * Hourly polls of an AWS tenant (FAILED now and then, and for six hours around the cut) and of a VAC company whose
     * backup type goes at hour 60 and whose VMs spike at hour 100.
     */
    static List<RawPoll> polls(final boolean beforeCut) {
        final List<RawPoll> polls = new ArrayList<>();
        for (int hour = 0; hour < 5 * 24; hour++) {
            if (hour < CUT != beforeCut) {
                continue;
            }
            final Instant at = START.plus(Duration.ofHours(hour)).plusSeconds(30);
            polls.add(hour % 17 == 5 || hour >= 62 && hour <= 67
                    ? Polls.failed("aws-acme", Endpoint.LICENSED_WORKLOADS, null, "acme", at)
                    : Polls.aws(at, 3 + hour % 7));
            polls.add(hour < 60 ? Polls.vac(at, "VBR_vSphere_VM", 10 + hour / 24, "CC_Server_Backup", 2)
                    : Polls.vac(at, "VBR_vSphere_VM", hour == 100 ? 40 : 10 + hour / 24));
        }
        if (!beforeCut) {
            // a late poll that restates a closed day, and a second copy of a poll from before the cut
            polls.add(2, Polls.aws(START.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(90)), 40));
            polls.add(4, Polls.vac(START.plus(Duration.ofHours(CUT - 1)).plusSeconds(30), "VBR_vSphere_VM",
                    10 + (CUT - 1) / 24));
        }
        return polls;
    }

    /** Puts the old processor's state into the stores, each value read from its JSON as a restore would. */
    private static void loadOldState(final TopologyHarness harness) {
        final Deserializer<ObservedLevel> oldLevel = JsonSerde.exact(ObservedLevel.class);
        for (final JsonNode line : lines("json-v1-state.jsonl")) {
            final String store = line.get("store").asText();
            final String key = line.get("key").asText();
            final JsonNode value = line.get("value");
            final byte[] json = value.asText().getBytes(StandardCharsets.UTF_8);
            switch (store) {
                case ProcessorStores.DEDUP -> harness.driver().<String, Long>getWindowStore(store)
                        .put(key, value.asLong(), line.get("windowStart").asLong());
                case ProcessorStores.TARGETS -> harness.driver().getKeyValueStore(store)
                        .put(key, SnapshotDiff.TARGET_STATE.deserialize(store, json));
                case ProcessorStores.SERIES -> harness.driver().getKeyValueStore(store)
                        .put(key, StateFormats.SERIES.deserialize(store, json));
                case ProcessorStores.PERIODS -> harness.driver().getKeyValueStore(store)
                        .put(key, StateFormats.PERIOD.deserialize(store, json));
                case LegacyStores.HISTORY -> harness.driver().getKeyValueStore(store)
                        .put(key, oldLevel.deserialize(store, json));
                case LegacyStores.CLOSING_INDEX -> harness.driver().getKeyValueStore(store).put(key, value.asText());
                case AlertRules.TARGETS_STORE -> harness.driver().getKeyValueStore(store)
                        .put(key, WatchFormats.TARGET.deserialize(store, json));
                case AlertRules.SERIES_STORE -> harness.driver().getKeyValueStore(store)
                        .put(key, WatchFormats.SERIES.deserialize(store, json));
                case "alert-deadlines-store" -> {
                    // gone: the deadlines follow from the targets' state
                }
                default -> throw new IllegalStateException("a store of the old format not known here: " + store);
            }
        }
    }

    /** Each period key's totals in the order published (the order across keys within one poll may differ). */
    static Map<String, List<PeriodRecord>> byKey(final List<TestRecord<String, PeriodRecord>> totals) {
        final Map<String, List<PeriodRecord>> byKey = new LinkedHashMap<>();
        totals.forEach(record -> byKey.computeIfAbsent(record.key(), key -> new ArrayList<>()).add(record.value()));
        return byKey;
    }

    /** What an old processor published after the cut, read from a fixture file. */
    record Expected(List<PeriodRecord> billing, Map<String, List<PeriodRecord>> totalsByKey, List<Alert> alerts) {
        static Expected read(final String name) {
            final Deserializer<PeriodRecord> records = new JsonSerde<>(PeriodRecord.class);
            final Deserializer<Alert> alertRecords = new JsonSerde<>(Alert.class);
            final List<Alert> alerts = new ArrayList<>();
            final List<PeriodRecord> billing = new ArrayList<>();
            final Map<String, List<PeriodRecord>> totals = new LinkedHashMap<>();
            for (final JsonNode line : lines(name)) {
                final JsonNode record = line.get("record");
                if (line.get("topic").asText().equals("alerts")) {
                    alerts.add(alertRecords.deserialize("expected",
                            record.toString().getBytes(StandardCharsets.UTF_8)));
                    continue;
                }
                final PeriodRecord value = record.isNull() ? null
                        : records.deserialize("expected", record.toString().getBytes(StandardCharsets.UTF_8));
                if (line.get("topic").asText().equals("billing")) {
                    billing.add(Objects.requireNonNull(value));
                } else {
                    totals.computeIfAbsent(line.get("key").asText(), key -> new ArrayList<>()).add(value);
                }
            }
            return new Expected(billing, totals, alerts);
        }
    }

    static List<JsonNode> lines(final String name) {
        final List<JsonNode> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                UpgradeFromJsonStateTest.class.getResourceAsStream("/legacy-state/" + name)),
                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(Json.mapper().readTree(line));
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }
}
