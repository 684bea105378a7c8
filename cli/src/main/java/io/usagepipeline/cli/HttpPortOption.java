package io.usagepipeline.cli;

import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.cli.config.Settings;
import picocli.CommandLine.Option;

/** {@code --http-port}, shared by the long-running commands that serve /metrics and /health. */
public final class HttpPortOption {

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "Serve /metrics and /health on this port (http.port). Default: off.")
    Integer httpPort;

    PipelineConfig.Flags applyTo(final PipelineConfig.Flags flags) {
        return flags.set(Settings.HTTP_PORT, httpPort, "--http-port");
    }
}
