package io.usagepipeline.sink;

import io.usagepipeline.runtime.Secret;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a sink writes, and the one place that opens those outputs, for {@code sink} and the demo alike.
 *
 * @param csvDir       the directory of the file output; null for none
 * @param jdbcUrl      the PostgreSQL output; null or empty for none
 * @param jdbcUser     its user
 * @param jdbcPassword its password (from a variable or a file, never the config); null for none
 */
public record SinkOutputs(Path csvDir, String jdbcUrl, String jdbcUser, Secret jdbcPassword) {

    /** True when at least one output is named. */
    public boolean any() {
        return csvDir != null || database();
    }

    private boolean database() {
        return jdbcUrl != null && !jdbcUrl.isEmpty();
    }

    /**
     * Opens every named output: the database first (the schema is migrated on the way), then the files.
     *
     * @param sinkName    whose positions these are in the database
     * @param totalsTopic the name of the rolling-totals topic; every other topic carries billing records
     */
    public List<BillingWriter> open(final String sinkName, final String totalsTopic) throws Exception {
        final List<BillingWriter> writers = new ArrayList<>();
        try {
            if (database()) {
                writers.add(new PostgresWriter(jdbcUrl, jdbcUser, jdbcPassword, sinkName, totalsTopic));
            }
            if (csvDir != null) {
                writers.add(new DirectoryWriter(csvDir, totalsTopic));
            }
            return writers;
        } catch (final Exception e) {
            // the sink opens its outputs again after a database outage: the one opened before goes, not leaks
            for (final BillingWriter opened : writers) {
                try {
                    opened.close();
                } catch (final Exception closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
    }
}
