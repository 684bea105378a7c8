package io.usagepipeline.processor.normalize;

import io.usagepipeline.events.Keys;
import io.usagepipeline.events.Observation;
import io.usagepipeline.events.RawPoll;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Sums the items of one snapshot into one level per series, then turns them into observations. */
final class SeriesLevels {

    private final RawPoll poll;
    private final Map<String, Level> levels = new LinkedHashMap<>();

    SeriesLevels(final RawPoll poll) {
        this.poll = poll;
    }

    /** The level of a series, created at zero on first use. */
    Level series(final String tenantId, final String licenseType, final String unit) {
        return series(tenantId, poll.sourceId(), licenseType, unit);
    }

    /** The same, with the source part of the series key given ({@link Normalizer#seriesSource}). */
    Level series(final String tenantId, final String seriesSource, final String licenseType, final String unit) {
        return levels.computeIfAbsent(Keys.seriesKey(tenantId, seriesSource, licenseType),
                key -> new Level(tenantId, licenseType, unit));
    }

    List<Observation> observations() {
        final List<Observation> observations = new ArrayList<>(levels.size());
        levels.forEach((seriesKey, level) -> observations.add(new Observation(null, seriesKey, level.tenantId,
                poll.sourceId(), poll.sourceKind(), level.licenseType, level.unit, poll.polledAt(), poll.pollId(),
                level.units, level.count, level.extra, false)));
        return observations;
    }

    /** The running sums of one series. */
    static final class Level {
        private final String tenantId;
        private final String licenseType;
        private final String unit;
        private BigDecimal units = BigDecimal.ZERO;
        private long count;
        private final TreeMap<String, BigDecimal> extra = new TreeMap<>();

        private Level(final String tenantId, final String licenseType, final String unit) {
            this.tenantId = tenantId;
            this.licenseType = licenseType;
            this.unit = unit;
        }

        Level add(final BigDecimal addedUnits, final long addedCount) {
            units = units.add(addedUnits);
            count += addedCount;
            return this;
        }

        Level addExtra(final String name, final BigDecimal value) {
            extra.merge(name, value, BigDecimal::add);
            return this;
        }

        /** A figure that is the same for every item of the series (e.g. a weight): kept, not summed. */
        Level putExtra(final String name, final BigDecimal value) {
            extra.put(name, value);
            return this;
        }
    }
}
