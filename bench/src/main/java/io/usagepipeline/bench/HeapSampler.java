package io.usagepipeline.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The peak heap in use during a stage, sampled every 20 ms. Everything runs in one JVM with the embedded broker, so
 * the figure includes the broker; the idle figure measured before the stages shows its share.
 */
final class HeapSampler implements AutoCloseable {

    private static final long PERIOD_MILLIS = 20;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peak = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    HeapSampler() {
        System.gc(); // start each stage from live data, not the garbage of the one before
        peak.set(memory.getHeapMemoryUsage().getUsed());
        thread = new Thread(this::sample, "heap-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void sample() {
        while (running) {
            peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (final InterruptedException e) {
                return;
            }
        }
    }

    /** The highest heap use seen so far, in MiB. */
    long peakMib() {
        return peak.get() / (1024 * 1024);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
    }
}
