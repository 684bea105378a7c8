package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Collector, processor and sink never import each other; the simulator, events, broker and runtime import nothing of
 * ours; only the runtime installs a shutdown hook; nothing but the command needs the benchmark; within the command,
 * the commands sit over what runs and the configuration, and neither of those knows a command.
 */
class ModuleRulesTest {

    @Test
    void shouldHoldForTheProduct() {
        final JavaClasses product = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.usagepipeline");
        assertThat(product.containPackage("io.usagepipeline.events")).isTrue();
        assertThat(product.containPackage("io.usagepipeline.cli")).isTrue();

        for (final ArchRule rule : ModuleRules.forRoot("io.usagepipeline")) {
            rule.check(product);
        }
    }

    @Test
    void shouldCatchAModuleThatImportsASibling() {
        final JavaClasses fixture = new ClassFileImporter().importPackages("io.usagepipeline.cli.archfixture");

        final List<EvaluationResult> broken = ModuleRules.forRoot("io.usagepipeline.cli.archfixture").stream()
                .map(rule -> rule.evaluate(fixture))
                .filter(EvaluationResult::hasViolation)
                .toList();
        final List<String> violations = broken.stream()
                .flatMap(result -> result.getFailureReport().getDetails().stream())
                .toList();

        assertThat(broken).hasSize(5);
        assertThat(violations).anySatisfy(line -> assertThat(line).contains("collector.LeakyCollector")
                .contains("sink.SinkInternals"));
        assertThat(violations).anySatisfy(line -> assertThat(line).contains("simulator.KnowingSimulator")
                .contains("events.ContractType"));
        assertThat(violations).anySatisfy(line -> assertThat(line).contains("sink.HookingSink")
                .contains("addShutdownHook"));
        assertThat(violations).anySatisfy(line -> assertThat(line).contains("processor.BenchmarkedProcessor")
                .contains("bench.Harness"));
        assertThat(violations).anySatisfy(line -> assertThat(line).contains("cli.config.CommandAwareConfig")
                .contains("cli.command.StartCommand"));
    }
}
