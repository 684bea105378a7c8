package io.usagepipeline.sink;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

/**
 * A database that went away, told from one that refuses what the sink writes. A restart, a failover or a session
 * ended by an administrator loses the sink its connection, and the database comes back by itself; the sink waits for
 * it and resumes from the positions committed with the rows ({@link SinkService}). Anything else (a constraint, a
 * refused password, a failed migration) is no outage: the sink stops on it.
 *
 * @param sqlState what PostgreSQL (or its driver) said, as an SQLSTATE
 * @param message  the first line of what it said
 */
record DatabaseOutage(String sqlState, String message) {

    /**
     * SQLSTATEs of a server that shuts down or cannot take a connection yet: {@code admin_shutdown},
     * {@code crash_shutdown}, {@code cannot_connect_now} (starting up, or in recovery), {@code too_many_connections}.
     * Class {@code 08}, a connection exception (refused, lost, closed), is one too.
     */
    private static final Set<String> GONE = Set.of("57P01", "57P02", "57P03", "53300");

    /** The outage that caused {@code failure}, anywhere in its causes; empty when it is something else. */
    static Optional<DatabaseOutage> of(final Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || GONE.contains(sql.getSQLState()))) {
                return Optional.of(new DatabaseOutage(sql.getSQLState(), firstLine(said(sql))));
            }
        }
        return Optional.empty();
    }

    /** What the database said: a batch's own message spells out its whole statement, the error is the next one. */
    private static SQLException said(final SQLException sql) {
        return sql instanceof BatchUpdateException && sql.getNextException() != null ? sql.getNextException() : sql;
    }

    private static String firstLine(final SQLException sql) {
        return sql.getMessage() == null ? sql.toString() : sql.getMessage().lines().findFirst().orElse("").strip();
    }
}
