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

class HelpWrappingTest {

    @Test
    void shouldNeverBreakAWordAtADotOrAColonInAnyCommandsHelp() {
        // the words with a dot or a colon inside, from the texts as written (a help of our own, not the one under test)
        final Map<String, Set<String>> markedWords = new TreeMap<>();
        forEach(new CommandLine(new UsagePipelineCommand()), command -> {
            final CommandSpec spec = command.getCommandSpec();
            markedWords.put(spec.qualifiedName(), Stream.of(
                            Arrays.stream(spec.usageMessage().description()),
                            spec.args().stream().map(ArgSpec::description).flatMap(Arrays::stream),
                            // the list of commands shows each one's first paragraph
                            spec.subcommands().values().stream().map(sub -> sub.getCommandSpec().usageMessage())
                                    .filter(usage -> usage.description().length > 0)
                                    .map(usage -> usage.description()[0]))
                    .flatMap(texts -> texts)
                    .flatMap(text -> Arrays.stream(text.replace("%n", " ").split("\\s+")))
                    .filter(word -> word.matches(".*[.:]\\S.*") && !word.contains("${"))
                    .collect(Collectors.toSet()));
        });
        assertThat(markedWords.values().stream().flatMap(Set::stream))
                .contains("kafka.bootstrap.servers", ".usage-pipeline/logs/.",
                        "jdbc:postgresql://localhost:5432/billing");

        final List<String> broken = new ArrayList<>();
        forEach(Main.commandLine(), command -> {
            final String help = command.getUsageMessage(Ansi.OFF);
            final Set<String> words = new HashSet<>(Arrays.asList(help.split("\\s+")));
            markedWords.get(command.getCommandSpec().qualifiedName()).stream()
                    .filter(word -> !words.contains(word))
                    .forEach(word -> broken.add(command.getCommandSpec().qualifiedName() + ": " + word));
            assertThat(help).doesNotContain("\uE000", "\uE001");
        });
        assertThat(broken).isEmpty();
    }

    private static void forEach(final CommandLine command, final Consumer<CommandLine> action) {
        action.accept(command);
        command.getSubcommands().values().forEach(sub -> forEach(sub, action));
    }
}
