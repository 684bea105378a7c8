package io.usagepipeline.bench;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The time a stage's own producers waited for the broker at their commits, as each producer counts it: a
 * transaction's flush (until every record of the interval is acknowledged), its offsets and its commit. Beside the
 * thread's CPU ({@link ThreadCpu}) it splits a stage's time: the thread's work, its waits at commits, and the rest
 * (waiting for a core, for records to read). Producers are read through JMX every 20 ms ({@link RunningTotals}),
 * since a processor closes its producers inside the stage.
 */
final class ProducerWaits implements AutoCloseable {

    /** A producer's totals, in nanoseconds, of the waits a commit is made of. */
    private static final List<String> COMMIT_WAITS = List.of("flush-time-ns-total", "txn-send-offsets-time-ns-total",
            "txn-commit-time-ns-total");
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
    private static final ObjectName PRODUCERS = name("kafka.producer:type=producer-metrics,client-id=*");

    private final Predicate<String> ofStage;
    private final RunningTotals<ObjectName> nanos;

    /** Reads the producers whose client id {@code ofStage} accepts, from now until {@link #close()}. */
    ProducerWaits(final Predicate<String> ofStage) {
        this.ofStage = ofStage;
        this.nanos = new RunningTotals<>("producer-waits-reader", this::read);
    }

    /** The producer of a bare loop, whose client id is its transactional id. */
    static ProducerWaits ofClient(final String clientId) {
        return new ProducerWaits(clientId::equals);
    }

    /** The stream threads' producers of a Kafka Streams application: {@code <thread name>-producer}. */
    static ProducerWaits ofStreamThreads(final String applicationId) {
        return new ProducerWaits(Pattern.compile(ThreadCpu.streamThreadName(applicationId) + "-producer")
                .asMatchPredicate());
    }

    /** Tells {@code waited} each of the stage's producers' nanoseconds of waiting at commits so far. */
    private void read(final BiConsumer<ObjectName, Double> waited) {
        for (final ObjectName producer : SERVER.queryNames(PRODUCERS, null)) {
            final String id = producer.getKeyProperty("client-id"); // quoted where it has JMX's special characters
            if (!ofStage.test(id.startsWith("\"") ? ObjectName.unquote(id) : id)) {
                continue;
            }
            try {
                double total = 0;
                for (final String wait : COMMIT_WAITS) {
                    total += ((Number) SERVER.getAttribute(producer, wait)).doubleValue();
                }
                waited.accept(producer, total);
            } catch (final JMException e) {
                // closed since it was listed: its last reading stands
            }
        }
    }

    /** Seconds the producers waited at commits since this began; empty if none of them was ever seen. */
    OptionalDouble seconds() {
        return nanos.seconds();
    }

    @Override
    public void close() {
        nanos.close();
    }

    private static ObjectName name(final String name) {
        try {
            return new ObjectName(name);
        } catch (final JMException e) {
            throw new IllegalArgumentException(name, e);
        }
    }
}
