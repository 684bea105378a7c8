package io.usagepipeline.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * How many objects a series protects at an instant: a pure function of (seed, series, hour), so every request and
 * the ground truth agree without any stored state. Levels change at most once per hour: they grow over weeks, wobble
 * a little from hour to hour, and now and then a series is removed for a week (a known zero, or absent where the
 * product omits empty types).
 */
public final class LevelModel {

    /** Growth is measured from here, so levels stay in a believable range whatever the date. */
    private static final Instant ORIGIN = Instant.parse("2026-01-01T00:00:00Z");
    private static final long HOURS_PER_WEEK = 24 * 7;

    private final long seed;

    public LevelModel(final long seed) {
        this.seed = seed;
    }

    /** The object count of a series at an instant; 0 while removed. */
    public int count(final String series, final Instant at) {
        final long hour = Math.floorDiv(at.getEpochSecond(), 3600);
        final long week = Math.floorDiv(hour, HOURS_PER_WEEK);
        if (removedInWeek(series, week)) {
            return 0;
        }
        final long weeksSinceOrigin = Math.max(0, Duration.between(ORIGIN, at).toDays() / 7);
        final int base = 1 + (int) (mix(series, "base", 0) % 30);
        final int growth = (int) (mix(series, "growth", 0) % 3);
        // a sawtooth over half a year, so a long replay does not grow without bound
        final int grown = base + growth * (int) (weeksSinceOrigin % 26);
        final int wobble = (int) (mix(series, "wobble", hour / 3) % 5) - 2;
        return Math.max(1, grown + wobble);
    }

    /** Objects counted now that were not counted at the start of the calendar month: Veeam's "new" objects. */
    public int newCount(final String series, final Instant at) {
        final Instant monthStart = YearMonth.from(at.atOffset(ZoneOffset.UTC)).atDay(1).atStartOfDay()
                .toInstant(ZoneOffset.UTC);
        return Math.max(0, count(series, at) - count(series, monthStart));
    }

    /** A whole number in [0, bound) fixed for a series and a name: sizes, types, weights. */
    public int pick(final String series, final String what, final int bound) {
        return (int) (mix(series, what, 0) % bound);
    }

    private boolean removedInWeek(final String series, final long week) {
        return mix(series, "removed", week) % 13 == 0;
    }

    /** A well-mixed non-negative hash of the seed, the series, a purpose and a number (SplitMix64 finalizer). */
    private long mix(final String series, final String purpose, final long n) {
        long h = seed * 0x9E3779B97F4A7C15L + n;
        for (final byte b : (series + "/" + purpose).getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ b) * 0x100000001B3L;
        }
        h ^= h >>> 30;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 27;
        h *= 0x94D049BB133111EBL;
        h ^= h >>> 31;
        return h & Long.MAX_VALUE;
    }
}
