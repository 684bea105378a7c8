package io.usagepipeline.processor;

import io.usagepipeline.processor.state.StateSerde;
import io.usagepipeline.processor.state.StateReader;
import io.usagepipeline.processor.state.StateWriter;
import java.util.Arrays;
import java.util.UUID;

/**
 * The polls of one poll target in one UTC day: one value of {@link PollsByDay}. Added to in place, as a replay adds
 * each of a day's polls to the value its store holds (as it keeps a series' day of history,
 * {@link io.usagepipeline.processor.billing.DayLevels}).
 */
final class DayPolls {

    static final StateSerde<DayPolls> SERDE = StateSerde.of(DayPolls.class, DayPolls::write, DayPolls::read);

    /**
     * The polls in the order remembered, a slot and its pollId at one index: a day holds a few dozen, and a lookup,
     * of the latest slots, compares slots first. In one array of longs rather than an object per poll: the lookup
     * runs for every poll a replay reads, over days that are seldom in the processor's cache, and following a
     * reference per poll was a thirtieth of a replay's stream thread (JFR).
     */
    private long[] slots = new long[32];
    private UUID[] pollIds = new UUID[32];
    private int size;

    boolean contains(final long slot, final UUID pollId) {
        for (int i = size - 1; i >= 0; i--) {
            if (slots[i] == slot && pollIds[i].equals(pollId)) {
                return true;
            }
        }
        return false;
    }

    void add(final long slot, final UUID pollId) {
        if (size == slots.length) {
            slots = Arrays.copyOf(slots, size * 2);
            pollIds = Arrays.copyOf(pollIds, size * 2);
        }
        slots[size] = slot;
        pollIds[size] = pollId;
        size++;
    }

    private static void write(final StateWriter out, final DayPolls day) {
        out.number(day.size);
        for (int i = 0; i < day.size; i++) {
            out.number(day.slots[i]).uuid(day.pollIds[i]);
        }
    }

    private static DayPolls read(final StateReader in) {
        final DayPolls day = new DayPolls();
        for (long i = in.number(); i > 0; i--) {
            day.add(in.number(), in.uuid());
        }
        return day;
    }
}
