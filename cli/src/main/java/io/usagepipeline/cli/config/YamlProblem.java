package io.usagepipeline.cli.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamReadException;
import java.util.Optional;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * What is wrong with a YAML file, on one line with where it is. SnakeYAML's own message spans five or six lines (what
 * it was reading, the problem, each with the line quoted and a caret under it), which a console shows torn apart.
 */
final class YamlProblem {

    private YamlProblem() {
    }

    static String of(final JacksonException failure) {
        if (failure.getCause() instanceof MarkedYAMLException yaml && yaml.getProblem() != null) {
            final Mark mark = yaml.getProblemMark();
            return (mark == null ? "" : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ")
                    + yaml.getProblem() + (yaml.getContext() == null ? "" : " (" + yaml.getContext() + ")");
        }
        final JsonLocation where = failure.getLocation();
        return (where == null || where.getLineNr() < 1 ? "" : "line " + where.getLineNr() + ", column "
                + where.getColumnNr() + ": ") + duplicateKey(failure).map(key -> key + " is given twice")
                .orElse(failure.getOriginalMessage().replace('\n', ' '));
    }

    /** The dotted path of a key given twice in one mapping, as Jackson's duplicate detection found it. */
    private static Optional<String> duplicateKey(final JacksonException failure) {
        if (!(failure instanceof StreamReadException read) || read.getProcessor() == null
                || !failure.getOriginalMessage().startsWith("Duplicate field ")) {
            return Optional.empty();
        }
        final String pointer = read.getProcessor().getParsingContext().pathAsPointer().toString();
        return Optional.of(pointer.substring(1).replace('/', '.').replace("~1", "/").replace("~0", "~"));
    }
}
