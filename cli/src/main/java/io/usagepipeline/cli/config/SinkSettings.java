package io.usagepipeline.cli.config;

import io.usagepipeline.sink.SinkOutputs;
import java.nio.file.Path;
import java.util.Map;

/** The sink's outputs, bound from the configuration tree: for {@code sink} and the demo alike. */
public final class SinkSettings {

    private SinkSettings() {
    }

    /** The file and database outputs the configuration names, the password read from its variable or file. */
    public static SinkOutputs outputs(final PipelineConfig config, final Map<String, String> env) {
        final String csvDir = config.get(Settings.SINK_CSV_DIR);
        return new SinkOutputs(csvDir.isEmpty() ? null : Path.of(csvDir), config.get(Settings.SINK_JDBC_URL),
                config.get(Settings.SINK_JDBC_USER), Secrets.read(config, env, Settings.SINK_JDBC_PASSWORD_ENV,
                Settings.SINK_JDBC_PASSWORD_FILE));
    }
}
