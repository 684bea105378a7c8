package io.usagepipeline.processor.billing;

import java.time.Instant;
import java.util.function.BiConsumer;

/**
 * Every observation of every series for as long as a recomputation may need it (DESIGN §4,
 * {@code TimeRules#historyRetention}). A processor that keeps changelogs keeps one entry per observation
 * ({@link ObservationHistory}); a run without them, whose state is always new, one value per series and day
 * ({@link DayHistory}).
 */
public interface History {

    void put(String seriesKey, Instant at, ObservedLevel level);

    /** The observations of a series from {@code from} to {@code to}, both included, in time order. */
    void forEach(String seriesKey, Instant from, Instant to, BiConsumer<Instant, ObservedLevel> action);

    /** Deletes what the first state format kept before {@code cutoff}, if any; window stores forget by themselves. */
    void forgetLegacyBefore(Instant cutoff);
}
