package io.usagepipeline.processor;

import io.usagepipeline.events.Alert;
import io.usagepipeline.events.DlqRecord;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.Observation;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.events.Topics;
import io.usagepipeline.events.VendorReportLine;
import io.usagepipeline.processor.billing.SeriesState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;

/** The production topology on a TopologyTestDriver, with typed access to every topic. */
final class TopologyHarness implements AutoCloseable {

    private final TopologyTestDriver driver;
    private final TestInputTopic<String, byte[]> raw;
    private final TestOutputTopic<String, Observation> observations;
    private final TestOutputTopic<String, PeriodRecord> totals;
    private final TestOutputTopic<String, PeriodRecord> billing;
    private final TestOutputTopic<String, DlqRecord> dlq;
    private final TestOutputTopic<String, Alert> alerts;
    private final TestOutputTopic<String, VendorReportLine> reports;
    private final Path stateDir;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    TopologyHarness(final ProcessorConfig config) {
        this(config, Profile.LIVE);
    }

    TopologyHarness(final ProcessorConfig config, final Profile profile) {
        this(config, profile, Run.SERVICE);
    }

    TopologyHarness(final ProcessorConfig config, final Profile profile, final Run run) {
        try {
            stateDir = Files.createTempDirectory("topology-test-");
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.putAll(UsageProcessor.streamsConfig("topology-test", Map.of(), stateDir, profile));
        driver = new TopologyTestDriver(UsageTopology.build(config, new ProcessorMetrics(registry, Clock.systemUTC()),
                config.topicPrefix(), profile, run), props);
        final String prefix = config.topicPrefix();
        raw = driver.createInputTopic(Topics.RAW.name(prefix), Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        observations = driver.createOutputTopic(Topics.OBSERVATIONS.name(prefix), Serdes.String().deserializer(),
                Topics.OBSERVATIONS.valueSerde().deserializer());
        totals = driver.createOutputTopic(Topics.TOTALS.name(prefix), Serdes.String().deserializer(),
                Topics.TOTALS.valueSerde().deserializer());
        billing = driver.createOutputTopic(Topics.BILLING_RECORDS.name(prefix), Serdes.String().deserializer(),
                Topics.BILLING_RECORDS.valueSerde().deserializer());
        dlq = driver.createOutputTopic(Topics.DLQ.name(prefix), Serdes.String().deserializer(),
                Topics.DLQ.valueSerde().deserializer());
        alerts = driver.createOutputTopic(Topics.ALERTS.name(prefix), Serdes.String().deserializer(),
                Topics.ALERTS.valueSerde().deserializer());
        reports = driver.createOutputTopic(Topics.REPORTS.name(prefix), Serdes.String().deserializer(),
                Topics.REPORTS.valueSerde().deserializer());
    }

    TopologyHarness pipe(final RawPoll poll) {
        raw.pipeInput(poll.pollTarget(), Topics.RAW.valueSerde().serializer().serialize("raw", poll), poll.polledAt());
        return this;
    }

    TopologyHarness pipeBytes(final String key, final String value, final Instant at) {
        raw.pipeInput(key, value.getBytes(StandardCharsets.UTF_8), at);
        return this;
    }

    List<Observation> observations() {
        return observations.readValuesToList();
    }

    List<TestRecord<String, PeriodRecord>> totals() {
        return totals.readRecordsToList();
    }

    List<PeriodRecord> billing() {
        return billing.readValuesToList();
    }

    List<DlqRecord> dlq() {
        return dlq.readValuesToList();
    }

    List<TestRecord<String, VendorReportLine>> reports() {
        return reports.readRecordsToList();
    }

    List<Alert> alerts() {
        return alerts.readValuesToList();
    }

    /** The latest revision per period key, as a compacted topic (or the sink) would hold it. */
    static Map<String, PeriodRecord> latest(final List<PeriodRecord> records) {
        final Map<String, PeriodRecord> latest = new LinkedHashMap<>();
        records.forEach(record -> latest.merge(record.periodKey(), record,
                (old, now) -> now.revision() >= old.revision() ? now : old));
        return latest;
    }

    /** The keys of a key-value store of the topology, in order. */
    List<String> storeKeys(final String storeName) {
        final List<String> keys = new ArrayList<>();
        try (var it = driver.getKeyValueStore(storeName).all()) {
            it.forEachRemaining(entry -> keys.add((String) entry.key));
        }
        return keys;
    }

    /** The keys of every period the processor keeps: closed ones in their store, open ones in their series' value. */
    List<String> periodKeys() {
        final List<String> keys = new ArrayList<>(storeKeys(ProcessorStores.PERIODS));
        try (var it = driver.<String, SeriesState>getKeyValueStore(ProcessorStores.SERIES).all()) {
            it.forEachRemaining(entry -> entry.value.open().forEach(open -> keys.add(Keys.periodKey(entry.key,
                    open.fold().period().granularity(), open.fold().period().start()))));
        }
        keys.sort(null);
        return keys;
    }

    /** The instants of a series' history the processor keeps. */
    List<Instant> historyOf(final String seriesKey) {
        final List<Instant> instants = new ArrayList<>();
        try (var it = driver.<String, Object>getWindowStore(ProcessorStores.HISTORY)
                .fetch(seriesKey, Instant.EPOCH, Instant.parse("9999-01-01T00:00:00Z"))) {
            it.forEachRemaining(entry -> instants.add(Instant.ofEpochMilli(entry.key)));
        }
        return instants;
    }

    /**
     * Puts every entry of this topology's stores into {@code other}'s, as a processor restarted on this state with
     * another configuration would find them.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void copyStateTo(final TopologyHarness other) {
        driver.getAllStateStores().forEach((name, store) -> {
            if (store instanceof KeyValueStore source) {
                final KeyValueStore target = other.driver.getKeyValueStore(name);
                try (KeyValueIterator<Object, Object> all = source.all()) {
                    all.forEachRemaining(entry -> target.put(entry.key, entry.value));
                }
            } else if (store instanceof WindowStore source) {
                final WindowStore target = other.driver.getWindowStore(name);
                try (KeyValueIterator<Windowed<Object>, Object> all = source.all()) {
                    all.forEachRemaining(entry -> target.put(entry.key.key(), entry.value,
                            entry.key.window().start()));
                }
            } else {
                throw new IllegalStateException("a store of a kind not copied: " + name);
            }
        });
    }

    /** The driver itself, for what a test does to the topology's stores. */
    TopologyTestDriver driver() {
        return driver;
    }

    /** The value of a processor counter, e.g. {@code usage.processor.dlq} with tag reason=LATE_BEYOND_HORIZON. */
    double counter(final String name, final String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    @Override
    public void close() {
        driver.close();
        try (var paths = Files.walk(stateDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (final IOException e) {
            // temporary files only
        }
    }
}
