package io.usagepipeline.bench;

import io.usagepipeline.processor.Replay;
import java.util.Comparator;
import java.util.List;

/**
 * One round of the baseline and the one-thread replay, run one right after the other over the same raw polls, so
 * that both meet the machine in about the same state.
 *
 * @param copySeconds how long the copy loop took
 * @param replay      the replay profile's run
 */
record Round(double copySeconds, Replay.Result replay) {

    /** The replay's raw polls/s over the copy loop's records/s: both read the same records once. */
    double replayToBaseline() {
        return copySeconds / replay.seconds();
    }

    /** This round's rates over the {@code rawPolls} both stages read, as the report shows them. */
    BenchReport.RoundFigures figures(final long rawPolls) {
        return new BenchReport.RoundFigures(rawPolls / copySeconds, rawPolls / replay.seconds(), replayToBaseline());
    }

    /** The round whose ratio is the median: of an odd number of rounds, the middle one; of an even one, the lower. */
    static Round median(final List<Round> rounds) {
        if (rounds.isEmpty()) {
            throw new IllegalArgumentException("no round to take the median of");
        }
        final List<Round> sorted = rounds.stream().sorted(Comparator.comparingDouble(Round::replayToBaseline))
                .toList();
        return sorted.get((sorted.size() - 1) / 2);
    }
}
