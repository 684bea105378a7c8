package io.usagepipeline.processor;

import io.usagepipeline.events.RawPoll;
import io.usagepipeline.processor.billing.DayHistory;
import java.time.Duration;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The seen polls of a run without changelogs (a replay): a window store keyed by poll target with one window per UTC
 * day, that day's polls. A replay holds each target's current day as an object ({@code WriteBackWindowStore}), so a
 * day is written when it is over or at a commit, not once per poll: a window-store entry per poll was a tenth of a
 * replay (bench/MEASUREMENTS.md, "What bounds the processor"). Only such a run uses it: its state is always new, so
 * no store of the other layout can exist beside it.
 *
 * <p>It forgets what {@link PollWindows}' store forgets, so that a replay drops the duplicates the live processor
 * drops: Kafka Streams' window store hides an entry whose slot is older than the newest slot put into it since it was
 * opened, less its retention (the duplicate memory). This store keeps each day that long and a day more, since a
 * window is forgotten by its start. Right after an opening (a task moved to another stream thread), until a poll is
 * remembered, each shows all it still holds, the window store whole segments of half its retention, this one whole
 * days: they can differ then only on a copy of a poll older than the memory, which the horizon has already sent to
 * the DLQ as late unless it was polled more than the grace after its slot began. The rule is Kafka Streams' (4.3,
 * {@code AbstractRocksDBSegmentedBytesStore}): an upgrade must check it again, and {@code SeenPollsTest} compares
 * the two layouts on the version in use.
 */
final class PollsByDay implements SeenPolls {

    private final WindowStore<String, DayPolls> store;
    private final long memory;
    /** The newest slot remembered since the store was opened; none yet at first. */
    private long newest = Long.MIN_VALUE;

    PollsByDay(final WindowStore<String, DayPolls> store, final Duration memory) {
        this.store = store;
        this.memory = memory.toMillis();
    }

    @Override
    public boolean seen(final RawPoll poll, final long slot) {
        if (forgotten(slot)) {
            return false;
        }
        final DayPolls day = store.fetch(poll.pollTarget(), DayHistory.dayOf(slot));
        return day != null && day.contains(slot, poll.pollId());
    }

    @Override
    public void remember(final RawPoll poll, final long slot) {
        newest = Math.max(newest, slot);
        if (forgotten(slot)) {
            return; // hidden at once, as the window store hides it
        }
        final long day = DayHistory.dayOf(slot);
        final DayPolls known = store.fetch(poll.pollTarget(), day);
        final DayPolls polls = known == null ? new DayPolls() : known;
        polls.add(slot, poll.pollId());
        store.put(poll.pollTarget(), polls, day);
    }

    private boolean forgotten(final long slot) {
        return newest != Long.MIN_VALUE && slot < newest - memory + 1;
    }
}
