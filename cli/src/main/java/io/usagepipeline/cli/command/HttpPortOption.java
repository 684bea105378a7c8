package io.usagepipeline.cli.command;

import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.runtime.RunnerSettings;
import picocli.CommandLine.Option;

/** {@code --http-port} and {@code --http-address}, shared by the long-running commands that serve /metrics and /health. */
public final class HttpPortOption {

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "Serve /metrics, /health and /ready on this port (http.port). Default: off.")
    Integer httpPort;

    @Option(names = "--http-address", paramLabel = "ADDRESS",
            description = "Listen on this address (http.address). Default: 127.0.0.1, this machine only; 0.0.0.0 for "
                    + "every interface.")
    String httpAddress;

    PipelineConfig.Flags applyTo(final PipelineConfig.Flags flags) {
        return flags.set(RunnerSettings.HTTP_PORT, httpPort, "--http-port")
                .set(RunnerSettings.HTTP_ADDRESS, httpAddress, "--http-address");
    }
}
