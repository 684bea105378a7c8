package io.usagepipeline.sink;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sink of a name writes a database schema, as one sink writes a folder ({@link OutputLock}). Two at once (a second
 * replica, a rolling update that starts the next sink before the last has stopped) would each write every record:
 * nothing doubles, since rows are keyed by their ids, but each would move the other's resume positions back and write
 * older rolling totals over newer ones. The sink holds a PostgreSQL advisory lock on its name and schema for as long
 * as its connection lives, and names itself in the session's {@code application_name}, for the one turned away.
 *
 * <p>Unlike a file lock, the lock outlives a process whose connection the server has not seen close: a host that went
 * down, or a network that parted. A session of this very process left so (a connection lost during an outage, or
 * closed and not yet ended by the server) is ended here, and the sink writes on while it ends; one of another process
 * is named, with how to end it.
 */
final class DatabaseLock {

    /** The first key of the sink's advisory locks, so that they do not collide with other users' of the database. */
    static final int KEY_SPACE = 0x55505053;
    /** How long to wait for a session of this process, asked to end, to let the lock go, before writing on. */
    private static final String WAIT_FOR_OWN_SESSION = "2s";
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseLock.class);
    /** The SQLSTATE of a lock not granted within {@code lock_timeout}. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    /** PostgreSQL keeps the first 63 bytes of an application name. */
    private static final int NAME_LIMIT = 63;
    /** The schemas and names this process holds, by writers still open: never taken over by this process itself. */
    private static final Set<String> HELD = ConcurrentHashMap.newKeySet();

    private final Connection connection;
    private final int id;
    private final String key;
    private final String description;
    /** False while a session this process left behind still holds it: taken before the next write, once it can. */
    private boolean held;

    private DatabaseLock(final Connection connection, final int id, final String key, final String description,
                         final boolean held) {
        this.connection = connection;
        this.id = id;
        this.key = key;
        this.description = description;
        this.held = held;
    }

    /**
     * Takes the lock on the connection, which holds it until it is closed.
     *
     * @param where how the output is named in a refusal: its URL without parameters
     * @throws OutputInUseException another sink of the same name writes the schema
     */
    static DatabaseLock take(final Connection connection, final String sinkName, final String where)
            throws SQLException {
        final String schema = connection.getSchema();
        final String key = key(schema, sinkName);
        if (!HELD.add(key)) {
            throw OutputInUseException.database(where, schema, sinkName, "this process, " + self());
        }
        try {
            setApplicationName(connection);
            connection.commit(); // a setting rolls back with its transaction, as the wait for a session may
            final int id = lockId(schema, sinkName);
            final String description = "the lock of sink '" + sinkName + "' on schema " + schema;
            final boolean held = tryLock(connection, id) || takeOver(connection, id, description,
                    holder -> OutputInUseException.database(where, schema, sinkName, holder));
            connection.commit();
            return new DatabaseLock(connection, id, key, description, held);
        } catch (final SQLException | RuntimeException e) {
            HELD.remove(key);
            throw e;
        }
    }

    /**
     * Where another session holds the lock: one of another process turns this sink away, naming it; one this process
     * left behind is ended. Returns whether the lock is this session's now: false while that one has not ended.
     *
     * @param refusal the refusal, given who holds the lock
     */
    private static boolean takeOver(final Connection connection, final int id, final String description,
                                    final Function<String, OutputInUseException> refusal) throws SQLException {
        final Optional<Holder> holder = holder(connection, id);
        if (holder.isEmpty() && tryLock(connection, id)) {
            return true; // its holder let it go in between
        }
        if (holder.isEmpty() || !applicationName().equals(holder.get().name())) {
            connection.commit();
            throw refusal.apply(holder.map(other -> other.describe() + "; if that sink is gone, its host down, end "
                    + "its session: SELECT pg_terminate_backend(" + other.pid() + ")").orElse(""));
        }
        if (endOwnSession(connection, holder.get(), id)) {
            return true;
        }
        LOG.warn("{} is still held by a session this process left behind ({}), asked to end: the sink writes on, and "
                + "takes the lock as soon as that session lets it go", description, holder.get().describe());
        return false;
    }

    /** The second key of the lock of a sink's name in a schema (the first is {@link #KEY_SPACE}). */
    static int lockId(final String schema, final String sinkName) {
        return key(schema, sinkName).hashCode() & Integer.MAX_VALUE;
    }

    private static String key(final String schema, final String sinkName) {
        return schema + "|" + sinkName;
    }

    private static void setApplicationName(final Connection connection) throws SQLException {
        try (PreparedStatement set = connection.prepareStatement("SELECT set_config('application_name', ?, false)")) {
            set.setString(1, applicationName());
            set.execute();
        }
    }

    private static boolean tryLock(final Connection connection, final int id) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            lock.setInt(1, KEY_SPACE);
            lock.setInt(2, id);
            try (ResultSet result = lock.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }

    /** The session holding the lock, as far as this user may see it. */
    private static Optional<Holder> holder(final Connection connection, final int id) throws SQLException {
        try (PreparedStatement who = connection.prepareStatement("SELECT a.pid, a.application_name, "
                + "host(a.client_addr), to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                + "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                + "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND l.classid::bigint = ? "
                + "AND l.objid::bigint = ?")) {
            who.setLong(1, KEY_SPACE);
            who.setLong(2, id);
            try (ResultSet result = who.executeQuery()) {
                return result.next() ? Optional.of(new Holder(result.getInt(1), result.getString(2),
                        result.getString(3), result.getString(4))) : Optional.empty();
            }
        }
    }

    /**
     * Ends a session this process left behind and waits, at most {@link #WAIT_FOR_OWN_SESSION}, for the lock it held:
     * the server ends a session asked to at once, and lets its locks go as it does.
     */
    private static boolean endOwnSession(final Connection connection, final Holder holder, final int id)
            throws SQLException {
        try (PreparedStatement end = connection.prepareStatement("SELECT pg_terminate_backend(?)");
             PreparedStatement timeout = connection.prepareStatement("SELECT set_config('lock_timeout', ?, true)");
             PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
            end.setInt(1, holder.pid());
            end.execute();
            timeout.setString(1, WAIT_FOR_OWN_SESSION); // for this transaction only
            timeout.execute();
            lock.setInt(1, KEY_SPACE);
            lock.setInt(2, id);
            lock.execute();
            return true;
        } catch (final SQLException e) {
            if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                throw e;
            }
            connection.rollback(); // a session that cannot end yet (one whose server process is stopped)
            return false;
        }
    }

    /**
     * Takes the lock, in the write's transaction, where a session this process left behind held it at start; a lock
     * taken stays with the session, whatever becomes of the transaction.
     */
    void keep() throws SQLException {
        if (!held) {
            held = tryLock(connection, id);
            if (held) {
                LOG.info("took {}, which a session this process left behind held", description);
            }
        }
    }

    /** {@code usage-pipeline sink pid@host}, cut to what PostgreSQL keeps of it. */
    static String applicationName() {
        final byte[] name = ("usage-pipeline sink " + self()).getBytes(StandardCharsets.UTF_8);
        return name.length <= NAME_LIMIT ? new String(name, StandardCharsets.UTF_8)
                : new String(name, 0, NAME_LIMIT, StandardCharsets.UTF_8).replace("\uFFFD", "");
    }

    private static String self() {
        return ManagementFactory.getRuntimeMXBean().getName();
    }

    /** Lets this process take the lock again; the server lets it go with the connection. */
    void release() {
        HELD.remove(key);
    }

    /** The session holding a lock: its server process, and what it says it is. */
    private record Holder(int pid, String name, String address, String since) {
        String describe() {
            return (name == null || name.isEmpty() ? "a session" : name) + " from "
                    + (address == null ? "this host's socket" : address) + (since == null ? "" : ", connected since "
                    + since) + ", server process " + pid;
        }
    }
}
