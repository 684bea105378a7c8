package io.usagepipeline.processor;

import io.usagepipeline.events.DlqReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the console says of the records a task sends to the DLQ: the first of each reason in full, then, while more
 * follow, one line a minute counting them. A history imported or replayed a second time sends every poll older than
 * the horizon there, and a WARN each filled the console with thousands of lines; the DLQ topic and
 * {@code usage_processor_dlq_total{reason}} keep every one.
 */
final class DlqLog {

    static final Duration EVERY = Duration.ofMinutes(1);

    /** Records of one reason since its last line. */
    private static final class Burst {
        long since;
        long more;
        String last;

        Burst(final long since) {
            this.since = since;
        }
    }

    private final Map<DlqReason, Burst> bursts = new EnumMap<>(DlqReason.class);

    /** A record sent to the DLQ now; the line to log for it, if it is the first of its reason for a while. */
    List<String> sent(final DlqReason reason, final String record, final long nowMs) {
        final Burst burst = bursts.get(reason);
        if (burst != null) {
            burst.more++;
            burst.last = record;
            return List.of();
        }
        bursts.put(reason, new Burst(nowMs));
        return List.of(reason + " " + record);
    }

    /**
     * The lines counting what followed each first record, once a minute has passed since its last line; a reason
     * with nothing more for a minute is forgotten, so that its next record is told in full again.
     */
    List<String> due(final long nowMs) {
        return lines(nowMs, false);
    }

    /** The lines counting what followed each first record and has not been told yet: the task is closing. */
    List<String> rest(final long nowMs) {
        return lines(nowMs, true);
    }

    private List<String> lines(final long nowMs, final boolean all) {
        final List<String> lines = new ArrayList<>();
        for (final Iterator<Map.Entry<DlqReason, Burst>> it = bursts.entrySet().iterator(); it.hasNext(); ) {
            final Map.Entry<DlqReason, Burst> entry = it.next();
            final Burst burst = entry.getValue();
            if (!all && nowMs - burst.since < EVERY.toMillis()) {
                continue;
            }
            if (burst.more == 0) {
                it.remove();
                continue;
            }
            lines.add(String.format(Locale.ROOT, "%s: %,d more records went to the DLQ since the last line of this "
                    + "reason, the last %s", entry.getKey(), burst.more, burst.last));
            burst.more = 0;
            burst.since = nowMs;
        }
        return lines;
    }
}
