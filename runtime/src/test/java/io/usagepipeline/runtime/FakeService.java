package io.usagepipeline.runtime;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/** A service whose health and end the test sets, and which records its life in a shared journal. */
final class FakeService implements Service {

    private final String name;
    private final List<String> journal;
    private final boolean failsToStart;
    volatile Health health = Health.ready("RUNNING");
    volatile OptionalInt ended = OptionalInt.empty();

    FakeService(final String name, final List<String> journal, final boolean failsToStart) {
        this.name = name;
        this.journal = journal;
        this.failsToStart = failsToStart;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start() {
        if (failsToStart) {
            throw new IllegalStateException(name + " cannot start");
        }
        journal.add("start " + name);
    }

    @Override
    public Health health() {
        return health;
    }

    @Override
    public OptionalInt ended() {
        return ended;
    }

    @Override
    public void stop(final Duration timeout) {
        journal.add("stop " + name);
    }
}
