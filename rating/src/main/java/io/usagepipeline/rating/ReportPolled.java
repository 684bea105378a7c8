package io.usagepipeline.rating;

import io.usagepipeline.events.JsonSerde;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.ReportStatus;
import io.usagepipeline.events.VendorReportLine;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serde;

/**
 * That one source's report of one month was polled: what a tenant's month needs to know to tell that the report lists
 * no line for it at all (DESIGN §4c, {@code ONLY_IN_OURS}). A task sees the report only through the lines of its own
 * tenants, so every report line also goes to every task as one of these ({@link RaterPartitioner}); the rater's
 * repartition topic is their only place, never a topic of the contract.
 *
 * @param schema {@link #SCHEMA}, which tells it from the other values of the repartition topic
 */
record ReportPolled(String schema, String sourceId, String month, ReportStatus reportStatus, UUID pollId,
                    Instant polledAt) {

    static final String SCHEMA = "rater.report-polled";
    /** How the repartition topic and the rater's store of polls hold one. */
    static final Serde<ReportPolled> SERDE = JsonSerde.exact(ReportPolled.class);

    ReportPolled {
        schema = schema == null ? SCHEMA : schema;
    }

    static ReportPolled of(final VendorReportLine line) {
        return new ReportPolled(SCHEMA, line.sourceId(), line.month(), line.reportStatus(), line.pollId(),
                line.polledAt());
    }

    /** The key of the rater's store of polled reports: the month first, so that a month's reports are one prefix. */
    String storeKey() {
        return monthPrefix(month) + Keys.escape(sourceId);
    }

    static String monthPrefix(final String month) {
        return month + Keys.SEPARATOR;
    }

    /** True when this poll is later than {@code held}: the lines of one poll, arriving one by one, are one poll. */
    boolean laterThan(final ReportPolled held) {
        return held == null || polledAt.isAfter(held.polledAt());
    }
}
