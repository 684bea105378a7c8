package io.usagepipeline.processor;

import io.usagepipeline.processor.state.StateSerde;
import io.usagepipeline.processor.state.StateReader;
import io.usagepipeline.processor.state.StateWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The polls of one poll target in one UTC day: one value of {@link PollsByDay}. Added to in place, as a replay adds
 * each of a day's polls to the value its store holds (as it keeps a series' day of history,
 * {@link io.usagepipeline.processor.billing.DayLevels}).
 */
final class DayPolls {

    static final StateSerde<DayPolls> SERDE = StateSerde.of(DayPolls.class, DayPolls::write, DayPolls::read);

    /** One poll: its slot (epoch millis) and pollId. */
    private record Seen(long slot, UUID pollId) {
    }

    /** In the order remembered: a day holds a few dozen, and a lookup is of the latest slots. */
    private final List<Seen> polls = new ArrayList<>();

    boolean contains(final long slot, final UUID pollId) {
        for (int i = polls.size() - 1; i >= 0; i--) {
            final Seen seen = polls.get(i);
            if (seen.slot() == slot && seen.pollId().equals(pollId)) {
                return true;
            }
        }
        return false;
    }

    void add(final long slot, final UUID pollId) {
        polls.add(new Seen(slot, pollId));
    }

    private static void write(final StateWriter out, final DayPolls day) {
        out.number(day.polls.size());
        day.polls.forEach(seen -> out.number(seen.slot()).uuid(seen.pollId()));
    }

    private static DayPolls read(final StateReader in) {
        final DayPolls day = new DayPolls();
        for (long i = in.number(); i > 0; i--) {
            day.add(in.number(), in.uuid());
        }
        return day;
    }
}
