package io.usagepipeline.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

/**
 * The CPU time a stage's own threads used while it ran: a bare loop's thread, or a processor's stream threads. A
 * throughput ratio of two stages is about the inverse of their threads' CPU per poll where both are busy; the time a
 * thread does not use, it waits (commits, the broker, the machine). Threads are read every 20 ms, since a stream
 * thread ends with its processor inside the stage: what it used after its last reading is missed, at most 20 ms.
 */
final class ThreadCpu implements AutoCloseable {

    private static final long PERIOD_MILLIS = 20;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Predicate<ThreadInfo> ofStage;
    /** Per thread id: its CPU when first read (0 for a thread started after the stage began) and when last read. */
    private final Map<Long, long[]> readings = new ConcurrentHashMap<>();
    /** Per thread id seen: whether it is one of the stage's threads. */
    private final Map<Long, Boolean> seen = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean running = true;

    /** Reads the threads {@code ofStage} accepts, from now until {@link #close()}. */
    ThreadCpu(final Predicate<ThreadInfo> ofStage) {
        this.ofStage = ofStage;
        read(false);
        reader = new Thread(this::readUntilClosed, "thread-cpu-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** The calling thread: a bare loop's, which runs on it. */
    static ThreadCpu ofCallingThread() {
        final long id = Thread.currentThread().getId();
        return new ThreadCpu(thread -> thread.getThreadId() == id);
    }

    /** The stream threads of a Kafka Streams application: {@code <applicationId>-<process id>-StreamThread-<n>}. */
    static ThreadCpu ofStreamThreads(final String applicationId) {
        final Predicate<String> name = Pattern.compile(Pattern.quote(applicationId)
                + "-[0-9a-f-]{36}-StreamThread-\\d+").asMatchPredicate();
        return new ThreadCpu(thread -> name.test(thread.getThreadName()));
    }

    private void readUntilClosed() {
        while (running) {
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (final InterruptedException e) {
                return;
            }
            read(true);
        }
    }

    /** @param started whether the stage has begun: a thread first seen then used all its CPU within the stage */
    private void read(final boolean started) {
        final long[] ids = THREADS.getAllThreadIds();
        final long[] unseen = LongStream.of(ids).filter(id -> !seen.containsKey(id)).toArray();
        if (unseen.length > 0) {
            // a thread is told apart once: reading every thread's information every 20 ms would cost the stage
            for (final ThreadInfo thread : THREADS.getThreadInfo(unseen)) {
                if (thread != null) {
                    seen.put(thread.getThreadId(), ofStage.test(thread));
                }
            }
        }
        for (final long id : ids) {
            final long cpu = Boolean.TRUE.equals(seen.get(id)) ? THREADS.getThreadCpuTime(id) : -1;
            if (cpu >= 0) { // -1 also for a thread that ended since its id was read
                readings.compute(id, (key, known) -> known == null ? new long[] {started ? 0 : cpu, cpu}
                        : new long[] {known[0], cpu});
            }
        }
    }

    /** Seconds of CPU the threads used since this began; read once more first, for the threads still running. */
    double seconds() {
        read(true);
        return readings.values().stream().mapToLong(reading -> reading[1] - reading[0]).sum() / 1e9;
    }

    @Override
    public void close() {
        running = false;
        reader.interrupt();
    }
}
