package io.usagepipeline.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The peak heap of a stage, two ways: in use (sampled every 20 ms, garbage included, so it says as much about when
 * the collector ran as about the stage), and live (what each garbage collection during the stage left, the heap the
 * stage needs). Everything runs in one JVM with the embedded broker, so both include the broker; the idle figures
 * measured before the stages show its share.
 */
final class HeapSampler implements AutoCloseable {

    private static final long PERIOD_MILLIS = 20;
    /** The heap's pools (eden, survivor, old): a collection reports the metaspace and code cache too. */
    private static final Set<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
            .collect(Collectors.toUnmodifiableSet());

    private static final String MAX_HEAP_FREE_RATIO = "MaxHeapFreeRatio";
    private static final HotSpotDiagnosticMXBean DIAGNOSTICS = ManagementFactory.getPlatformMXBean(
            HotSpotDiagnosticMXBean.class);
    /** G1's default, which the launcher raises to 100 for the whole run (it gives no heap back until told). */
    private static final String GIVE_BACK_RATIO = "70";

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong peakLive = new AtomicLong();
    private final Thread thread;
    private final NotificationListener afterCollection = this::collected;
    private final List<NotificationEmitter> collectors = new ArrayList<>();
    private volatile boolean running = true;

    /** A stage that runs on the heap the stages before it grew, as a job that has been running for a while does. */
    HeapSampler() {
        this(true);
    }

    /**
     * A stage that starts on a heap given back after the stages before it, as a service that allocates little has
     * it: the live processor at a poll an hour per target.
     */
    static HeapSampler onHeapGivenBack() {
        return new HeapSampler(false);
    }

    /**
     * Each stage starts with a full collection, after which G1 gives back to the system all of the heap but 70% free
     * ({@code MaxHeapFreeRatio}). Every throughput stage then grew it back, and the kernel zeroed each page it took
     * again: a quarter of the replay's stream thread (perf), in a stage of seconds, while the copy loops, which
     * allocate far less, hardly paid it; a replay or a processor catching up grows its heap once and keeps it. So
     * those stages keep it. The real-time latency stage starts on a heap given back, as before: on a large heap its
     * p99 was about twice as long (bench/MEASUREMENTS.md).
     */
    private HeapSampler(final boolean keepHeap) {
        DIAGNOSTICS.setVMOption(MAX_HEAP_FREE_RATIO, keepHeap ? "100" : GIVE_BACK_RATIO);
        System.gc(); // start each stage from live data, not the garbage of the one before
        peak.set(memory.getHeapMemoryUsage().getUsed());
        peakLive.set(peak.get());
        for (final GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(afterCollection, null, null);
                collectors.add(emitter);
            }
        }
        thread = new Thread(this::sample, "heap-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** After a collection: the heap it left in use (every pool's usage after it, summed). */
    private void collected(final Notification notification, final Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        final GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                (CompositeData) notification.getUserData());
        long live = 0;
        for (final Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (HEAP_POOLS.contains(pool.getKey())) {
                live += pool.getValue().getUsed();
            }
        }
        peakLive.accumulateAndGet(live, Math::max);
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

    /** The most heap a collection during the stage left in use, in MiB. */
    long peakLiveMib() {
        return peakLive.get() / (1024 * 1024);
    }

    @Override
    public void close() throws InterruptedException {
        for (final NotificationEmitter collector : collectors) {
            try {
                collector.removeNotificationListener(afterCollection);
            } catch (final ListenerNotFoundException e) {
                // never added: nothing to remove
            }
        }
        running = false;
        thread.interrupt();
        thread.join();
    }
}
