package io.usagepipeline.runtime;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** A part that runs until it is stopped, or until its work is done: a collector, a processor, a sink, a broker. */
public interface Service {

    /** A short name for logs and {@code /health}, e.g. "processor". */
    String name();

    /** Starts the work, in the background; returns once it is under way, or throws when it cannot start. */
    void start() throws Exception;

    /** Its health now; called often, so cheap. */
    Health health();

    /**
     * Present once the service has ended by itself, with the exit code it ends with: 0 when its work is done (a
     * single round), 1 when it failed and cannot go on (the log and {@link #health()} say why).
     */
    default OptionalInt ended() {
        return OptionalInt.empty();
    }

    /**
     * How many records of its input it has yet to read, when it reads a backlog and knows; empty by default. Called
     * every few seconds, from another thread than the service's, so thread-safe.
     */
    default OptionalLong backlog() {
        return OptionalLong.empty();
    }

    /** Stops within {@code timeout} and releases what it holds; called once, also after it ended by itself. */
    void stop(Duration timeout) throws Exception;
}
