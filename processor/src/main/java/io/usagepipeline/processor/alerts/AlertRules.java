package io.usagepipeline.processor.alerts;

import io.usagepipeline.events.Alert;
import io.usagepipeline.events.AlertKind;
import io.usagepipeline.events.Observation;
import io.usagepipeline.events.PollStatus;
import io.usagepipeline.processor.state.DueIndex;
import io.usagepipeline.processor.state.StoreOptions;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serdes;
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

    private static final Duration LONG_ENOUGH_TO_MISS = Duration.ofDays(1);

    private final Duration maxGap;
    private final AlertThresholds thresholds;
    private final Consumer<AlertKind> counted;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<String, TargetWatch> targets;
    private KeyValueStore<String, SeriesWatch> series;
    /**
     * When each target that has not failed yet becomes failing (its last COMPLETE poll + maxGap): derived from the
     * targets store, read into memory on first use after the task's restore.
     */
    private DueIndex<String> deadlines;

    /**
     * @param counted told of every alert published, for the metrics
     */
    AlertRules(final Duration maxGap, final AlertThresholds thresholds, final Consumer<AlertKind> counted) {
        this.maxGap = maxGap;
        this.thresholds = thresholds;
        this.counted = counted;
    }

    /** What is known of a target. */
    public record TargetWatch(String tenantId, Instant lastComplete, Alert failing) {
    }

    /**
     * What is known of a series.
     *
     * @param day the UTC day of its last observation, e.g. {@code 2026-03-10}
     */
    public record SeriesWatch(String tenantId, BigDecimal level, Instant aboveZeroSince, String day, BigDecimal dayPeak,
                       BigDecimal previousDayPeak, Alert dropped, Alert spike) {
    }

    /** The supplier, which owns the rules' stores. */
    public static ProcessorSupplier<String, Object, String, Alert> supplier(final Duration maxGap,
                                                                         final AlertThresholds thresholds,
                                                                         final Consumer<AlertKind> counted,
                                                                         final StoreOptions stores) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, Object, String, Alert> get() {
                return new AlertRules(maxGap, thresholds, counted);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                final StoreBuilder<KeyValueStore<String, TargetWatch>> targets = Stores.keyValueStoreBuilder(
                        stores.keyValue(TARGETS_STORE), Serdes.String(), WatchFormats.TARGET);
                final StoreBuilder<KeyValueStore<String, SeriesWatch>> series = Stores.keyValueStoreBuilder(
                        stores.keyValue(SERIES_STORE), Serdes.String(), WatchFormats.SERIES);
                return Set.of(stores.updated(targets), stores.updated(series));
            }
        };
    }

    @Override
    public void init(final ProcessorContext<String, Alert> context) {
        this.context = context;
        this.targets = context.getStateStore(TARGETS_STORE);
        this.series = context.getStateStore(SERIES_STORE);
        this.deadlines = null;
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
        for (final String target : deadlines().dueBefore(now)) {
            deadlines.remove(target);
            final TargetWatch watch = targets.get(target);
            if (watch != null && watch.failing() == null) {
                final Instant since = watch.lastComplete().plus(maxGap);
                final Alert alert = Alert.started(AlertKind.TARGET_FAILING, target, watch.tenantId(), since,
                        "no complete poll since " + watch.lastComplete() + ": its series become gaps after maxGap ("
                                + maxGap + "); check the appliance, its credentials and the collector's log");
                publish(alert);
                targets.put(target, new TargetWatch(watch.tenantId(), watch.lastComplete(), alert));
            }
        }
    }

    private DueIndex<String> deadlines() {
        if (deadlines == null) {
            deadlines = new DueIndex<>();
            try (KeyValueIterator<String, TargetWatch> all = targets.all()) {
                all.forEachRemaining(entry -> {
                    if (entry.value.failing() == null) {
                        deadlines.put(entry.key, entry.value.lastComplete().plus(maxGap), entry.key);
                    }
                });
            }
        }
        return deadlines;
    }

    private void target(final TargetPolled polled) {
        if (polled.status() != PollStatus.COMPLETE) {
            if (targets.get(polled.pollTarget()) == null) {
                // never answered yet: failing from its first poll on, once maxGap has passed
                targets.put(polled.pollTarget(), new TargetWatch(polled.tenantId(), polled.polledAt(), null));
                deadlines().put(polled.pollTarget(), polled.polledAt().plus(maxGap), polled.pollTarget());
            }
            return;
        }
        final TargetWatch watch = targets.get(polled.pollTarget());
        if (watch != null && polled.polledAt().isBefore(watch.lastComplete())) {
            return; // a late poll: the target has answered since
        }
        if (watch != null && watch.failing() != null) {
            publish(watch.failing().resolved(polled.polledAt(), "a complete poll again at " + polled.polledAt()));
        }
        targets.put(polled.pollTarget(), new TargetWatch(polled.tenantId(), polled.polledAt(), null));
        deadlines().put(polled.pollTarget(), polled.polledAt().plus(maxGap), polled.pollTarget());
    }

    private void series(final Observation observation) {
        final Instant at = observation.observedAt();
        final BigDecimal level = observation.absent() ? BigDecimal.ZERO : observation.units();
        final SeriesWatch watch = series.get(observation.seriesKey());
        final LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        final String dayText = day.toString();
        BigDecimal previousDayPeak = null;
        BigDecimal dayPeak = level;
        if (watch != null) {
            // most observations fall on the day the watch is at: no need to parse it
            final LocalDate watched = dayText.equals(watch.day()) ? day : LocalDate.parse(watch.day());
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
        final SeriesWatch next = new SeriesWatch(observation.tenantId(), level, aboveZeroSince, dayText, dayPeak,
                previousDayPeak, dropped, spike);
        if (!next.equals(watch)) {
            // a steady level on the same day changes nothing: no write, and no changelog record, for it
            series.put(observation.seriesKey(), next);
        }
    }

    private void publish(final Alert alert) {
        final Instant at = alert.resolvedAt() != null ? alert.resolvedAt() : alert.startedAt();
        context.forward(new Record<>(alert.alertKey(), alert, at.toEpochMilli()));
        counted.accept(alert.kind());
    }
}
