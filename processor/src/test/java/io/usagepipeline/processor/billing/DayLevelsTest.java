package io.usagepipeline.processor.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DayLevelsTest {

    private static final Instant NINE = Instant.parse("2026-03-01T09:00:00Z");
    private static final Instant TEN = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant ELEVEN = Instant.parse("2026-03-01T11:00:00Z");

    @Test
    void shouldKeepADaysObservationsInTimeOrderWhateverOrderTheyCameIn() {
        final DayLevels day = new DayLevels(List.of());

        day.put(TEN, level(10));
        day.put(ELEVEN, level(11));
        day.put(NINE, level(9)); // a late poll

        assertThat(day.levels()).extracting(DayLevels.Observed::at).containsExactly(NINE, TEN, ELEVEN);
        assertThat(day.levels()).extracting(observed -> observed.level().count()).containsExactly(9L, 10L, 11L);
    }

    @Test
    void shouldKeepTheLaterOfTwoObservationsAtOneInstant() {
        final DayLevels day = new DayLevels(List.of());
        day.put(NINE, level(9));
        day.put(TEN, level(10));

        day.put(NINE, level(90));

        assertThat(day.levels()).extracting(observed -> observed.level().count()).containsExactly(90L, 10L);
    }

    @Test
    void shouldReadBackWhatItWrote() {
        final DayLevels day = new DayLevels(List.of());
        day.put(NINE, new ObservedLevel(new BigDecimal("2.50"), 3));
        day.put(TEN, level(10));

        final DayLevels read = StateFormats.DAY.deserialize("t", StateFormats.DAY.serialize("t", day));

        assertThat(read.levels()).isEqualTo(day.levels());
    }

    private static ObservedLevel level(final long count) {
        return new ObservedLevel(BigDecimal.valueOf(count), count);
    }
}
