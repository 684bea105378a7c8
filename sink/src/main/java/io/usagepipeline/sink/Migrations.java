package io.usagepipeline.sink;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.internal.sqlscript.FlywaySqlScriptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's tables, migrated on start by Flyway from {@code db/migration/V<n>__<name>.sql} in the schema the JDBC URL
 * names (PostgreSQL's current schema). Flyway takes an advisory lock while it migrates, so two sinks starting together
 * migrate once, and it refuses a script changed after it was applied.
 *
 * <p>Two kinds of schema have no Flyway history yet and are baselined, so that they get exactly the scripts they lack:
 * one migrated by the sink's earlier, hand-written migrations (its versions in {@code schema_migrations}, which
 * V6 drops) at the highest version it holds; and one that holds other tables but none of the sink's at version 0, so
 * that every script runs there, as it always did, where Flyway alone would refuse a non-empty schema.
 */
final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    /** PostgreSQL's SQL state for a table that exists already. */
    private static final String DUPLICATE_TABLE = "42P07";

    private Migrations() {
    }

    /**
     * Applies the scripts the schema lacks.
     *
     * @param connection an open connection to the same database and schema, to look at what is there
     */
    static void apply(final Connection connection, final String jdbcUrl, final String user, final String password)
            throws SQLException {
        final int baseline = versionOfTheEarlierMigrations(connection);
        try {
            final MigrateResult result = Flyway.configure()
                    .dataSource(jdbcUrl, user, password)
                    .locations("classpath:db/migration")
                    .baselineOnMigrate(true) // only where the schema has tables and no Flyway history: see above
                    .baselineVersion(String.valueOf(baseline))
                    .baselineDescription(baseline == 0 ? "before the sink tables" // no quote: Flyway writes it as SQL
                            : "migrated by the earlier sink migrations")
                    .load()
                    .migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info("migrated the sink's tables in schema {} from version {} to {}", connection.getSchema(),
                        result.initialSchemaVersion == null ? "none" : result.initialSchemaVersion,
                        result.targetSchemaVersion);
            }
        } catch (final FlywayException e) {
            // the line says it all: Flyway's exceptions, a cause each, would each add their dozen lines to it
            LOG.debug("Flyway failed", e);
            // with PostgreSQL's SQLSTATE, which tells whether the database went away meanwhile (DatabaseOutage)
            throw new SQLException("could not migrate the sink's tables: " + reason(e), sqlState(e));
        }
    }

    /**
     * Why a migration failed, in one line: for a script, its name, the line and PostgreSQL's error (Flyway's own
     * message spreads over a dozen lines and tells the reader to run Flyway with -X).
     */
    private static String reason(final FlywayException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof FlywaySqlScriptException script && script.getCause() instanceof SQLException sql) {
                return script.getResource().getFilename() + ", line " + script.getLineNumber() + ": "
                        + oneLine(sql.getMessage()) + (DUPLICATE_TABLE.equals(sql.getSQLState())
                        ? "; the schema holds a table of that name that is not the sink's: give the sink a schema of "
                        + "its own (currentSchema=NAME in the JDBC URL)" : "");
            }
        }
        return oneLine(failure.getMessage());
    }

    /** The SQLSTATE of the first SQL error among a failure's causes; null when none has one. */
    private static String sqlState(final FlywayException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    /** A message spread over several lines, as one. */
    private static String oneLine(final String message) {
        return String.join("; ", message.lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.chars().allMatch(c -> c == '-')).toList());
    }

    /** The highest version recorded by the sink's migrations before Flyway; 0 where they never ran. */
    private static int versionOfTheEarlierMigrations(final Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet table = statement.executeQuery("SELECT to_regclass('schema_migrations') IS NOT NULL")) {
            table.next();
            if (!table.getBoolean(1)) {
                return 0;
            }
        }
        try (Statement statement = connection.createStatement();
             ResultSet version = statement.executeQuery("SELECT coalesce(max(version), 0) FROM schema_migrations")) {
            version.next();
            return version.getInt(1);
        }
    }
}
