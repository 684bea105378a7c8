package io.usagepipeline.sink;

import io.usagepipeline.runtime.config.ConfigException;
import io.usagepipeline.runtime.config.ConfigKeys;
import io.usagepipeline.runtime.config.ConfigTree;
import io.usagepipeline.runtime.config.SecretInValueException;
import io.usagepipeline.runtime.config.Setting;
import io.usagepipeline.runtime.config.Values;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The sink's settings ({@code sink.*}): whose positions these are, how it batches, and its outputs, the database
 * password read from its variable or file.
 *
 * @param name            the consumer group and the owner of the stored positions
 * @param databaseTimeout how long the database may take no writes (a restart, a failover) before the sink stops
 */
public record SinkSettings(String name, int batchSize, Duration maxBatchDelay, SinkOutputs outputs,
                           Duration databaseTimeout) {

    /** pgjdbc's {@code user} property in the URL's query, or a {@code service} of pg_service.conf that may name one. */
    private static final Pattern USER_PARAMETER = Pattern.compile("[?&](user|service)=", Pattern.CASE_INSENSITIVE);
    /** pgjdbc's {@code password} property given in the URL's query, in any case. */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("[?&]password=", Pattern.CASE_INSENSITIVE);

    public static final Setting<String> NAME = new Setting<>("sink.name", "usage-pipeline-sink",
            "a name (letters, digits, '.', '_', '-')", Values::name,
            "Whose stored offsets these are (and the consumer group used for lag monitoring); one sink of a name "
                    + "writes a database schema at a time.");

    public static final Setting<String> CSV_DIR = new Setting<>("sink.csvDir", "",
            "a directory path (empty: no files)", text -> text, "Where billing CSVs and history.jsonl go.");

    public static final Setting<String> JDBC_URL = new Setting<>("sink.jdbc.url", "",
            "a jdbc:postgresql:// URL (empty: no database)", SinkSettings::jdbcUrl,
            "PostgreSQL to write billing records to; the schema is created and migrated on start.");

    public static final Setting<String> JDBC_USER = new Setting<>("sink.jdbc.user", "",
            "a database user name", text -> text, "PostgreSQL user.");

    public static final Setting<String> JDBC_PASSWORD_ENV = new Setting<>("sink.jdbc.passwordEnv", "",
            "the name of an environment variable", text -> text,
            "Environment variable holding the PostgreSQL password (secrets never go in the file).");

    public static final Setting<String> JDBC_PASSWORD_FILE = new Setting<>("sink.jdbc.passwordFile", "",
            "a file path", text -> text, "File holding the PostgreSQL password.");

    public static final Setting<Integer> BATCH_SIZE = new Setting<>("sink.batchSize", "500",
            "a whole number from 1 to 100000", text -> Values.intBetween(text, 1, 100_000),
            "Records per write at most.");

    public static final Setting<Duration> MAX_BATCH_DELAY = new Setting<>("sink.maxBatchDelay", "PT1S",
            "a positive ISO-8601 duration, e.g. PT1S", Values::positiveDuration,
            "How long a record may wait for its batch to fill before it is written anyway.");

    public static final Setting<Duration> DATABASE_TIMEOUT = new Setting<>("sink.databaseTimeout", "PT5M",
            "a positive ISO-8601 duration, e.g. PT5M", Values::positiveDuration,
            "How long the database may take no writes (a restart, a failover, read-only, a full disk) while the sink "
                    + "waits for it, before 'sink' stops with exit code 1.");

    public static final ConfigKeys KEYS = ConfigKeys.of(List.of(NAME, CSV_DIR, JDBC_URL, JDBC_USER,
            JDBC_PASSWORD_ENV, JDBC_PASSWORD_FILE, BATCH_SIZE, MAX_BATCH_DELAY, DATABASE_TIMEOUT));

    public static SinkSettings bind(final ConfigTree tree) {
        if (!tree.get(JDBC_URL).isEmpty() && tree.get(JDBC_USER).isEmpty()
                && !USER_PARAMETER.matcher(tree.get(JDBC_URL)).find()) {
            // PostgreSQL's own word for it is "no PostgreSQL user name specified in startup packet", after the start
            throw new ConfigException(JDBC_USER.path() + ": the database user is required with " + JDBC_URL.path()
                    + ": give it (--jdbc-user), or user= in the URL");
        }
        final String csvDir = tree.get(CSV_DIR);
        final SinkOutputs outputs = new SinkOutputs(csvDir.isEmpty() ? null : Path.of(csvDir), tree.get(JDBC_URL),
                tree.get(JDBC_USER), tree.secret(JDBC_PASSWORD_ENV, JDBC_PASSWORD_FILE).orElse(null));
        return new SinkSettings(tree.get(NAME), tree.get(BATCH_SIZE), tree.get(MAX_BATCH_DELAY), outputs,
                tree.get(DATABASE_TIMEOUT));
    }

    /**
     * @param topicPrefix the prefix of the topics it reads (a setting every part shares)
     * @param resetOutput rebuild every output from the beginning of the topics
     */
    public SinkConfig config(final String topicPrefix, final boolean resetOutput) {
        return new SinkConfig(topicPrefix, name, batchSize, maxBatchDelay, resetOutput);
    }

    private static String jdbcUrl(final String text) {
        if (!text.isEmpty() && !text.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL");
        }
        // the URL is in messages (the output it names, the demo's summary): a password in it would be logged
        if (PASSWORD_PARAMETER.matcher(text).find()) {
            throw new SecretInValueException("the URL holds a password, which messages naming the database would "
                    + "show: give it with sink.jdbc.passwordEnv or sink.jdbc.passwordFile (--jdbc-password-env, "
                    + "--jdbc-password-file) instead");
        }
        return text;
    }
}
