package io.usagepipeline.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the console says of many like events (records a task sends to the DLQ, polls that failed): the first of each
 * kind in full, then, while more follow, one line a minute counting them; a kind with nothing more for a minute is
 * forgotten, so that its next event is told in full again. A history imported twice sent thousands of polls to the
 * DLQ, and a console of thousands of tenants that stopped answering failed thousands of polls a slot: a WARN each
 * filled the console, where the topics and the metrics keep every one.
 *
 * @param <K> what tells kinds apart (a DLQ reason; a source and its failure's kind)
 */
public final class BurstLog<K> {

    /** How often a kind's count is told while its events go on. */
    public static final Duration EVERY = Duration.ofMinutes(1);

    /** Events of one kind since its last line. */
    private static final class Burst {
        long since;
        long more;
        String last;

        Burst(final long since) {
            this.since = since;
        }
    }

    private final String counted;
    private final String kindNoun;
    private final Map<K, Burst> bursts = new LinkedHashMap<>();

    /**
     * @param counted  what the count line says followed, e.g. "records went to the DLQ"
     * @param kindNoun what a kind is called in it, e.g. "reason"
     */
    public BurstLog(final String counted, final String kindNoun) {
        this.counted = counted;
        this.kindNoun = kindNoun;
    }

    /**
     * An event now; {@code line} to log when it is the first of its kind for a while, else nothing.
     *
     * @param last how the count line names the event, should it be the last counted
     */
    public synchronized List<String> happened(final K kind, final String line, final String last, final long nowMs) {
        final Burst burst = bursts.get(kind);
        if (burst != null) {
            burst.more++;
            burst.last = last;
            return List.of();
        }
        bursts.put(kind, new Burst(nowMs));
        return List.of(line);
    }

    /** The lines counting what followed each first event, once a minute has passed since its kind's last line. */
    public synchronized List<String> due(final long nowMs) {
        return lines(nowMs, false);
    }

    /** The lines counting what followed each first event and has not been told yet: the work is ending. */
    public synchronized List<String> rest(final long nowMs) {
        return lines(nowMs, true);
    }

    private List<String> lines(final long nowMs, final boolean all) {
        final List<String> lines = new ArrayList<>();
        for (final Iterator<Map.Entry<K, Burst>> it = bursts.entrySet().iterator(); it.hasNext(); ) {
            final Map.Entry<K, Burst> entry = it.next();
            final Burst burst = entry.getValue();
            if (!all && nowMs - burst.since < EVERY.toMillis()) {
                continue;
            }
            if (burst.more == 0) {
                it.remove();
                continue;
            }
            lines.add(String.format(Locale.ROOT, "%s: %,d more %s since the last line of this %s, the last %s",
                    entry.getKey(), burst.more, counted, kindNoun, burst.last));
            burst.more = 0;
            burst.since = nowMs;
        }
        return lines;
    }
}
