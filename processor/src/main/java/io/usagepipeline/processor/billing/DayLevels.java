package io.usagepipeline.processor.billing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The observations of one series in one UTC day, in time order: one value of the history of a run without
 * changelogs ({@link DayHistory}). Added to in place: a replay adds each observation of a day to the value its store
 * holds, and copying the day for every observation took half of what keeping days gained.
 */
public final class DayLevels {

    /** One observation: its instant and level. */
    public record Observed(Instant at, ObservedLevel level) {
    }

    private final List<Observed> levels;

    public DayLevels(final List<Observed> levels) {
        this.levels = new ArrayList<>(levels);
    }

    public List<Observed> levels() {
        return Collections.unmodifiableList(levels);
    }

    /** Adds {@code level} at {@code at}, in place of an observation at that instant if there was one. */
    void put(final Instant at, final ObservedLevel level) {
        int i = levels.size();
        while (i > 0 && levels.get(i - 1).at().isAfter(at)) {
            i--;
        }
        if (i > 0 && levels.get(i - 1).at().equals(at)) {
            levels.set(i - 1, new Observed(at, level)); // the same instant again: the later write wins
        } else {
            levels.add(i, new Observed(at, level));
        }
    }
}
