package io.usagepipeline.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Help text that wraps between words only. picocli wraps with the JDK's line {@link java.text.BreakIterator}, which
 * also breaks after a dot or a colon inside a word: {@code kafka.bootstrap.} ended one line and {@code servers} began
 * the next, {@code .usage-pipeline/logs/} lost its leading dot to the line above, and a JDBC URL was cut after
 * {@code jdbc:postgresql:}. (picocli hides hyphens from it likewise.) A dot or colon that a non-blank character follows
 * goes to picocli's table as a private-use character, which the BreakIterator keeps inside its word, and each rendered
 * section of the help turns it back.
 */
final class HelpWrapping {

    private static final char HIDDEN_DOT = '\uE000';
    private static final char HIDDEN_COLON = '\uE001';
    private static final Pattern INNER_DOT = Pattern.compile("\\.(?=\\S)");
    private static final Pattern INNER_COLON = Pattern.compile(":(?=\\S)");

    private HelpWrapping() {
    }

    /** Applies to the command and every subcommand under it. */
    static void apply(final CommandLine command) {
        final UsageMessageSpec usage = command.getCommandSpec().usageMessage();
        usage.description(hideMarks(usage.description()));
        usage.header(hideMarks(usage.header()));
        usage.footer(hideMarks(usage.footer()));
        usage.helpFactory(HelpWrapping::help);
        final Map<String, IHelpSectionRenderer> sections = new LinkedHashMap<>(usage.sectionMap());
        sections.replaceAll((key, section) -> help -> section.render(help).replace(HIDDEN_DOT, '.')
                .replace(HIDDEN_COLON, ':'));
        usage.sectionMap(sections);
        command.getSubcommands().values().forEach(HelpWrapping::apply);
    }

    /** Options and parameters are rendered row by row; their descriptions, the last column, get the hidden marks. */
    private static Help help(final CommandLine.Model.CommandSpec spec, final ColorScheme colors) {
        return new Help(spec, colors) {
            @Override
            public IOptionRenderer createDefaultOptionRenderer() {
                final IOptionRenderer rows = super.createDefaultOptionRenderer();
                return (option, label, scheme) -> hideMarks(rows.render(option, label, scheme), scheme);
            }

            @Override
            public IParameterRenderer createDefaultParameterRenderer() {
                final IParameterRenderer rows = super.createDefaultParameterRenderer();
                return (parameter, label, scheme) -> hideMarks(rows.render(parameter, label, scheme), scheme);
            }
        };
    }

    private static Text[][] hideMarks(final Text[][] rows, final ColorScheme scheme) {
        for (final Text[] row : rows) {
            // the description is plain text (no markup), so it loses nothing by being made again
            row[row.length - 1] = scheme.text(hideMarks(row[row.length - 1].plainString()));
        }
        return rows;
    }

    private static String[] hideMarks(final String[] lines) {
        return Arrays.stream(lines).map(HelpWrapping::hideMarks).toArray(String[]::new);
    }

    private static String hideMarks(final String line) {
        final String dotsHidden = INNER_DOT.matcher(line).replaceAll(String.valueOf(HIDDEN_DOT));
        return INNER_COLON.matcher(dotsHidden).replaceAll(String.valueOf(HIDDEN_COLON));
    }
}
