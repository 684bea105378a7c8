package io.usagepipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usagepipeline.processor.Replay;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundTest {

    /** A round over 144,000 raw polls whose copy loop and replay took the given seconds. */
    private static Round round(final double copySeconds, final double replaySeconds) {
        return new Round(copySeconds, new Replay.Result(144_000, replaySeconds, 0, 0));
    }

    @Test
    void theRatioIsTheReplaysRateOverTheCopyLoops() {
        // 144,000 polls: the copy loop at 90,000 records/s, the replay at 45,000 raw polls/s
        assertThat(round(1.6, 3.2).replayToBaseline()).isEqualTo(0.5);
        assertThat(round(1.6, 3.2).figures(144_000))
                .isEqualTo(new BenchReport.RoundFigures(90_000, 45_000, 0.5));
    }

    @Test
    void theMedianRoundIsTheOneWithTheMiddleRatioWhateverItsRates() {
        final Round slowMachine = round(2.0, 4.0); // 50%
        final Round fastReplay = round(1.5, 2.5); // 60%
        final Round slowReplay = round(1.2, 3.0); // 40%
        assertThat(Round.median(List.of(fastReplay, slowMachine, slowReplay))).isSameAs(slowMachine);
        assertThat(Round.median(List.of(slowReplay, fastReplay, slowMachine))).isSameAs(slowMachine);
    }

    @Test
    void ofAnEvenNumberTheLowerOfTheTwoInTheMiddleCounts() {
        final Round low = round(1.2, 3.0); // 40%
        final Round high = round(1.5, 2.5); // 60%
        assertThat(Round.median(List.of(high, low))).isSameAs(low);
        assertThat(Round.median(List.of(round(2.0, 4.0)))).extracting(Round::replayToBaseline).isEqualTo(0.5);
    }

    @Test
    void noRoundIsAnError() {
        assertThatThrownBy(() -> Round.median(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no round to take the median of");
    }
}
