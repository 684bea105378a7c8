package io.usagepipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A day's polls of one target: found by slot and pollId, however many the day holds, and after the store's serde. */
class DayPollsTest {

    private static final long MIDNIGHT = 1_793_491_200_000L; // 2026-11-01T00:00:00Z
    private static final long FIVE_MINUTES = Duration.ofMinutes(5).toMillis();

    @Test
    void shouldFindEveryPollOfADayPolledEveryFiveMinutesAndNoOther() {
        final DayPolls day = new DayPolls();
        final List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 288; i++) {
            ids.add(UUID.nameUUIDFromBytes(("poll-" + i).getBytes()));
            day.add(MIDNIGHT + i * FIVE_MINUTES, ids.get(i));
        }
        final DayPolls read = DayPolls.SERDE.deserialize("t", DayPolls.SERDE.serialize("t", day));

        for (final DayPolls polls : List.of(day, read)) {
            for (int i = 0; i < 288; i++) {
                assertThat(polls.contains(MIDNIGHT + i * FIVE_MINUTES, ids.get(i))).isTrue();
            }
            // another poll of a slot it holds (a second collector's), and a slot it does not hold
            assertThat(polls.contains(MIDNIGHT, ids.get(1))).isFalse();
            assertThat(polls.contains(MIDNIGHT + FIVE_MINUTES / 2, ids.get(0))).isFalse();
        }
    }
}
