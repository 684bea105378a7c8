package io.usagepipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usagepipeline.runtime.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sink's schema as Flyway migrates it, against a real PostgreSQL: a new schema, one that holds other tables, and
 * one migrated by the sink's earlier, hand-written migrations (versions 1 to 5 in {@code schema_migrations}), which
 * must keep its rows and get only what it lacks.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MigrationsIT {

    private static final List<String> SINK_TABLES = List.of("alerts", "billing_record_revisions", "billing_records",
            "charge_revisions", "charges", "open_totals", "reconciliation", "sink_offsets", "sink_source");

    @RegisterExtension
    static final TestDatabase database = new TestDatabase();



    @Test
    void shouldCreateEveryTableInANewSchema() throws Exception {
        final String jdbc = database.freshSchema();

        open(jdbc);

        assertThat(tables(jdbc)).containsExactlyElementsOf(withHistory(SINK_TABLES));
        assertThat(database.rows(jdbc, "SELECT version, type, success FROM flyway_schema_history ORDER BY "
                + "installed_rank")).containsExactly(row("1", "SQL"), row("2", "SQL"), row("3", "SQL"),
                row("4", "SQL"), row("5", "SQL"), row("6", "SQL"));
    }

    @Test
    void shouldCreateEveryTableBesideTablesOfOthers() throws Exception {
        final String jdbc = database.freshSchema();
        execute(jdbc, "CREATE TABLE invoices (id integer PRIMARY KEY)", "INSERT INTO invoices VALUES (7)");

        open(jdbc);

        assertThat(tables(jdbc)).containsAll(SINK_TABLES).contains("invoices");
        assertThat(database.rows(jdbc, "SELECT id FROM invoices")).containsExactly(List.of("7"));
        assertThat(database.rows(jdbc, "SELECT version, type, success FROM flyway_schema_history ORDER BY "
                + "installed_rank")).containsExactly(row("0", "BASELINE"), row("1", "SQL"), row("2", "SQL"),
                row("3", "SQL"), row("4", "SQL"), row("5", "SQL"), row("6", "SQL"));
    }

    @Test
    void shouldTakeOverASchemaOfTheEarlierMigrationsKeepingItsRows() throws Exception {
        final String jdbc = database.freshSchema();
        // what the earlier migrations left: scripts 1 to 5 applied, each recorded in schema_migrations
        execute(jdbc, "CREATE TABLE schema_migrations (version integer PRIMARY KEY, script text NOT NULL, "
                + "applied_at timestamptz NOT NULL DEFAULT now())");
        for (int version = 1; version <= 5; version++) {
            final String script = List.of("V1__billing_tables.sql", "V2__source_identity.sql", "V3__charges.sql",
                    "V4__alerts.sql", "V5__reconciliation.sql").get(version - 1);
            execute(jdbc, script(script), "INSERT INTO schema_migrations (version, script) VALUES (" + version
                    + ", '" + script + "')");
        }
        execute(jdbc, "INSERT INTO sink_offsets VALUES ('billing-sink', 'billing.records.v1', 0, 42)");

        open(jdbc);
        open(jdbc); // and again: nothing left to do

        assertThat(tables(jdbc)).containsExactlyElementsOf(withHistory(SINK_TABLES));
        assertThat(database.rows(jdbc, "SELECT sink_name, topic, partition, next_offset FROM sink_offsets"))
                .containsExactly(List.of("billing-sink", "billing.records.v1", "0", "42"));
        assertThat(database.rows(jdbc, "SELECT version, type, success FROM flyway_schema_history ORDER BY "
                + "installed_rank")).containsExactly(row("5", "BASELINE"), row("6", "SQL"));
    }

    @Test
    void shouldRefuseInOneLineASchemaWhoseTableHasTheNameOfOneOfTheSinks() throws Exception {
        final String jdbc = database.freshSchema();
        execute(jdbc, "CREATE TABLE charges (id integer PRIMARY KEY)");

        assertThatThrownBy(() -> open(jdbc)).isInstanceOf(SQLException.class)
                .hasMessage("could not migrate the sink's tables: V3__charges.sql, line 6: ERROR: relation \"charges\" "
                        + "already exists; the schema holds a table of that name that is not the sink's: give the sink "
                        + "a schema of its own (currentSchema=NAME in the JDBC URL)");
    }

    private static void open(final String jdbc) throws SQLException {
        try (PostgresWriter writer = new PostgresWriter(jdbc, database.user(), new Secret(database.password()),
                "billing-sink", "usage.totals.v1")) {
            assertThat(writer.name()).isEqualTo("postgresql");
        }
    }

    private static List<String> tables(final String jdbc) throws SQLException {
        return database.rows(jdbc, "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                + "current_schema() ORDER BY table_name").stream().map(row -> row.get(0)).toList();
    }

    private static List<String> withHistory(final List<String> tables) {
        return Stream.concat(tables.stream(), Stream.of("flyway_schema_history"))
                .sorted().toList();
    }

    private static List<String> row(final String version, final String type) {
        return List.of(version, type, "t");
    }

    private static void execute(final String jdbc, final String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbc, database.user(), database.password());
             Statement statement = connection.createStatement()) {
            for (final String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static String script(final String name) {
        try (InputStream in = MigrationsIT.class.getResourceAsStream("/db/migration/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
