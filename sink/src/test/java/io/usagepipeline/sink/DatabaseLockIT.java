package io.usagepipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usagepipeline.runtime.Secret;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One sink of a name writes a database schema: a second is turned away naming the first, another name or another
 * schema is not, and the lock goes with the first's connection. A session this process left behind is ended, where
 * one of another process is named with the statement that ends it. (Two sink processes: {@code SinkCommandIT}.)
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DatabaseLockIT {

    private static final String TOTALS = "usage.totals.v1";
    @RegisterExtension
    static final TestDatabase database = new TestDatabase();



    @Test
    void shouldTurnAwayASecondSinkOfTheSameNameAndLetTheNextOneIn() throws Exception {
        final String jdbc = database.freshSchema();
        try (PostgresWriter first = open(jdbc, "billing-sink")) {
            assertThatThrownBy(() -> open(jdbc, "billing-sink")).isInstanceOf(OutputInUseException.class)
                    .hasMessageContaining("is being written by another sink named 'billing-sink' (this process, ")
                    .hasMessageEndingWith("stop that one, or give this one another --name");
            try (PostgresWriter other = open(jdbc, "audit-sink");
                 PostgresWriter elsewhere = open(database.freshSchema(), "billing-sink")) {
                assertThat(other.checkpoint().positions()).isEmpty(); // another name, another schema: both write
                assertThat(elsewhere.checkpoint().positions()).isEmpty();
            }
        }
        try (PostgresWriter next = open(jdbc, "billing-sink")) {
            assertThat(next.checkpoint().positions()).isEmpty();
        }
    }

    /** What a sink of another process (another pod, another host) holding the lock looks like to this one. */
    @Test
    void shouldNameTheSinkOfAnotherProcessAndHowToEndItsSession() throws Exception {
        final String jdbc = database.freshSchema();
        open(jdbc, "billing-sink").close(); // the tables, so that the schema is the sink's
        try (Connection other = holding(jdbc, "usage-pipeline sink 4711@billing-1", "billing-sink")) {
            final int pid = pid(other);

            assertThatThrownBy(() -> open(jdbc, "billing-sink")).isInstanceOf(OutputInUseException.class)
                    .hasMessageContaining("another sink named 'billing-sink' (usage-pipeline sink 4711@billing-1 from ")
                    .hasMessageContaining(", server process " + pid + "; if that sink is gone, its host down, end its "
                            + "session: SELECT pg_terminate_backend(" + pid + "))");
            assertThat(other.isValid(5)).as("left alone").isTrue();
        }
    }

    /**
     * A connection of this process the server still holds (lost during an outage, or closed and not yet ended):
     * ended, and the lock taken, where the sink would otherwise lock itself out until the server gives up on it.
     */
    @Test
    void shouldEndASessionThisProcessLeftBehind() throws Exception {
        final String jdbc = database.freshSchema();
        open(jdbc, "billing-sink").close();
        try (Connection left = holding(jdbc, DatabaseLock.applicationName(), "billing-sink");
             PostgresWriter writer = open(jdbc, "billing-sink")) {
            assertThat(writer.checkpoint().positions()).isEmpty();
            assertThat(left.isValid(5)).as("ended by the server").isFalse();
        }
    }

    private static PostgresWriter open(final String jdbc, final String sinkName) throws SQLException {
        return new PostgresWriter(jdbc, database.user(), new Secret(database.password()), sinkName, TOTALS);
    }

    /** A session that says it is {@code name} and holds the lock of a sink's name in the URL's schema. */
    private static Connection holding(final String jdbc, final String name, final String sinkName)
            throws SQLException {
        final Connection connection = DriverManager.getConnection(jdbc, database.user(), database.password());
        try (PreparedStatement set = connection.prepareStatement("SELECT set_config('application_name', ?, false)");
             PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
            set.setString(1, name);
            set.execute();
            lock.setInt(1, DatabaseLock.KEY_SPACE);
            lock.setInt(2, DatabaseLock.lockId(connection.getSchema(), sinkName));
            lock.execute();
        }
        return connection;
    }

    private static int pid(final Connection connection) throws SQLException {
        try (PreparedStatement pid = connection.prepareStatement("SELECT pg_backend_pid()");
             ResultSet result = pid.executeQuery()) {
            result.next();
            return result.getInt(1);
        }
    }
}
