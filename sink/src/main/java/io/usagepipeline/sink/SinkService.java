package io.usagepipeline.sink;

import io.usagepipeline.events.KafkaProbe;
import io.usagepipeline.events.KafkaRefusals;
import io.usagepipeline.runtime.ExitCodes;
import io.usagepipeline.runtime.Health;
import io.usagepipeline.runtime.HealthBounds;
import io.usagepipeline.runtime.Service;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink as a service: its loop on a thread of its own. It is down when Kafka has not answered for the health
 * bound, or when no batch has finished for the stall bound (a database or disk that blocks). A database that goes away
 * or takes no writes for a while ({@link DatabaseOutage}) is waited for: the outputs are closed and opened again every
 * {@link #REOPEN_PAUSE} until it takes writes, which resumes each from the positions it committed, as a sink started
 * again would; once it has not for the database timeout, or when a write fails otherwise, the service ends with exit
 * code 1.
 */
public final class SinkService implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(SinkService.class);
    /** How often the outputs are opened again while the database does not take the sink's writes. */
    private static final Duration REOPEN_PAUSE = Duration.ofSeconds(2);

    /** Opens the outputs again, resuming each from its own positions (never resetting one). */
    @FunctionalInterface
    interface Reopen {
        BillingSink open() throws Exception;
    }

    private final Reopen reopen;
    private final Duration databaseTimeout;
    private final KafkaProbe kafka;
    private final HealthBounds bounds;
    private final Clock clock;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** The running sink; null while the database is waited for. Replaced by the loop's thread only. */
    private volatile BillingSink sink;
    private volatile Instant lastBatch;
    /** Since when, and why, the database has not taken the sink's writes; null while it does. */
    private volatile Instant outageSince;
    private volatile String outage;
    private volatile Throwable failure;
    private volatile boolean stopping;

    /**
     * @param sink            the sink, not started yet
     * @param reopen          opens the outputs again after the database went away
     * @param databaseTimeout how long the database may take no writes before the service ends with exit code 1
     */
    SinkService(final BillingSink sink, final Reopen reopen, final Duration databaseTimeout, final KafkaProbe kafka,
                final HealthBounds bounds, final Clock clock) {
        this.sink = sink;
        this.reopen = reopen;
        this.databaseTimeout = databaseTimeout;
        this.kafka = kafka;
        this.bounds = bounds;
        this.clock = clock;
        this.thread = new Thread(this::loop, "sink");
    }

    /**
     * The sink over the outputs named, opened here (a database that does not answer, or refuses, fails the command
     * before it starts), and opened again after a database outage, each output resuming from its own positions: a
     * {@link SinkConfig#resetOutput() reset} is done once, at start.
     *
     * @param databaseTimeout how long the database may take no writes before the service ends with exit code 1
     */
    public static SinkService open(final SinkConfig config, final Map<String, Object> kafka, final SinkOutputs outputs,
                                   final SinkMetrics metrics, final Duration databaseTimeout, final KafkaProbe probe,
                                   final HealthBounds bounds, final Clock clock) throws Exception {
        return new SinkService(BillingSink.open(config, kafka, outputs, metrics),
                () -> BillingSink.open(config.resuming(), kafka, outputs, metrics), databaseTimeout, probe, bounds,
                clock);
    }

    @Override
    public String name() {
        return "sink";
    }

    @Override
    public OptionalLong backlog() {
        final BillingSink current = sink;
        return current == null ? OptionalLong.empty() : current.backlog();
    }

    /** Checks the outputs against the Kafka history (a stale output refuses here) and starts the loop. */
    @Override
    public void start() throws Exception {
        kafka.start();
        sink.start();
        lastBatch = clock.instant();
        thread.start();
    }

    private void loop() {
        try {
            while (!stopping) {
                try {
                    sink.pollOnce();
                    lastBatch = clock.instant();
                } catch (final WakeupException e) {
                    return; // stop() woke the consumer up
                } catch (final Exception e) {
                    awaitDatabase(DatabaseOutage.of(e).orElseThrow(() -> e));
                }
            }
        } catch (final Exception | Error e) {
            failure = e;
            if (e instanceof IOException || KafkaRefusals.of(e).isPresent()) { // their words say it all
                LOG.error("the sink stopped: {}; it resumes exactly where it stopped when started again", describe(e));
            } else {
                LOG.error("the sink stopped: {}; it resumes exactly where it stopped when started again",
                        describe(e), e);
            }
        }
    }

    /**
     * Closes the outputs and opens them again, every {@link #REOPEN_PAUSE}, until the database takes writes; returns
     * with {@link #sink} running again, or with none once stopped.
     *
     * @throws Exception the database has not taken writes for the database timeout, or opening failed otherwise
     */
    private void awaitDatabase(final DatabaseOutage lost) throws Exception {
        outageSince = clock.instant();
        outage = lost.message();
        LOG.warn("the database does not take the sink's writes ({}); the sink opens its outputs again every {} s "
                + "until it does, "
                + "for {} at most, and resumes where each stopped", outage, REOPEN_PAUSE.toSeconds(), databaseTimeout);
        closeSink();
        while (!stopped.await(REOPEN_PAUSE.toMillis(), TimeUnit.MILLISECONDS)) {
            BillingSink next = null;
            try {
                next = reopen.open();
                next.start();
            } catch (final Exception e) {
                if (next != null) {
                    next.close();
                }
                final DatabaseOutage still = DatabaseOutage.of(e).orElseThrow(() -> e);
                outage = still.message();
                final Duration lasted = Duration.between(outageSince, clock.instant());
                if (lasted.compareTo(databaseTimeout) > 0) {
                    throw new SQLException("the database has not taken the sink's writes for " + lasted.toSeconds()
                            + " s ("
                            + outage + ")", still.sqlState());
                }
                continue;
            }
            sink = next;
            LOG.info("the database takes writes again after {} s; the sink writes on",
                    Duration.between(outageSince, clock.instant()).toSeconds());
            outageSince = null;
            lastBatch = clock.instant();
            return;
        }
    }

    private void closeSink() {
        final BillingSink current = sink;
        sink = null;
        if (current != null) {
            current.close();
        }
    }

    @Override
    public Health health() {
        if (failure != null) {
            return Health.down("FAILED", describe(failure));
        }
        final Instant since = outageSince;
        if (since != null) {
            return Health.down("REOPENING", "the database has not taken the sink's writes for "
                    + Duration.between(since, clock.instant()).toSeconds() + " s (" + outage + ")");
        }
        final Optional<String> silent = kafka.silentLongerThan(bounds.unreachable());
        if (silent.isPresent()) {
            return Health.down("RUNNING", silent.get());
        }
        final Duration sinceBatch = Duration.between(lastBatch, clock.instant());
        if (sinceBatch.compareTo(bounds.stalled()) > 0) {
            return Health.down("STALLED", "no batch finished for " + sinceBatch.toSeconds() + " s");
        }
        return Health.ready("RUNNING");
    }

    @Override
    public OptionalInt ended() {
        return failure == null ? OptionalInt.empty() : OptionalInt.of(ExitCodes.FAILED);
    }

    @Override
    public void stop(final Duration timeout) throws InterruptedException {
        stopping = true;
        stopped.countDown();
        final BillingSink current = sink;
        if (current != null) {
            current.stop();
        }
        thread.join(timeout.toMillis());
        try {
            closeSink();
        } finally {
            kafka.close();
        }
    }

    /**
     * A file's failure in its own words (they name the file), the database's and Kafka's refusals with what to do,
     * anything else with its class, which says what broke.
     */
    private static String describe(final Throwable failure) {
        if (failure instanceof SQLException sql) { // its own words, not a batch's statement with every figure in it
            return DatabaseOutage.said(sql);
        }
        return KafkaRefusals.of(failure).orElse(failure instanceof IOException ? failure.getMessage()
                : failure.toString());
    }
}
