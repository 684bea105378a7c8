package io.usagepipeline.cli.command;

import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.sink.SinkSettings;
import picocli.CommandLine.Option;

/** The PostgreSQL output's options, shared by {@code sink} and {@code demo}: the same four, into the same settings. */
public final class JdbcOptions {

    @Option(names = "--jdbc-url", paramLabel = "URL",
            description = "Write to this PostgreSQL, e.g. jdbc:postgresql://localhost:5432/billing (sink.jdbc.url).")
    String url;

    @Option(names = "--jdbc-user", paramLabel = "USER", description = "PostgreSQL user (sink.jdbc.user).")
    String user;

    @Option(names = "--jdbc-password-env", paramLabel = "VARIABLE",
            description = "Environment variable holding the password (sink.jdbc.passwordEnv).")
    String passwordEnv;

    @Option(names = "--jdbc-password-file", paramLabel = "FILE",
            description = "File holding the password (sink.jdbc.passwordFile).")
    String passwordFile;

    PipelineConfig.Flags applyTo(final PipelineConfig.Flags flags) {
        return flags.set(SinkSettings.JDBC_URL, url, "--jdbc-url")
                .set(SinkSettings.JDBC_USER, user, "--jdbc-user")
                .set(SinkSettings.JDBC_PASSWORD_ENV, passwordEnv, "--jdbc-password-env")
                .set(SinkSettings.JDBC_PASSWORD_FILE, passwordFile, "--jdbc-password-file");
    }
}
