package io.usagepipeline.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fault expected to pass by itself, and the rule for it: the service starts its work again, at most once per
 * {@code pause}, until the fault has lasted {@code giveUpAfter}; then it gives up (exit 1) so that a supervisor or a
 * person takes over. The example is a topic missing from Kafka's metadata for a moment while a broker restarts, which
 * stops a Kafka Streams client for good although nothing is wrong with the data.
 */
public final class PassingFault {

    private static final Logger LOG = LoggerFactory.getLogger(PassingFault.class);

    private final String service;
    private final String what;
    private final Duration pause;
    private final Duration giveUpAfter;
    private final Clock clock;
    private Instant since;
    private Instant lastRetry;
    private boolean gaveUp;

    /**
     * @param service the service that starts again, for the log
     * @param what    the fault, for the log and {@code /health}: "a source topic went missing from Kafka's metadata"
     */
    public PassingFault(final String service, final String what, final Duration pause, final Duration giveUpAfter,
                        final Clock clock) {
        this.service = service;
        this.what = what;
        this.pause = pause;
        this.giveUpAfter = giveUpAfter;
        this.clock = clock;
    }

    /**
     * The fault is present now: runs {@code startAgain} when no retry was made within the pause, and tells the exit
     * code once the fault has lasted longer than {@code giveUpAfter} (counted from the first time it was seen).
     */
    public synchronized OptionalInt seen(final Runnable startAgain) {
        final Instant now = clock.instant();
        if (since == null) {
            since = now;
        }
        if (gaveUp || Duration.between(since, now).compareTo(giveUpAfter) > 0) {
            if (!gaveUp) {
                gaveUp = true;
                LOG.error("{}: {}; giving up", service, reason().orElseThrow());
            }
            return OptionalInt.of(ExitCodes.FAILED);
        }
        if (lastRetry == null || Duration.between(lastRetry, now).compareTo(pause) >= 0) {
            lastRetry = now;
            LOG.info("{}: {}; starting it again", service, what);
            startAgain.run();
        }
        return OptionalInt.empty();
    }

    /** The work goes on again: the fault has passed, and a later one counts from zero. */
    public synchronized void passed() {
        since = null;
        lastRetry = null;
        gaveUp = false;
    }

    /** Why the service is down while the fault lasts; empty when there is none. */
    public synchronized Optional<String> reason() {
        if (since == null) {
            return Optional.empty();
        }
        final String ago = what + " " + Duration.between(since, clock.instant()).toSeconds() + " s ago";
        final long bound = giveUpAfter.toSeconds();
        return Optional.of(gaveUp ? ago + " and has not passed within " + bound + " s"
                : ago + "; starting again until it has lasted " + bound + " s");
    }
}
