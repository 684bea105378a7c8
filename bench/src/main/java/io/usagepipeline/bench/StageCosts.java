package io.usagepipeline.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What each throughput stage used besides its time, in the order the stages ran: its own threads' CPU ({@link
 * ThreadCpu}), its own producers' waits for the broker at commits ({@link ProducerWaits}), the page faults the whole
 * process took while it ran ({@link PageFaults}) and the time the JIT's compiler threads spent compiling meanwhile.
 * The last two tell a stage slowed by memory it touched for the first time (the heap growing, new native memory), or
 * by sharing the two cores with the compiler, from one slowed by the machine, which the first two alone cannot.
 */
final class StageCosts {

    private static final CompilationMXBean COMPILER = ManagementFactory.getCompilationMXBean();

    private final Map<String, Double> cpuSeconds = new LinkedHashMap<>();
    private final Map<String, Double> commitWaitSeconds = new LinkedHashMap<>();
    private final Map<String, Long> pageFaults = new LinkedHashMap<>();
    private final Map<String, Long> compilingMillis = new LinkedHashMap<>();

    /**
     * Measures the stage {@code name} from now until the returned stage is closed; {@code threads} and the producers
     * {@code waits} reads are its own.
     */
    Stage begin(final String name, final ThreadCpu threads, final ProducerWaits waits) {
        final OptionalLong faultsAtStart = PageFaults.ofProcess();
        final OptionalLong compilingAtStart = compilingSoFar();
        return () -> {
            final OptionalLong faultsAtEnd = PageFaults.ofProcess();
            final OptionalLong compilingAtEnd = compilingSoFar();
            threads.seconds().ifPresent(seconds -> cpuSeconds.put(name, seconds));
            threads.close();
            waits.seconds().ifPresent(seconds -> commitWaitSeconds.put(name, seconds));
            waits.close();
            putGrowth(pageFaults, name, faultsAtStart, faultsAtEnd);
            putGrowth(compilingMillis, name, compilingAtStart, compilingAtEnd);
        };
    }

    /** How much a counter grew during the stage, where the system keeps it both times. */
    private static void putGrowth(final Map<String, Long> into, final String stage, final OptionalLong atStart,
                                  final OptionalLong atEnd) {
        if (atStart.isPresent() && atEnd.isPresent()) {
            into.put(stage, atEnd.getAsLong() - atStart.getAsLong());
        }
    }

    /** Each stage's CPU seconds as microseconds per raw poll of the dataset. */
    Map<String, Long> cpuMicrosPerRawPoll(final long rawPolls) {
        return microsPerRawPoll(cpuSeconds, rawPolls);
    }

    /** Each stage's seconds of waiting at commits as microseconds per raw poll of the dataset. */
    Map<String, Long> commitWaitMicrosPerRawPoll(final long rawPolls) {
        return microsPerRawPoll(commitWaitSeconds, rawPolls);
    }

    private static Map<String, Long> microsPerRawPoll(final Map<String, Double> seconds, final long rawPolls) {
        final Map<String, Long> micros = new LinkedHashMap<>();
        seconds.forEach((stage, stageSeconds) -> micros.put(stage, Math.round(stageSeconds * 1e6 / rawPolls)));
        return micros;
    }

    /** Each stage's page faults; empty where the system does not count them. */
    Map<String, Long> pageFaults() {
        return new LinkedHashMap<>(pageFaults);
    }

    /** Each stage's milliseconds of JIT compilation (its compiler threads' time); empty where the JVM does not say. */
    Map<String, Long> compilingMillis() {
        return new LinkedHashMap<>(compilingMillis);
    }

    /** The time the JIT has spent compiling so far, where the JVM keeps it. */
    private static OptionalLong compilingSoFar() {
        return COMPILER != null && COMPILER.isCompilationTimeMonitoringSupported()
                ? OptionalLong.of(COMPILER.getTotalCompilationTime()) : OptionalLong.empty();
    }

    /** A stage being measured: closing it records what the stage used. */
    interface Stage extends AutoCloseable {
        @Override
        void close();
    }
}
