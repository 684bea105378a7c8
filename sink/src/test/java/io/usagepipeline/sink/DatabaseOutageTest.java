package io.usagepipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class DatabaseOutageTest {

    @Test
    void shouldTellALostConnectionByWhatTheDatabaseSaidRatherThanTheBatchsStatement() {
        final BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT INTO open_totals (...) "
                + "VALUES (...) was aborted: An I/O error occurred while sending to the backend.  Call "
                + "getNextException to see other errors in the batch.", "08006", new int[0]);
        batch.setNextException(new SQLException("An I/O error occurred while sending to the backend.", "08006",
                new SocketException("Broken pipe")));

        assertThat(DatabaseOutage.of(batch)).contains(
                new DatabaseOutage("08006", "An I/O error occurred while sending to the backend."));
    }

    @Test
    void shouldFindTheOutageAmongTheCausesAndTakeAServerShuttingDownForOne() {
        final SQLException shutdown = new SQLException("FATAL: terminating connection due to administrator "
                + "command\n  Where: ...", "57P01");

        assertThat(DatabaseOutage.of(new UncheckedIOException("writing", new IOException(shutdown))))
                .contains(new DatabaseOutage("57P01", "FATAL: terminating connection due to administrator command"));
    }

    /**
     * A standby where the primary was (a failover whose address has not moved yet), a server turned read-only as its
     * storage fills up, or one whose disk is full: each takes writes again by itself or by an administrator's hand.
     */
    @Test
    void shouldTakeADatabaseThatTakesNoWritesForAnOutage() {
        assertThat(DatabaseOutage.of(new SQLException("ERROR: cannot execute INSERT in a read-only transaction",
                "25006"))).contains(new DatabaseOutage("25006",
                "ERROR: cannot execute INSERT in a read-only transaction"));
        assertThat(DatabaseOutage.of(new SQLException("ERROR: could not extend file \"base/16384/16417\": No space "
                + "left on device\n  Hint: Check free disk space.", "53100"))).contains(new DatabaseOutage("53100",
                "ERROR: could not extend file \"base/16384/16417\": No space left on device"));
    }

    /**
     * The driver says "The connection attempt failed." of a name that does not resolve; the sink says what is wrong,
     * and a failover's name missing for a moment is still waited out as part of an outage.
     */
    @Test
    void shouldSayThatTheDatabasesHostNameDoesNotResolveAndTakeItForAnOutage() {
        // .invalid never resolves (RFC 6761), with or without a network
        final Throwable failure = catchThrowable(() -> new PostgresWriter(
                "jdbc:postgresql://db.invalid:5432/billing?currentSchema=billing", "billing", null, "sink", "totals"));

        assertThat(failure).isInstanceOf(SQLException.class).hasMessage("cannot connect to the database at "
                + "jdbc:postgresql://db.invalid:5432/billing: its host name db.invalid does not resolve");
        assertThat(DatabaseOutage.of(failure)).map(DatabaseOutage::sqlState).contains("08001");
    }

    @Test
    void shouldNotTakeARefusalOfWhatTheSinkWritesForAnOutage() {
        assertThat(DatabaseOutage.of(new SQLException("duplicate key value violates unique constraint", "23505")))
                .isEmpty();
        assertThat(DatabaseOutage.of(new SQLException("password authentication failed for user \"billing\"",
                "28P01"))).as("a refused password is a person's to fix").isEmpty();
        assertThat(DatabaseOutage.of(new SQLException("could not migrate the sink's tables: V2__x.sql, line 3")))
                .isEmpty();
        assertThat(DatabaseOutage.of(new IllegalStateException("no SQL at all"))).isEmpty();
    }
}
