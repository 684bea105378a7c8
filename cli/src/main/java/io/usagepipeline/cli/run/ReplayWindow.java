package io.usagepipeline.cli.run;

import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.processor.ProcessorConfig;
import io.usagepipeline.runtime.config.ConfigException;
import java.time.Instant;

/**
 * The billing periods a replay recomputes: those overlapping [from, to). How far back the raw history they depend
 * on reaches is {@link ProcessorConfig#replayLookbackFrom}.
 */
public record ReplayWindow(Instant from, Instant to) {

    public ReplayWindow {
        if (!to.isAfter(from)) {
            throw new ConfigException("--to (" + to + ") must be after --from (" + from + ")");
        }
    }

    /** True when the record's period overlaps the window. */
    public boolean covers(final PeriodRecord record) {
        return record.periodStart().isBefore(to) && record.periodEnd().isAfter(from);
    }
}
