package io.usagepipeline.processor;

import io.usagepipeline.processor.SnapshotDiff.TargetState;
import io.usagepipeline.processor.billing.CalendarCheck;
import io.usagepipeline.processor.billing.DayHistory;
import io.usagepipeline.processor.billing.History;
import io.usagepipeline.processor.billing.LegacyStores;
import io.usagepipeline.processor.billing.ObservationHistory;
import io.usagepipeline.processor.billing.ObservedLevel;
import io.usagepipeline.processor.billing.PeriodState;
import io.usagepipeline.processor.billing.SeriesState;
import io.usagepipeline.processor.billing.SeriesStore;
import io.usagepipeline.processor.billing.StateFormats;
import io.usagepipeline.processor.state.StateSerde;
import io.usagepipeline.processor.state.StoreOptions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The state stores of {@link RawPollProcessor}, each with its serde: internal state in the processor's binary
 * format ({@link StateSerde}), never the topics' JSON.
 */
final class ProcessorStores {

    /** pollIds of COMPLETE polls already processed, by slot, kept for the restatement horizon. */
    static final String DEDUP = "dedup-store";
    /** per poll target: which series its snapshots have contained. */
    static final String TARGETS = "targets-store";
    /** per series: owner, latest level, and its open periods with their folds. */
    static final String SERIES = "series-store";
    /** per closed period key: the fold and what was published. */
    static final String PERIODS = "periods-store";
    /** per series, by observation instant: every observation a recomputation may still need. */
    static final String HISTORY = "history-window-store";
    /** the same in a run without changelogs: per series, by UTC day, that day's observations ({@link DayHistory}). */
    static final String HISTORY_BY_DAY = "history-day-store";
    /** the dedup store's in a run without changelogs: per poll target, by UTC day, its polls ({@link PollsByDay}). */
    static final String SEEN_BY_DAY = "seen-polls-day-store";

    private ProcessorStores() {
    }

    static Set<StoreBuilder<?>> builders(final ProcessorConfig config, final StoreOptions options) {
        final TimeRules rules = config.timeRules();
        final Set<StoreBuilder<?>> stores = new HashSet<>(List.of(
                options.updated(Stores.keyValueStoreBuilder(options.keyValue(TARGETS), Serdes.String(),
                        SnapshotDiff.TARGET_STATE)),
                options.updated(Stores.keyValueStoreBuilder(options.keyValue(SERIES), Serdes.String(),
                        StateFormats.SERIES)),
                options.updated(Stores.keyValueStoreBuilder(options.keyValue(PERIODS), Serdes.String(),
                        StateFormats.PERIOD))));
        // read once after an upgrade and then only emptied: nothing to hold
        LegacyStores.builders(options::keyValue).forEach(store -> stores.add(options.appendOnly(store)));
        // Each entry is written once (an observation, a poll) and only read after. Under the replay profile a history
        // put behind the record cache was a sixth of the stream thread (the cache's sorted map of a commit's worth of
        // new keys), and the entries reached the store at the next commit all the same.
        if (!byDay(options)) {
            stores.add(options.appendOnly(Stores.windowStoreBuilder(options.window(DEDUP,
                    rules.duplicateMemory(), Duration.ofMillis(1)), Serdes.String(), Serdes.Long())));
            stores.add(options.appendOnly(Stores.windowStoreBuilder(options.window(HISTORY,
                    rules.historyRetention(), Duration.ofMillis(1)), Serdes.String(), StateFormats.LEVEL)));
        } else {
            stores.add(options.updatedWindows(Stores.windowStoreBuilder(options.window(SEEN_BY_DAY,
                    rules.duplicateMemory().plus(DayHistory.DAY), DayHistory.DAY),
                    Serdes.String(), DayPolls.SERDE)));
            stores.add(options.updatedWindows(Stores.windowStoreBuilder(options.window(HISTORY_BY_DAY,
                    rules.historyRetention().plus(DayHistory.DAY), DayHistory.DAY),
                    Serdes.String(), StateFormats.DAY)));
        }
        return stores;
    }

    /**
     * Whether the billing stores of the task hold nothing (the alert rules' stores are not asked): a task that billed
     * anything remembers at least one pollId for the horizon, a series or a target.
     */
    static boolean empty(final ProcessorContext<?, ?> context, final StoreOptions options) {
        final WindowStore<String, ?> seen = context.getStateStore(byDay(options) ? SEEN_BY_DAY : DEDUP);
        try (KeyValueIterator<? extends Windowed<String>, ?> polls = seen.all();
             KeyValueIterator<String, TargetState> targets = targets(context).all();
             KeyValueIterator<String, SeriesState> series = context.<KeyValueStore<String, SeriesState>>getStateStore(
                     SERIES).all()) {
            return !polls.hasNext() && !targets.hasNext() && !series.hasNext();
        }
    }

    static SeenPolls seenPolls(final ProcessorContext<?, ?> context, final StoreOptions options,
                               final TimeRules rules) {
        if (byDay(options)) {
            return new PollsByDay(context.getStateStore(SEEN_BY_DAY), rules.duplicateMemory());
        }
        return new PollWindows(context.getStateStore(DEDUP));
    }

    static KeyValueStore<String, TargetState> targets(final ProcessorContext<?, ?> context) {
        return context.getStateStore(TARGETS);
    }

    static SeriesStore series(final ProcessorContext<?, ?> context, final ProcessorConfig config) {
        final KeyValueStore<String, SeriesState> series = context.getStateStore(SERIES);
        return new SeriesStore(series, periods(context), new LegacyStores.OpenPeriodStores(
                context.getStateStore(LegacyStores.OPEN_PERIODS), context.getStateStore(LegacyStores.CLOSING_INDEX)),
                config.timeRules(), new CalendarCheck(config));
    }

    /**
     * Whether the run keeps its history and its seen polls by day ({@link DayHistory}, {@link PollsByDay}): only a run
     * without changelogs, whose state is always new, so that no state of the other layout can exist to be read.
     */
    private static boolean byDay(final StoreOptions options) {
        return !options.changelogs();
    }

    static KeyValueStore<String, PeriodState> periods(final ProcessorContext<?, ?> context) {
        return context.getStateStore(PERIODS);
    }

    static History history(final ProcessorContext<?, ?> context, final StoreOptions options) {
        if (byDay(options)) {
            return new DayHistory(context.getStateStore(HISTORY_BY_DAY));
        }
        final WindowStore<String, ObservedLevel> store = context.getStateStore(HISTORY);
        return new ObservationHistory(store, context.getStateStore(LegacyStores.HISTORY));
    }
}
