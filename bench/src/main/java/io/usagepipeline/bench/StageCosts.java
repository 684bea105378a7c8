package io.usagepipeline.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What each throughput stage used besides its time, in the order the stages ran: its own threads' CPU ({@link
 * ThreadCpu}) and the page faults the whole process took while it ran ({@link PageFaults}). The second tells a stage
 * slowed by memory it touched for the first time (the heap growing, new native memory) from one slowed by the
 * machine, which the first alone cannot.
 */
final class StageCosts {

    private final Map<String, Double> cpuSeconds = new LinkedHashMap<>();
    private final Map<String, Long> pageFaults = new LinkedHashMap<>();

    /** Measures the stage {@code name} from now until the returned stage is closed; {@code threads} are its own. */
    Stage begin(final String name, final ThreadCpu threads) {
        final OptionalLong faultsAtStart = PageFaults.ofProcess();
        return () -> {
            final OptionalLong faultsAtEnd = PageFaults.ofProcess();
            cpuSeconds.put(name, threads.seconds());
            threads.close();
            if (faultsAtStart.isPresent() && faultsAtEnd.isPresent()) {
                pageFaults.put(name, faultsAtEnd.getAsLong() - faultsAtStart.getAsLong());
            }
        };
    }

    /** Each stage's CPU seconds as microseconds per raw poll of the dataset. */
    Map<String, Long> cpuMicrosPerRawPoll(final long rawPolls) {
        final Map<String, Long> micros = new LinkedHashMap<>();
        cpuSeconds.forEach((stage, seconds) -> micros.put(stage, Math.round(seconds * 1e6 / rawPolls)));
        return micros;
    }

    /** Each stage's page faults; empty where the system does not count them. */
    Map<String, Long> pageFaults() {
        return new LinkedHashMap<>(pageFaults);
    }

    /** A stage being measured: closing it records what the stage used. */
    interface Stage extends AutoCloseable {
        @Override
        void close();
    }
}
