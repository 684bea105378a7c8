package io.usagepipeline.cli;

import io.usagepipeline.cli.command.UsagePipelineCommand;
import io.usagepipeline.cli.run.LogFile;
import io.usagepipeline.runtime.ExitCodes;
import io.usagepipeline.runtime.config.ConfigException;
import java.nio.file.FileSystemException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** Entry point of {@code usage-pipeline}. */
public final class Main {

    private Main() {
    }

    public static void main(final String[] args) {
        // the JDK HTTP server (simulator, /metrics) waits ~40 ms per keep-alive answer with Nagle on
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // Numbers and names read the same on every host: our own code names its locale wherever it formats, but
        // Kafka's broker, run in-process by broker and demo, upper-cases "classic" in the host's and does not start
        // in Turkish ("No enum constant ... GroupType.CLASSİC").
        Locale.setDefault(Locale.ROOT);
        LogFile.routeFor(args).ifPresent(file -> System.err.println("usage-pipeline: details in " + file
                + " (--verbose shows them here)"));
        System.exit(commandLine().execute(args));
    }

    /** The message of an exception and of its causes, on one line: what failed, and why underneath. */
    static String oneLine(final Throwable exception) {
        final StringBuilder line = new StringBuilder();
        for (Throwable cause = exception; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            // a file system exception's message is only the path: say what happened to it too
            final String message = cause instanceof FileSystemException files
                    ? files.getClass().getSimpleName() + " on " + files.getFile()
                            + (files.getReason() == null ? "" : ": " + files.getReason())
                    : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            if (line.indexOf(message) < 0) {
                line.append(line.length() == 0 ? "" : ": ").append(message.replace('\n', ' '));
            }
        }
        return line.toString();
    }

    /** The command line with our error handling; tests run commands through this. */
    public static CommandLine commandLine() {
        final CommandLine commandLine = new CommandLine(new UsagePipelineCommand());
        HelpWrapping.apply(commandLine);
        shareVersion(commandLine, commandLine.getCommandSpec().versionProvider());
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            if (exception instanceof ConfigException) {
                // A user error, not a bug: one clear line, no stack trace.
                cmd.getErr().println(cmd.getColorScheme().errorText("configuration error: " + exception.getMessage()));
                return ExitCodes.CONFIG_ERROR;
            }
            // Anything else at run time: one line that names the cause, the stack trace in the log file (or, when
            // the log is the console, only at DEBUG: a person reads the line, a developer turns the level up).
            final Logger log = LoggerFactory.getLogger(Main.class);
            if (LogFile.active().isPresent()) {
                log.error("{} failed", cmd.getCommandName(), exception);
            } else {
                log.debug("{} failed", cmd.getCommandName(), exception);
            }
            cmd.getErr().println(cmd.getColorScheme().errorText(cmd.getCommandName() + ": " + oneLine(exception)
                    + LogFile.active().map(file -> " (details in " + file + ")").orElse("")));
            return ExitCodes.FAILED;
        });
        return commandLine;
    }

    /**
     * Every command offers {@code --version}, which printed nothing but on the top command: picocli asks each command
     * for a version of its own.
     */
    private static void shareVersion(final CommandLine command, final CommandLine.IVersionProvider version) {
        for (final CommandLine sub : command.getSubcommands().values()) {
            sub.getCommandSpec().versionProvider(version);
            shareVersion(sub, version);
        }
    }
}
