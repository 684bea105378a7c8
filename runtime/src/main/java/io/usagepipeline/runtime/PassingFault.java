package io.usagepipeline.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A fault expected to pass by itself, and the rule for it: the service starts its work again, at most once per
 * {@code pause}, until the fault has lasted {@code giveUpAfter}; then it gives up (exit 1) so that a supervisor or a
 * person takes over. The example is a topic missing from Kafka's metadata for a moment while a broker restarts, which
 * stops a Kafka Streams client for good although nothing is wrong with the data.
 */
public final class PassingFault {

    /** What the service does now about a fault that is present. */
    public enum Answer {
        /** start the work again now */
        RETRY,
        /** a retry is under way or was made less than a pause ago */
        WAIT,
        /** the fault has lasted too long */
        GIVE_UP
    }

    private final Duration pause;
    private final Duration giveUpAfter;
    private final Clock clock;
    private Instant since;
    private Instant lastRetry;

    public PassingFault(final Duration pause, final Duration giveUpAfter, final Clock clock) {
        this.pause = pause;
        this.giveUpAfter = giveUpAfter;
        this.clock = clock;
    }

    /** The fault is present now: what to do. Its duration counts from the first time it was seen. */
    public synchronized Answer seen() {
        final Instant now = clock.instant();
        if (since == null) {
            since = now;
        }
        if (Duration.between(since, now).compareTo(giveUpAfter) > 0) {
            return Answer.GIVE_UP;
        }
        if (lastRetry != null && Duration.between(lastRetry, now).compareTo(pause) < 0) {
            return Answer.WAIT;
        }
        lastRetry = now;
        return Answer.RETRY;
    }

    /** The work goes on again: the fault has passed, and a later one counts from zero. */
    public synchronized void passed() {
        since = null;
        lastRetry = null;
    }

    /** How long the present fault has lasted; empty when there is none. */
    public synchronized Optional<Duration> lasting() {
        return since == null ? Optional.empty() : Optional.of(Duration.between(since, clock.instant()));
    }
}
