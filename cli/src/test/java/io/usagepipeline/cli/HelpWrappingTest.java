package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.cli.command.UsagePipelineCommand;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

class HelpWrappingTest {

    @Test
    void shouldNeverBreakAWordAtItsPunctuationInAnyCommandsHelp() {
        // the words with a dot, a colon, a comma or a bracket inside, from the texts as written (a help of our own, not the one under test)
        final Map<String, Set<String>> markedWords = new TreeMap<>();
        final Map<String, List<String>> synopsisLabels = new TreeMap<>(); // options with such a mark in their label

        forEach(new CommandLine(new UsagePipelineCommand()), command -> {
            final CommandSpec spec = command.getCommandSpec();
            final Set<String> words = Stream.of(
                            Arrays.stream(spec.usageMessage().description()),
                            spec.args().stream().map(ArgSpec::description).flatMap(Arrays::stream),
                            // the list of commands shows each one's first paragraph
                            spec.subcommands().values().stream().map(sub -> sub.getCommandSpec().usageMessage())
                                    .filter(usage -> usage.description().length > 0)
                                    .map(usage -> usage.description()[0]))
                    .flatMap(texts -> texts)
                    .flatMap(text -> Arrays.stream(text.replace("%n", " ").split("\\s+")))
                    .filter(word -> word.matches(".*([.:,]\\S|\\S\\[).*") && !word.contains("${"))
                    .collect(Collectors.toCollection(HashSet::new));
            markedWords.put(spec.qualifiedName(), words);
            synopsisLabels.put(spec.qualifiedName(), spec.options().stream()
                    .filter(option -> option.paramLabel().matches(".*[.:,\\[].*"))
                    .map(option -> option.longestName() + "=" + option.paramLabel()).toList());
        });
        assertThat(markedWords.values().stream().flatMap(Set::stream)).contains("kafka.bootstrap.servers",
                ".usage-pipeline/logs/.", "jdbc:postgresql://localhost:5432/billing");
        assertThat(synopsisLabels.get("usage-pipeline raw export")).contains("--bootstrap-servers=HOST:PORT[,...]");

        final List<String> broken = new ArrayList<>();
        forEach(Main.commandLine(), command -> {
            final String help = command.getUsageMessage(Ansi.OFF);
            final Set<String> words = new HashSet<>(Arrays.asList(help.split("\\s+")));
            markedWords.get(command.getCommandSpec().qualifiedName()).stream()
                    .filter(word -> !words.contains(word))
                    .forEach(word -> broken.add(command.getCommandSpec().qualifiedName() + ": " + word));
            final String synopsis = command.getHelpSectionMap().get(UsageMessageSpec.SECTION_KEY_SYNOPSIS)
                    .render(command.getHelp());
            synopsisLabels.get(command.getCommandSpec().qualifiedName()).stream()
                    .filter(label -> !synopsis.contains(label))
                    .forEach(label -> broken.add(command.getCommandSpec().qualifiedName() + " synopsis: " + label));
            assertThat(help).doesNotContain("\uE000", "\uE001", "\uE002", "\uE003");
        });
        assertThat(broken).isEmpty();
    }

    private static void forEach(final CommandLine command, final Consumer<CommandLine> action) {
        action.accept(command);
        command.getSubcommands().values().forEach(sub -> forEach(sub, action));
    }
}
