package io.usagepipeline.processor;

import io.usagepipeline.events.RawPoll;

/**
 * Which COMPLETE polls a task has processed, kept for {@link TimeRules#duplicateMemory()} so that a second copy of a
 * poll is dropped. Two layouts ({@link ProcessorStores#seenPolls}): an entry per poll where the run keeps changelogs,
 * and a value per poll target and day in a run without them.
 */
interface SeenPolls {

    /** Whether {@code poll}, of the slot starting at {@code slot} (epoch millis), was processed before. */
    boolean seen(RawPoll poll, long slot);

    /** Remembers {@code poll} as processed. */
    void remember(RawPoll poll, long slot);
}
