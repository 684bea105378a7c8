package io.usagepipeline.sink;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

/**
 * A database that went away or takes no writes for a while, told from one that refuses what the sink writes. A
 * restart, a failover or a session ended by an administrator loses the sink its connection; a failover whose address
 * still leads to the old primary, now a standby, or a hosted server that turns read-only as its storage fills up,
 * refuses every write; either comes back by itself or by an administrator's hand, with nothing wrong in what the sink
 * writes. The sink waits for it and resumes from the positions committed with the rows ({@link SinkService}).
 * Anything else (a constraint, a refused password, a failed migration) is no outage: the sink stops on it.
 *
 * @param sqlState what PostgreSQL (or its driver) said, as an SQLSTATE
 * @param message  the first line of what it said
 */
record DatabaseOutage(String sqlState, String message) {

    /**
     * SQLSTATEs of a server that shuts down or cannot take a connection yet: {@code admin_shutdown},
     * {@code crash_shutdown}, {@code cannot_connect_now} (starting up, or in recovery), {@code too_many_connections};
     * and of one that takes no writes: {@code read_only_sql_transaction} (a standby, or
     * {@code default_transaction_read_only} set server-wide), {@code disk_full}. Class {@code 08}, a connection
     * exception (refused, lost, closed), is one too.
     */
    private static final Set<String> GONE = Set.of("57P01", "57P02", "57P03", "53300", "25006", "53100");

    /** The outage that caused {@code failure}, anywhere in its causes; empty when it is something else. */
    static Optional<DatabaseOutage> of(final Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || GONE.contains(sql.getSQLState()))) {
                return Optional.of(new DatabaseOutage(sql.getSQLState(), said(sql)));
            }
        }
        return Optional.empty();
    }

    /**
     * What the database said, in one line: a batch's own message spells out its whole statement with the figures in
     * it, the error is the next one.
     */
    static String said(final SQLException failure) {
        final SQLException sql = failure instanceof BatchUpdateException && failure.getNextException() != null
                ? failure.getNextException() : failure;
        return sql.getMessage() == null ? sql.toString() : sql.getMessage().lines().findFirst().orElse("").strip();
    }
}
