package io.usagepipeline.processor;

import io.usagepipeline.events.RawPoll;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The seen polls of a run that keeps changelogs: a window-store entry per poll, its pollId at its slot, which the
 * store forgets after its retention (the duplicate memory).
 */
record PollWindows(WindowStore<String, Long> store) implements SeenPolls {

    @Override
    public boolean seen(final RawPoll poll, final long slot) {
        return store.fetch(poll.pollId().toString(), slot) != null;
    }

    @Override
    public void remember(final RawPoll poll, final long slot) {
        store.put(poll.pollId().toString(), poll.polledAt().toEpochMilli(), slot);
    }
}
