package io.usagepipeline.runtime;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * When a service's console hears of its backlog: every {@link #EVERY} while it has one, and once when it has caught
 * up. A service that starts far behind (a processor after an outage or over imported history, a sink given a new
 * output) would otherwise say nothing for as long as that takes. A backlog gone within {@link #EVERY} says nothing:
 * a live service is a few records behind after every poll.
 */
final class BacklogLog {

    static final Duration EVERY = Duration.ofSeconds(30);

    private final String service;
    /** When the backlog was first seen, or the last line said; -1 while there is none. */
    private long since = -1;
    private boolean told;

    BacklogLog(final String service) {
        this.service = service;
    }

    /**
     * The line to log for the backlog now, if any.
     *
     * @param backlog  the records the service has yet to read; empty when it does not know (yet)
     * @param nowNanos {@link System#nanoTime()}
     */
    Optional<String> next(final OptionalLong backlog, final long nowNanos) {
        if (backlog.isEmpty()) {
            return Optional.empty();
        }
        if (backlog.getAsLong() == 0) {
            since = -1;
            final boolean caughtUp = told;
            told = false;
            return caughtUp ? Optional.of(service + " has caught up with its input") : Optional.empty();
        }
        if (since < 0) {
            since = nowNanos;
        }
        if (nowNanos - since < EVERY.toNanos()) {
            return Optional.empty();
        }
        since = nowNanos;
        told = true;
        return Optional.of(String.format(Locale.ROOT, "%s has %,d records of its input still to read", service,
                backlog.getAsLong()));
    }
}
