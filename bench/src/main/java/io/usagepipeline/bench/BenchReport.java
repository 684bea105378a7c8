package io.usagepipeline.bench;

import io.usagepipeline.processor.Replay;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one {@code bench} run, as printed and as written to JSON. Rates are per second; ratios compare two
 * figures measured side by side in this run. The baseline and the one-thread replay are those of the median round
 * ({@link Round}); every round's figures are listed too.
 */
public record BenchReport(String machine, int tenants, int days, long rawPolls, long observations,
                   double baselineRecordsPerSecond, double processorRawPollsPerSecond,
                   double processorObservationsPerSecond, double processorToBaseline,
                   double liveRecordsPerRawPoll, int liveBytesPerRecord, double ioBaselineRawPollsPerSecond,
                   double processorToIoBaseline,
                   double projectedMinutesForAYearOf1000Tenants, double replayRawPollsPerSecond,
                   double replayToBaseline, List<RoundFigures> rounds, int replayThreads,
                   double replayThreadsRawPollsPerSecond,
                   double threadsToOne, double projectedReplayMinutesForAYearOf1000Tenants,
                   double projectedReplayMinutesOneThread,
                   int latencyPolls, int latencyTotals,
                   long latencyP50Millis, long latencyP99Millis, long latencyMaxMillis, int collectorPolls,
                   double bareHttpPerSecond, double collectorPollsPerSecond, double collectorToBareHttp,
                   int collectorFailedPolls, Map<String, Long> peakHeapMib, Map<String, Long> peakLiveHeapMib,
                   Map<String, Long> cpuMicrosPerRawPoll, Map<String, Long> commitWaitMicrosPerRawPoll,
                   Map<String, Long> pageFaults,
                   Map<String, Long> jitCompilingMillis) {

    /** A round of the baseline and the one-thread replay: the copy loop's records/s, the replay's raw polls/s. */
    public record RoundFigures(double baselineRecordsPerSecond, double replayRawPollsPerSecond,
                               double replayToBaseline) {
    }

    private static final double YEAR_OF_1000_TENANTS = 365 * 24 * 2 * 1000.0; // raw polls

    static BenchReport of(final int tenants, final int days, final long rawPolls, final List<Round> rounds,
                          final Replay.Result processor, final WrittenVolume written,
                          final double ioSeconds, final int replayThreads,
                          final Replay.Result allThreads, final LatencyProbe.Result latency,
                          final CollectorBench.Result collector, final HeapPeaks heap,
                          final StageCosts costs) {
        final Round median = Round.median(rounds);
        final RoundFigures medianFigures = median.figures(rawPolls);
        final double baseline = medianFigures.baselineRecordsPerSecond();
        final double processorRate = rawPolls / processor.seconds();
        final double ioRate = rawPolls / ioSeconds;
        final double replayRate = medianFigures.replayRawPollsPerSecond();
        final double threadsRate = rawPolls / allThreads.seconds();
        return new BenchReport(describeMachine(), tenants, days, rawPolls, processor.observations(), baseline,
                processorRate, processor.observations() / processor.seconds(), processorRate / baseline,
                (double) written.records() / rawPolls, written.bytesPerRecord(), ioRate, processorRate / ioRate,
                YEAR_OF_1000_TENANTS / processorRate / 60, replayRate, medianFigures.replayToBaseline(),
                rounds.stream().map(round -> round.figures(rawPolls)).toList(), replayThreads,
                threadsRate, threadsRate / replayRate, YEAR_OF_1000_TENANTS / threadsRate / 60,
                YEAR_OF_1000_TENANTS / replayRate / 60, latency.polls(),
                latency.totals(), latency.p50Millis(), latency.p99Millis(), latency.maxMillis(), collector.polls(),
                collector.barePerSecond(), collector.collectorPerSecond(),
                collector.collectorPerSecond() / collector.barePerSecond(),
                collector.failed(), heap.used(), heap.live(), costs.cpuMicrosPerRawPoll(rawPolls),
                costs.commitWaitMicrosPerRawPoll(rawPolls), costs.pageFaults(), costs.compilingMillis());
    }

    public void print(final PrintWriter out) {
        final String row = "%-52s %14s   %s%n";
        out.println();
        out.printf(row, "figure", "measured", "goal");
        out.printf(row, "-".repeat(52), "-".repeat(14), "-".repeat(24));
        out.printf(row, "baseline: EOS copy loop, records/s", rate(baselineRecordsPerSecond), "");
        out.printf(row, "processor, live profile: raw polls/s", rate(processorRawPollsPerSecond), "");
        out.printf(row, "processor, live profile: observations/s", rate(processorObservationsPerSecond), "");
        out.printf(row, "processor, live profile / baseline", percent(processorToBaseline), "");
        out.printf(row, String.format(Locale.ROOT, "I/O baseline: %.1f records of %d B/poll, polls/s",
                liveRecordsPerRawPoll, liveBytesPerRecord), rate(ioBaselineRawPollsPerSecond), "");
        out.printf(row, "processor, live profile / I/O baseline", percent(processorToIoBaseline), "≥ 50%");
        out.printf(row, "processor, replay profile, 1 thread: raw polls/s", rate(replayRawPollsPerSecond), "");
        out.printf(row, "processor, replay profile, 1 thread / baseline", percent(replayToBaseline), "≥ 50%");
        out.printf(row, String.format(Locale.ROOT, "  each round of %d (the median above)", rounds.size()),
                String.join(", ", rounds.stream().map(round -> percent(round.replayToBaseline())).toList()), "");
        out.printf(row, String.format(Locale.ROOT, "the same, %d stream threads (the profile's own)", replayThreads),
                rate(replayThreadsRawPollsPerSecond), "");
        out.printf(row, String.format(Locale.ROOT, "%d stream threads / 1", replayThreads), percent(threadsToOne), "");
        out.printf(row, "one year of hourly polls, 1,000 tenants, live profile",
                String.format(Locale.ROOT, "%.0f min", projectedMinutesForAYearOf1000Tenants), "");
        out.printf(row, String.format(Locale.ROOT, "the same replayed (replay profile, %d threads)", replayThreads),
                String.format(Locale.ROOT, "%.0f min", projectedReplayMinutesForAYearOf1000Tenants), "≤ 15 min");
        out.printf(row, "the same replayed with 1 thread",
                String.format(Locale.ROOT, "%.0f min", projectedReplayMinutesOneThread), "");
        out.printf(row, "latency polledAt → OPEN total, p50", latencyP50Millis + " ms", "");
        out.printf(row, "latency polledAt → OPEN total, p99", latencyP99Millis + " ms", "≤ 1000 ms");
        out.printf(row, "bare HttpClient GETs/s (same URLs)", rate(bareHttpPerSecond), "");
        out.printf(row, "collector polls/s, published to Kafka", rate(collectorPollsPerSecond), "");
        out.printf(row, "collector / bare HTTP", percent(collectorToBareHttp), "≥ 80%");
        out.println();
        out.printf(Locale.ROOT, "%,d raw polls, %,d observations; latency over %,d OPEN totals of %,d polls (max %d "
                + "ms); collector slot of %,d polls, %,d failed%n", rawPolls, observations, latencyTotals, latencyPolls,
                latencyMaxMillis, collectorPolls, collectorFailedPolls);
        out.print("peak heap in use (MiB, the embedded broker included):");
        peakHeapMib.forEach((stage, mib) -> out.printf(" %s %d;", stage, mib));
        out.printf("%npeak live heap, after a collection (MiB, the broker included):");
        peakLiveHeapMib.forEach((stage, mib) -> out.printf(" %s %d;", stage, mib));
        out.printf("%nCPU per raw poll of the stage's own threads (µs; a loop's thread, the processor's stream "
                + "threads):");
        cpuMicrosPerRawPoll.forEach((stage, micros) -> out.printf(" %s %d;", stage, micros));
        out.printf("%nwaiting for the broker at commits, per raw poll (µs; the stage's own producers' flushes, "
                + "offsets and commits):");
        commitWaitMicrosPerRawPoll.forEach((stage, micros) -> out.printf(" %s %d;", stage, micros));
        if (!pageFaults.isEmpty()) {
            out.printf("%npage faults of the process during the stage (all its threads, the broker's included: "
                    + "memory touched for the first time):");
            pageFaults.forEach((stage, faults) -> out.printf(Locale.ROOT, " %s %,d;", stage, faults));
        }
        if (!jitCompilingMillis.isEmpty()) {
            out.printf("%nJIT compilation during the stage (ms of the compiler threads, which share the cores):");
            jitCompilingMillis.forEach((stage, millis) -> out.printf(Locale.ROOT, " %s %,d;", stage, millis));
        }
        out.printf("%nrounds, copy loop records/s and replay raw polls/s:");
        for (int round = 0; round < rounds.size(); round++) {
            out.printf(" %d: %s and %s;", round + 1, rate(rounds.get(round).baselineRecordsPerSecond()),
                    rate(rounds.get(round).replayRawPollsPerSecond()));
        }
        out.printf("%nmachine: %s%n", machine);
    }

    private static String rate(final double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    private static String percent(final double ratio) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * ratio);
    }

    /** The machine the figures were measured on. */
    private static String describeMachine() {
        return Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                + ", " + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", " + describeHeap()
                + ", " + ManagementFactory.getRuntimeMXBean().getVmName();
    }

    /**
     * The heap the JVM started with and the most it may take: a stage in which G1 grew the heap ran at about half its
     * rate, so the launcher starts the bench with the heap its stages grow to.
     */
    static String describeHeap() {
        return "heap " + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getInit() / (1024 * 1024)
                + " MiB at start, " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB at most";
    }
}
