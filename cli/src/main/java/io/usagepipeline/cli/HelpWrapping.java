package io.usagepipeline.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Help text that wraps between words only. picocli wraps with the JDK's line {@link java.text.BreakIterator}, which
 * also breaks inside a word after a dot, a colon or a comma, and before a bracket: {@code kafka.bootstrap.} ended one
 * line and {@code servers} began the next, {@code .usage-pipeline/logs/} lost its leading dot to the line above, a
 * JDBC URL was cut after {@code jdbc:postgresql:}, and a synopsis after {@code HOST:PORT} or {@code HOST:PORT[,}.
 * (picocli hides hyphens from it likewise.) Such a mark inside a word goes to picocli's table as a private-use
 * character, which the BreakIterator keeps inside its word, and each rendered section of the help turns it back.
 */
final class HelpWrapping {

    private static final String MARKS = ".:,[";
    private static final Pattern INNER_MARK = Pattern.compile("[.:,](?=\\S)|(?<=\\S)\\[");
    /** Where the private-use characters that stand for {@link #MARKS}, in their order, begin. */
    private static final char HIDDEN = '\uE000';

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
        sections.replaceAll((key, section) -> help -> shown(section.render(help)));
        usage.sectionMap(sections);
        command.getSubcommands().values().forEach(HelpWrapping::apply);
    }

    /** The synopsis and the rows of options and parameters are made as Text; their words get the hidden marks. */
    private static Help help(final CommandSpec spec, final ColorScheme colors) {
        return new Help(spec, colors) {
            @Override
            protected String insertSynopsisCommandName(final int headingLength, final Text options) {
                return super.insertSynopsisCommandName(headingLength, hideMarks(options, colorScheme()));
            }

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
            for (int column = 0; column < row.length; column++) {
                row[column] = hideMarks(row[column], scheme);
            }
        }
        return rows;
    }

    /** The same text, its styles kept, with each inner mark replaced by its hidden character. */
    private static Text hideMarks(final Text text, final ColorScheme scheme) {
        final String plain = text.plainString();
        final Matcher marks = INNER_MARK.matcher(plain);
        Text hidden = text.substring(0, 0);
        int from = 0;
        while (marks.find()) {
            hidden = hidden.concat(text.substring(from, marks.start()))
                    .concat(scheme.text(String.valueOf(hidden(plain.charAt(marks.start())))));
            from = marks.end();
        }
        return hidden.concat(text.substring(from));
    }

    private static String[] hideMarks(final String[] lines) {
        return Arrays.stream(lines).map(HelpWrapping::hideMarks).toArray(String[]::new);
    }

    private static String hideMarks(final String line) {
        return INNER_MARK.matcher(line).replaceAll(mark -> String.valueOf(hidden(mark.group().charAt(0))));
    }

    private static char hidden(final char mark) {
        return (char) (HIDDEN + MARKS.indexOf(mark));
    }

    private static String shown(final String rendered) {
        String shown = rendered;
        for (int i = 0; i < MARKS.length(); i++) {
            shown = shown.replace((char) (HIDDEN + i), MARKS.charAt(i));
        }
        return shown;
    }
}
