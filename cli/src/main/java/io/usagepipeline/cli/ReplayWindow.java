package io.usagepipeline.cli;

import io.usagepipeline.cli.config.ConfigException;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.processor.ProcessorConfig;
import java.time.Instant;

/**
 * The billing periods a replay recomputes, those overlapping [from, to), and the raw history they depend on.
 */
record ReplayWindow(Instant from, Instant to) {

    ReplayWindow {
        if (!to.isAfter(from)) {
            throw new ConfigException("--to (" + to + ") must be after --from (" + from + ")");
        }
    }

    /** The earliest poll time a recomputation of the window needs: see {@link ProcessorConfig#historyNeededFrom}. */
    Instant lookbackStart(final ProcessorConfig config) {
        return config.historyNeededFrom(from);
    }

    /** True when the record's period overlaps the window. */
    boolean covers(final PeriodRecord record) {
        return record.periodStart().isBefore(to) && record.periodEnd().isAfter(from);
    }
}
