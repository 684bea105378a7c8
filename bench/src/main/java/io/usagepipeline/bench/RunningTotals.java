package io.usagepipeline.bench;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Totals of nanoseconds that only grow (a thread's CPU time, a producer's waits), one per key, read every 20 ms from a
 * stage's start until this is closed: a thread or client that ends inside the stage is counted up to its last reading,
 * at most 20 ms short. A key first seen after the start counts from zero, one seen at the start from what it had then.
 * With no key ever seen there is no figure, rather than a zero that would read as "none used" (a thread or client
 * renamed by a Kafka upgrade, say).
 *
 * @param <K> what a total belongs to
 */
final class RunningTotals<K> implements AutoCloseable {

    private static final long PERIOD_MILLIS = 20;

    private final Consumer<BiConsumer<K, Double>> source;
    /** Per key: its total when first read (0 for a key first seen after the start) and when last read. */
    private final Map<K, double[]> readings = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean running = true;

    /** @param source tells the consumer it is given each key's total as it stands now */
    RunningTotals(final String readerName, final Consumer<BiConsumer<K, Double>> source) {
        this.source = source;
        read(false);
        reader = new Thread(this::readUntilClosed, readerName);
        reader.setDaemon(true);
        reader.start();
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

    /** @param started whether the stage has begun: a key first seen then grew all of its total within it */
    private void read(final boolean started) {
        source.accept((key, total) -> readings.compute(key, (k, known) -> known == null
                ? new double[] {started ? 0 : total, total} : new double[] {known[0], total}));
    }

    /** How many seconds the totals grew by since this began, read once more first; empty if no key was ever seen. */
    OptionalDouble seconds() {
        read(true);
        return readings.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(
                readings.values().stream().mapToDouble(reading -> reading[1] - reading[0]).sum() / 1e9);
    }

    @Override
    public void close() {
        running = false;
        reader.interrupt();
    }
}
