package io.usagepipeline.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.OptionalDouble;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

/**
 * The CPU time a stage's own threads used while it ran: a bare loop's thread, or a processor's stream threads. A
 * throughput ratio of two stages is about the inverse of their threads' CPU per poll where both are busy; the time a
 * thread does not use, it waits (commits, the broker, the machine). Threads are read every 20 ms ({@link
 * RunningTotals}), since a stream thread ends with its processor inside the stage.
 */
final class ThreadCpu implements AutoCloseable {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Predicate<ThreadInfo> ofStage;
    /** Per thread id seen: whether it is one of the stage's threads. */
    private final Map<Long, Boolean> seen = new ConcurrentHashMap<>();
    private final RunningTotals<Long> nanos;

    /** Reads the threads {@code ofStage} accepts, from now until {@link #close()}. */
    ThreadCpu(final Predicate<ThreadInfo> ofStage) {
        this.ofStage = ofStage;
        this.nanos = new RunningTotals<>("thread-cpu-reader", this::read);
    }

    /** The calling thread: a bare loop's, which runs on it. */
    static ThreadCpu ofCallingThread() {
        final long id = Thread.currentThread().getId();
        return new ThreadCpu(thread -> thread.getThreadId() == id);
    }

    /** The stream threads of a Kafka Streams application: {@code <applicationId>-<process id>-StreamThread-<n>}. */
    static ThreadCpu ofStreamThreads(final String applicationId) {
        final Predicate<String> name = Pattern.compile(streamThreadName(applicationId)).asMatchPredicate();
        return new ThreadCpu(thread -> name.test(thread.getThreadName()));
    }

    /** How Kafka Streams names an application's stream threads, as a regular expression; their clients add to it. */
    static String streamThreadName(final String applicationId) {
        return Pattern.quote(applicationId) + "-[0-9a-f-]{36}-StreamThread-\\d+";
    }

    /** Tells {@code cpu} each of the stage's threads' CPU nanoseconds so far. */
    private void read(final BiConsumer<Long, Double> cpu) {
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
            final long used = Boolean.TRUE.equals(seen.get(id)) ? THREADS.getThreadCpuTime(id) : -1;
            if (used >= 0) { // -1 also for a thread that ended since its id was read
                cpu.accept(id, (double) used);
            }
        }
    }

    /** Seconds of CPU the threads used since this began; empty if none of them was ever seen. */
    OptionalDouble seconds() {
        return nanos.seconds();
    }

    @Override
    public void close() {
        nanos.close();
    }
}
