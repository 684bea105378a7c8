package io.usagepipeline.sink;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL for tests: {@code USAGE_PIPELINE_TEST_JDBC_URL} (with {@code USAGE_PIPELINE_TEST_JDBC_USER} and
 * {@code USAGE_PIPELINE_TEST_JDBC_PASSWORD}) when set, else an embedded server started in this JVM. Every
 * {@link #freshSchema()} is an empty schema of its own, so tests never see each other's rows. A class's
 * {@code @RegisterExtension static final TestDatabase database = new TestDatabase();} starts it before its tests and
 * stops it after them.
 */
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback {

    private EmbeddedPostgres embedded;
    private String url;
    private String user;
    private String password;

    @Override
    public void beforeAll(final ExtensionContext context) {
        final String external = System.getenv("USAGE_PIPELINE_TEST_JDBC_URL");
        if (external != null && !external.isBlank()) {
            url = external;
            user = System.getenv("USAGE_PIPELINE_TEST_JDBC_USER");
            password = System.getenv("USAGE_PIPELINE_TEST_JDBC_PASSWORD");
            return;
        }
        try {
            embedded = EmbeddedPostgres.start();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
        url = embedded.getJdbcUrl("postgres", "postgres");
        user = "postgres";
        password = "postgres";
    }

    /** A JDBC URL whose default schema is new and empty. */
    public String freshSchema() throws SQLException {
        final String schema = "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** Each row of a query as a list of its columns' text. */
    public List<List<String>> rows(final String schemaUrl, final String sql) throws SQLException {
        final List<List<String>> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(schemaUrl, user, password);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            final int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                final List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Override
    public void afterAll(final ExtensionContext context) throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
