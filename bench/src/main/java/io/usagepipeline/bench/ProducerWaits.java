package io.usagepipeline.bench;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The time a stage's own producers waited for the broker at their commits, as each producer counts it: a
 * transaction's flush (until every record of the interval is acknowledged), its offsets and its commit. Beside the
 * thread's CPU ({@link ThreadCpu}) it splits a stage's time: the thread's work, its waits at commits, and the rest
 * (waiting for a core, for records to read). Producers are read through JMX every 20 ms, since a processor closes its
 * producers inside the stage: what one waited after its last reading is missed, at most 20 ms.
 */
final class ProducerWaits implements AutoCloseable {

    private static final long PERIOD_MILLIS = 20;
    /** A producer's totals, in nanoseconds, of the waits a commit is made of. */
    private static final List<String> COMMIT_WAITS = List.of("flush-time-ns-total", "txn-send-offsets-time-ns-total",
            "txn-commit-time-ns-total");
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
    private static final ObjectName PRODUCERS = name("kafka.producer:type=producer-metrics,client-id=*");

    private final Predicate<String> ofStage;
    /** Per producer: its total when first read (0 for one created after the stage began) and when last read. */
    private final Map<ObjectName, double[]> readings = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean running = true;

    /** Reads the producers whose client id {@code ofStage} accepts, from now until {@link #close()}. */
    ProducerWaits(final Predicate<String> ofStage) {
        this.ofStage = ofStage;
        read(false);
        reader = new Thread(this::readUntilClosed, "producer-waits-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** The producer of a bare loop, whose client id is its transactional id. */
    static ProducerWaits ofClient(final String clientId) {
        return new ProducerWaits(clientId::equals);
    }

    /** The stream threads' producers of a Kafka Streams application: {@code <thread name>-producer}. */
    static ProducerWaits ofStreamThreads(final String applicationId) {
        return new ProducerWaits(Pattern.compile(Pattern.quote(applicationId)
                + "-[0-9a-f-]{36}-StreamThread-\\d+-producer").asMatchPredicate());
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

    /** @param started whether the stage has begun: a producer first seen then did all its waiting within it */
    private void read(final boolean started) {
        for (final ObjectName producer : SERVER.queryNames(PRODUCERS, null)) {
            final String id = producer.getKeyProperty("client-id"); // quoted where it has JMX's special characters
            if (!ofStage.test(id.startsWith("\"") ? ObjectName.unquote(id) : id)) {
                continue;
            }
            final double total;
            try {
                double sum = 0;
                for (final String wait : COMMIT_WAITS) {
                    sum += ((Number) SERVER.getAttribute(producer, wait)).doubleValue();
                }
                total = sum;
            } catch (final JMException e) {
                continue; // closed since it was listed: its last reading stands
            }
            readings.compute(producer, (key, known) -> known == null ? new double[] {started ? 0 : total, total}
                    : new double[] {known[0], total});
        }
    }

    /** Seconds the producers waited at commits since this began; read once more first, for those still open. */
    double seconds() {
        read(true);
        return readings.values().stream().mapToDouble(reading -> reading[1] - reading[0]).sum() / 1e9;
    }

    @Override
    public void close() {
        running = false;
        reader.interrupt();
    }

    private static ObjectName name(final String name) {
        try {
            return new ObjectName(name);
        } catch (final JMException e) {
            throw new IllegalArgumentException(name, e);
        }
    }
}
