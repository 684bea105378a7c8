package io.usagepipeline.embedded;

import java.util.Optional;
import org.apache.kafka.common.utils.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's server code calls {@code Exit.exit}/{@code Exit.halt} on fatal faults, which would kill the whole JVM that
 * embeds it (a test run, the demo). While any embedded broker runs, those calls are logged and turned into an
 * exception in the calling thread instead, and the first is kept: the thread that asked ends, and the broker goes on
 * without it (a dead transaction marker or controller channel leaves clients waiting forever), so whoever runs the
 * broker must learn of it ({@link EmbeddedKafkaBroker#fatalFault()}). Exit procedures are the JVM's, so the fault is
 * too: it cannot say which of several brokers in one JVM asked.
 */
final class JvmExitGuard {

    private static final Logger LOG = LoggerFactory.getLogger(JvmExitGuard.class);
    private static int holders;
    private static volatile String fault;

    private JvmExitGuard() {
    }

    static synchronized void install() {
        if (holders++ == 0) {
            fault = null;
            Exit.setExitProcedure((status, message) -> refuse("exit", status, message));
            Exit.setHaltProcedure((status, message) -> refuse("halt", status, message));
        }
    }

    static synchronized void release() {
        if (holders > 0 && --holders == 0) {
            Exit.resetExitProcedure();
            Exit.resetHaltProcedure();
        }
    }

    /** What Kafka asked for first since the guard was installed, if it asked to exit or halt. */
    static Optional<String> fault() {
        return Optional.ofNullable(fault);
    }

    private static void refuse(final String kind, final int status, final String message) {
        synchronized (JvmExitGuard.class) {
            if (fault == null) {
                fault = "Kafka asked to " + kind + " with status " + status + (message == null ? "" : ": " + message);
            }
        }
        LOG.error("Kafka asked to {} the JVM with status {}: {}; the embedded broker refuses and keeps the JVM alive",
                kind, status, message);
        throw new IllegalStateException("Kafka requested JVM " + kind + "(" + status + "): " + message);
    }
}
