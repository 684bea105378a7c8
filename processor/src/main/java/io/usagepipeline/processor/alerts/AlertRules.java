package io.usagepipeline.processor.alerts;

import io.usagepipeline.events.Alert;
import io.usagepipeline.events.AlertKind;
import io.usagepipeline.events.JsonSerde;
import io.usagepipeline.events.Observation;
import io.usagepipeline.events.PollStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Watches poll targets and series, and publishes one alert when an episode starts and one when it ends:
 * <ul>
 *   <li>TARGET_FAILING: a target without a COMPLETE poll for longer than maxGap (its series are turning into gaps);
 *       it starts at the last COMPLETE poll + maxGap and ends with the next COMPLETE poll;</li>
 *   <li>DROPPED_TO_ZERO: a series above zero for at least a day falls to zero or absent (backups stopped, or a
 *       customer left); it ends when the series is above zero again;</li>
 *   <li>SPIKE: a level above the spike factor times the series' peak of the day before (UTC days), and at least the
 *       minimum delta above it; it ends with the first level that is not a spike.</li>
 * </ul>
 * Every time is an event time (a poll's or an observation's), and a target's deadline is checked when a later event
 * reaches this task, in record order: a replay of the same raw topic gives the same alerts.
 */
public final class AlertRules implements Processor<String, Object, String, Alert> {

    /** Per poll target: its last COMPLETE poll and its open TARGET_FAILING episode. */
    public static final String TARGETS_STORE = "alert-targets-store";
    /** Per series: its level, since when it is above zero, its peaks by day and its open episodes. */
    public static final String SERIES_STORE = "alert-series-store";
    /** The instant each target becomes failing, as {@code <epoch millis, 13 digits>|target}: found in order. */
    public static final String DEADLINES_STORE = "alert-deadlines-store";

    private static final Duration LONG_ENOUGH_TO_MISS = Duration.ofDays(1);

    private final Duration maxGap;
    private final AlertThresholds thresholds;
    private final Consumer<AlertKind> counted;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, TargetWatch> targets;
    private KeyValueStore<String, SeriesWatch> series;
    private KeyValueStore<String, String> deadlines;
    /**
     * Every deadline before this instant has been looked at (in memory: after a restart the first look starts from
     * the beginning of the store once).
     */
    private Instant deadlinesScannedTo = Instant.EPOCH;

    /**
     * @param counted told of every alert published, for the metrics
     */
    AlertRules(final Duration maxGap, final AlertThresholds thresholds, final Consumer<AlertKind> counted) {
        this.maxGap = maxGap;
        this.thresholds = thresholds;
        this.counted = counted;
    }

    /** What is known of a target. */
    record TargetWatch(String tenantId, Instant lastComplete, Alert failing) {
    }

    /**
     * What is known of a series.
     *
     * @param day the UTC day of its last observation, e.g. {@code 2026-03-10}
     */
    record SeriesWatch(String tenantId, BigDecimal level, Instant aboveZeroSince, String day, BigDecimal dayPeak,
                       BigDecimal previousDayPeak, Alert dropped, Alert spike) {
    }

    /** The supplier, which owns the rules' stores. */
    public static ProcessorSupplier<String, Object, String, Alert> supplier(final Duration maxGap,
                                                                         final AlertThresholds thresholds,
                                                                         final Consumer<AlertKind> counted) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, Object, String, Alert> get() {
                return new AlertRules(maxGap, thresholds, counted);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TARGETS_STORE), Serdes.String(),
                                JsonSerde.exact(TargetWatch.class)),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SERIES_STORE), Serdes.String(),
                                JsonSerde.exact(SeriesWatch.class)),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEADLINES_STORE),
                                Serdes.String(), Serdes.String()));
            }
        };
    }

    @Override
    public void init(final ProcessorContext<String, Alert> context) {
        this.context = context;
        this.targets = context.getStateStore(TARGETS_STORE);
        this.series = context.getStateStore(SERIES_STORE);
        this.deadlines = context.getStateStore(DEADLINES_STORE);
    }

    @Override
    public void process(final Record<String, Object> record) {
        if (record.value() instanceof TargetPolled polled) {
            failDueTargets(polled.polledAt());
            target(polled);
        } else if (record.value() instanceof Observation observation) {
            failDueTargets(observation.observedAt());
            series(observation);
        }
    }

    /** Starts TARGET_FAILING for every target whose deadline lies before {@code now}: silent for longer than maxGap. */
    private void failDueTargets(final Instant now) {
        if (!now.isAfter(deadlinesScannedTo)) {
            return;
        }
        final List<KeyValue<String, String>> due = new ArrayList<>();
        // from where the last look ended, not from the beginning: each poll deletes its target's previous deadline,
        // and a store iterator steps over every deleted key until compaction drops them
        try (KeyValueIterator<String, String> all = deadlines.range(deadline(deadlinesScannedTo, ""),
                deadline(now.minusMillis(1), "\uffff"))) {
            all.forEachRemaining(due::add);
        }
        deadlinesScannedTo = now;
        for (final KeyValue<String, String> entry : due) {
            deadlines.delete(entry.key);
            final TargetWatch watch = targets.get(entry.value);
            if (watch != null && watch.failing() == null) {
                final Instant since = watch.lastComplete().plus(maxGap);
                final Alert alert = Alert.started(AlertKind.TARGET_FAILING, entry.value, watch.tenantId(), since,
                        "no complete poll since " + watch.lastComplete() + ": its series become gaps after maxGap ("
                                + maxGap + "); check the appliance, its credentials and the collector's log");
                publish(alert);
                targets.put(entry.value, new TargetWatch(watch.tenantId(), watch.lastComplete(), alert));
            }
        }
    }

    /** A target's deadline; one before the last look is looked at again next time. */
    private void setDeadline(final Instant at, final String pollTarget) {
        deadlines.put(deadline(at, pollTarget), pollTarget);
        if (at.isBefore(deadlinesScannedTo)) {
            deadlinesScannedTo = at;
        }
    }

    private void target(final TargetPolled polled) {
        if (polled.status() != PollStatus.COMPLETE) {
            if (targets.get(polled.pollTarget()) == null) {
                // never answered yet: failing from its first poll on, once maxGap has passed
                targets.put(polled.pollTarget(), new TargetWatch(polled.tenantId(), polled.polledAt(), null));
                setDeadline(polled.polledAt().plus(maxGap), polled.pollTarget());
            }
            return;
        }
        final TargetWatch watch = targets.get(polled.pollTarget());
        if (watch != null && polled.polledAt().isBefore(watch.lastComplete())) {
            return; // a late poll: the target has answered since
        }
        if (watch != null) {
            deadlines.delete(deadline(watch.lastComplete().plus(maxGap), polled.pollTarget()));
            if (watch.failing() != null) {
                publish(watch.failing().resolved(polled.polledAt(), "a complete poll again at " + polled.polledAt()));
            }
        }
        targets.put(polled.pollTarget(), new TargetWatch(polled.tenantId(), polled.polledAt(), null));
        setDeadline(polled.polledAt().plus(maxGap), polled.pollTarget());
    }

    private void series(final Observation observation) {
        final Instant at = observation.observedAt();
        final BigDecimal level = observation.absent() ? BigDecimal.ZERO : observation.units();
        final SeriesWatch watch = series.get(observation.seriesKey());
        final LocalDate day = at.atZone(ZoneOffset.UTC).toLocalDate();
        BigDecimal previousDayPeak = null;
        BigDecimal dayPeak = level;
        if (watch != null) {
            final LocalDate watched = LocalDate.parse(watch.day());
            if (day.equals(watched)) {
                previousDayPeak = watch.previousDayPeak();
                dayPeak = watch.dayPeak().max(level);
            } else if (day.equals(watched.plusDays(1))) {
                previousDayPeak = watch.dayPeak();
            } else if (day.isBefore(watched)) {
                return; // an observation older than the day the watch is at: the rules look forward only
            }
        }
        Alert dropped = watch == null ? null : watch.dropped();
        Instant aboveZeroSince = watch == null ? null : watch.aboveZeroSince();
        if (level.signum() > 0) {
            if (dropped != null) {
                publish(dropped.resolved(at, "above zero again: " + level.toPlainString() + " " + observation.unit()));
                dropped = null;
            }
            aboveZeroSince = aboveZeroSince == null ? at : aboveZeroSince;
        } else {
            if (dropped == null && aboveZeroSince != null
                    && !at.isBefore(aboveZeroSince.plus(LONG_ENOUGH_TO_MISS))) {
                dropped = Alert.started(AlertKind.DROPPED_TO_ZERO, observation.seriesKey(), observation.tenantId(), at,
                        (observation.absent() ? "absent from its target's answer" : "at zero") + " after "
                                + watch.level().toPlainString() + " " + observation.unit() + ", above zero since "
                                + aboveZeroSince + ": backups stopped, or the customer left");
                publish(dropped);
            }
            aboveZeroSince = null;
        }
        Alert spike = watch == null ? null : watch.spike();
        final boolean spiking = previousDayPeak != null && thresholds.spike(level, previousDayPeak);
        if (spiking && spike == null) {
            spike = Alert.started(AlertKind.SPIKE, observation.seriesKey(), observation.tenantId(), at,
                    level.toPlainString() + " " + observation.unit() + ", more than " + thresholds.spikeFactor()
                            + " times the day before's peak of " + previousDayPeak.toPlainString()
                            + ": check it before it is billed");
            publish(spike);
        } else if (!spiking && spike != null) {
            publish(spike.resolved(at, "back to " + level.toPlainString() + " " + observation.unit()));
            spike = null;
        }
        series.put(observation.seriesKey(), new SeriesWatch(observation.tenantId(), level, aboveZeroSince,
                day.toString(), dayPeak, previousDayPeak, dropped, spike));
    }

    private void publish(final Alert alert) {
        final Instant at = alert.resolvedAt() != null ? alert.resolvedAt() : alert.startedAt();
        context.forward(new Record<>(alert.alertKey(), alert, at.toEpochMilli()));
        counted.accept(alert.kind());
    }

    /** A deadline key that sorts by time: 13-digit epoch millis, then the target. */
    private static String deadline(final Instant at, final String target) {
        return String.format("%013d|%s", at.toEpochMilli(), target);
    }
}
