package io.usagepipeline.processor;

import io.usagepipeline.events.Observation;
import io.usagepipeline.events.RawPoll;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import io.usagepipeline.processor.state.StateReader;
import io.usagepipeline.processor.state.StateSerde;
import io.usagepipeline.processor.state.StateWriter;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Finds the series a COMPLETE snapshot no longer contains (DESIGN §3): a series seen in an earlier snapshot of the
 * same poll target and missing from this one is a known zero, emitted as an absent observation on every snapshot
 * that lacks it, until the restatement horizon has passed since it was last present.
 */
final class SnapshotDiff {

    /**
     * What a poll target's snapshots have contained. It keeps the map it is given, unmodifiable, without copying it:
     * each snapshot of every target builds a new one, and a copy (with its hashing) was a sixth of this class's time
     * (JFR). Its makers never touch the map again.
     */
    record TargetState(Map<String, KnownSeries> series) {
        TargetState {
            series = Collections.unmodifiableMap(series);
        }
    }

    /** A series of a poll target, with the metadata an absent observation needs. */
    record KnownSeries(String tenantId, String licenseType, String unit, Instant firstSeenAt, Instant lastPresentAt) {

        /** The same series, also present in a snapshot taken at {@code at} (snapshots may come out of order). */
        KnownSeries presentAt(final Instant at) {
            return new KnownSeries(tenantId, licenseType, unit, min(firstSeenAt, at), max(lastPresentAt, at));
        }
    }

    /** Binary; the JSON of the first format reads as it was (the record has not changed). */
    static final StateSerde<TargetState> TARGET_STATE = StateSerde.upgrading(TargetState.class,
            SnapshotDiff::writeTarget, SnapshotDiff::readTarget, TargetState.class, Function.identity());

    private final KeyValueStore<String, TargetState> targets;
    private final Duration horizon;

    SnapshotDiff(final KeyValueStore<String, TargetState> targets, final Duration horizon) {
        this.targets = targets;
        this.horizon = horizon;
    }

    /**
     * The absent observations of this snapshot; remembers what it contained.
     *
     * @param present the snapshot's observations, one per series, as {@link io.usagepipeline.processor.normalize
     *                .Normalizer} gives them
     */
    List<Observation> absentFrom(final RawPoll poll, final List<Observation> present) {
        final Instant at = poll.polledAt();
        final String target = poll.pollTarget();
        final TargetState before = targets.get(target);
        final Map<String, KnownSeries> known = new HashMap<>(before == null ? Map.of() : before.series());
        for (final Observation observation : present) {
            final KnownSeries old = known.get(observation.seriesKey());
            known.put(observation.seriesKey(), old == null ? new KnownSeries(observation.tenantId(),
                    observation.licenseType(), observation.unit(), at, at) : old.presentAt(at));
        }
        // The usual snapshot has every series it had before: then nothing is absent, and nothing to sort. (A snapshot's
        // observations are one per series, so the counts say it.)
        final List<Observation> absent = new ArrayList<>();
        if (known.size() > present.size()) {
            final Set<String> presentKeys = new HashSet<>();
            present.forEach(observation -> presentKeys.add(observation.seriesKey()));
            for (final Map.Entry<String, KnownSeries> entry : new TreeMap<>(known).entrySet()) {
                final KnownSeries series = entry.getValue();
                if (presentKeys.contains(entry.getKey()) || !series.firstSeenAt().isBefore(at)) {
                    continue;
                }
                if (series.lastPresentAt().plus(horizon).isBefore(at)) {
                    known.remove(entry.getKey()); // gone for longer than anything can still be restated
                    continue;
                }
                absent.add(new Observation(null, entry.getKey(), series.tenantId(), poll.sourceId(),
                        poll.sourceKind(), series.licenseType(), series.unit(), at, poll.pollId(), BigDecimal.ZERO, 0,
                        null, true));
            }
        }
        targets.put(target, new TargetState(known));
        return absent;
    }

    private static void writeTarget(final StateWriter out, final TargetState target) {
        out.number(target.series().size());
        new TreeMap<>(target.series()).forEach((seriesKey, series) -> out.string(seriesKey).string(series.tenantId())
                .string(series.licenseType()).string(series.unit()).instant(series.firstSeenAt())
                .instant(series.lastPresentAt()));
    }

    private static TargetState readTarget(final StateReader in) {
        final long size = in.number();
        final Map<String, KnownSeries> series = new HashMap<>();
        for (long i = 0; i < size; i++) {
            series.put(in.string(), new KnownSeries(in.string(), in.string(), in.string(), in.instant(),
                    in.instant()));
        }
        return new TargetState(series);
    }

    private static Instant min(final Instant a, final Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(final Instant a, final Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
