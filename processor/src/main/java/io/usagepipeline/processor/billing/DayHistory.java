package io.usagepipeline.processor.billing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The history of a run without changelogs (a replay): a window store keyed by series with one window per UTC day, the
 * day's observations. A replay holds each series' current day as an object ({@code WriteBackWindowStore}), so a day
 * is written when it is over or at a commit, not once per observation: one window-store entry per observation was an
 * eighth of a replay's CPU. Only such a run uses it: its state is always new, so no store of the
 * other layout can exist beside it. The store keeps a day more than the history must ({@link #DAY}), since a window is
 * forgotten by its start and its last observation is up to a day later.
 */
public final class DayHistory implements History {

    /** The store's window, and what its retention adds to the history's. */
    public static final Duration DAY = Duration.ofDays(1);
    private static final long DAY_MILLIS = DAY.toMillis();

    private final WindowStore<String, DayLevels> store;

    public DayHistory(final WindowStore<String, DayLevels> store) {
        this.store = store;
    }

    @Override
    public void put(final String seriesKey, final Instant at, final ObservedLevel level) {
        final long day = dayOf(at.toEpochMilli());
        final DayLevels known = store.fetch(seriesKey, day);
        final DayLevels levels = known == null ? new DayLevels(List.of()) : known;
        levels.put(at, level);
        store.put(seriesKey, levels, day);
    }

    @Override
    public void forEach(final String seriesKey, final Instant from, final Instant to,
                        final BiConsumer<Instant, ObservedLevel> action) {
        final Instant firstDay = Instant.ofEpochMilli(dayOf(from.toEpochMilli()));
        try (WindowStoreIterator<DayLevels> days = store.fetch(seriesKey, firstDay, to)) {
            while (days.hasNext()) {
                final KeyValue<Long, DayLevels> day = days.next();
                for (final DayLevels.Observed observed : day.value.levels()) {
                    if (!observed.at().isBefore(from) && !observed.at().isAfter(to)) {
                        action.accept(observed.at(), observed.level());
                    }
                }
            }
        }
    }

    /** A run without changelogs never had the first format's state. */
    @Override
    public void forgetLegacyBefore(final Instant cutoff) {
        // nothing to forget
    }

    /** The start of the UTC day of an instant (epoch millis): the window a day-keyed store keeps it in. */
    public static long dayOf(final long epochMillis) {
        return Math.floorDiv(epochMillis, DAY_MILLIS) * DAY_MILLIS;
    }
}
