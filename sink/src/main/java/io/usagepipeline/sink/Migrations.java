package io.usagepipeline.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations ({@code db/migration/V<n>__<name>.sql}), applied in order on start in one transaction
 * (PostgreSQL DDL is transactional) under an advisory lock, so that two sinks starting together migrate once.
 */
final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    /** Every migration, in order; a new schema version is a new file added here. */
    static final List<String> SCRIPTS = List.of("V1__billing_tables.sql", "V2__source_identity.sql",
            "V3__charges.sql", "V4__alerts.sql", "V5__reconciliation.sql");
    private static final long LOCK_ID = 0x5553_4147_4550_4950L; // "USAGEPIP"

    private Migrations() {
    }

    /** Applies what is missing; returns the schema version now in place. */
    static int apply(final Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + LOCK_ID + ")");
            statement.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
                    + "script text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
            int current = 0;
            try (ResultSet rs = statement.executeQuery("SELECT coalesce(max(version), 0) FROM schema_migrations")) {
                rs.next();
                current = rs.getInt(1);
            }
            for (int version = current + 1; version <= SCRIPTS.size(); version++) {
                final String script = SCRIPTS.get(version - 1);
                statement.execute(read(script));
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO schema_migrations (version, script) VALUES (?, ?)")) {
                    insert.setInt(1, version);
                    insert.setString(2, script);
                    insert.executeUpdate();
                }
                LOG.info("applied schema migration {}", script);
            }
            connection.commit();
            return SCRIPTS.size();
        } catch (final SQLException e) {
            connection.rollback();
            throw e;
        }
    }

    private static String read(final String script) {
        try (InputStream in = Migrations.class.getResourceAsStream("/db/migration/" + script)) {
            if (in == null) {
                throw new IllegalStateException("migration " + script + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
