package io.usagepipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;

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
