package io.usagepipeline.cli;

import io.usagepipeline.cli.config.ConfigException;
import picocli.CommandLine;

/** Entry point of {@code usage-pipeline}. */
public final class Main {

    private Main() {
    }

    public static void main(final String[] args) {
        // the JDK HTTP server (simulator, /metrics) waits ~40 ms per keep-alive answer with Nagle on
        System.setProperty("sun.net.httpserver.nodelay", "true");
        System.exit(commandLine().execute(args));
    }

    /** The command line with our error handling; tests run commands through this. */
    public static CommandLine commandLine() {
        final CommandLine commandLine = new CommandLine(new UsagePipelineCommand());
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            if (exception instanceof ConfigException) {
                // A user error, not a bug: one clear line, no stack trace.
                cmd.getErr().println(cmd.getColorScheme().errorText("configuration error: " + exception.getMessage()));
                return ExitCodes.CONFIG_ERROR;
            }
            throw exception;
        });
        return commandLine;
    }
}
