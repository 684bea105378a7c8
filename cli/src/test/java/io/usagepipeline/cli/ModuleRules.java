package io.usagepipeline.cli;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/** The module rules of DESIGN §2, for any root package (the tests also check them against a known-bad fixture). */
final class ModuleRules {

    private ModuleRules() {
    }

    static List<ArchRule> forRoot(final String root) {
        return List.of(
                independent(root, "collector", "processor", "rating", "sink"),
                independent(root, "processor", "collector", "rating", "sink"),
                independent(root, "rating", "collector", "processor", "sink"),
                independent(root, "sink", "collector", "processor", "rating"),
                independent(root, "report", "collector", "processor", "rating", "sink", "runtime", "embedded"),
                onlyItself(root, "simulator",
                        "the simulator stands for an outside system; it must not know our code"),
                onlyItself(root, "events", "the contract depends on nothing of ours"),
                onlyItself(root, "embedded", "the broker is infrastructure; it depends on nothing of ours"),
                onlyItself(root, "runtime", "the lifecycle serves every stage and knows none of them"),
                noClasses().that().resideOutsideOfPackage(root + ".runtime..").should()
                        .callMethod(Runtime.class, "addShutdownHook", Thread.class)
                        .because("one runner owns the process's shutdown; a service only says how it stops")
                        .allowEmptyShould(true),
                noClasses().that(not(resideInAnyPackage(root + ".bench..", root + ".cli.."))).should()
                        .dependOnClassesThat().resideInAPackage(root + ".bench..")
                        .because("the benchmark measures the stages; no stage may need it on its classpath")
                        .allowEmptyShould(true),
                noClasses().that(not(resideInAPackage(root + ".cli.."))).should().dependOnClassesThat()
                        .resideInAPackage(root + ".cli..")
                        .because("only the command wires the parts together")
                        .allowEmptyShould(true),
                noClasses().that().resideInAnyPackage(root + ".cli.config..", root + ".cli.run..").should()
                        .dependOnClassesThat().resideInAPackage(root + ".cli.command..")
                        .because("the commands parse flags and wire; what they use must not know them")
                        .allowEmptyShould(true),
                noClasses().that().resideInAPackage(root + ".cli.config..").should()
                        .dependOnClassesThat().resideInAPackage(root + ".cli.run..")
                        .because("the configuration is read before anything runs")
                        .allowEmptyShould(true));
    }

    /** The part shares nothing with its siblings but the events contract. */
    private static ArchRule independent(final String root, final String part, final String... siblings) {
        final String[] forbidden = new String[siblings.length + 2];
        for (int i = 0; i < siblings.length; i++) {
            forbidden[i] = root + "." + siblings[i] + "..";
        }
        forbidden[siblings.length] = root + ".simulator..";
        forbidden[siblings.length + 1] = root + ".cli..";
        return noClasses().that().resideInAPackage(root + "." + part + "..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                .because(part + " shares nothing with the other parts but the events contract")
                .allowEmptyShould(true);
    }

    private static ArchRule onlyItself(final String root, final String part, final String reason) {
        return noClasses().that().resideInAPackage(root + "." + part + "..")
                .should().dependOnClassesThat(resideInAPackage(root + "..")
                        .and(not(resideInAnyPackage(root + "." + part + ".."))))
                .because(reason)
                .allowEmptyShould(true);
    }
}
