package io.usagepipeline.embedded;

import org.apache.kafka.common.utils.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's server code calls {@code Exit.exit}/{@code Exit.halt} on fatal faults, which would kill the whole JVM that
 * embeds it (a test run, the demo). While any embedded broker runs, those calls are logged and turned into an
 * exception in the calling thread instead.
 */
final class JvmExitGuard {

    private static final Logger LOG = LoggerFactory.getLogger(JvmExitGuard.class);
    private static int holders;

    private JvmExitGuard() {
    }

    static synchronized void install() {
        if (holders++ == 0) {
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

    private static void refuse(final String kind, final int status, final String message) {
        LOG.error("Kafka asked to {} the JVM with status {}: {}; the embedded broker refuses and keeps the JVM alive",
                kind, status, message);
        throw new IllegalStateException("Kafka requested JVM " + kind + "(" + status + "): " + message);
    }
}
