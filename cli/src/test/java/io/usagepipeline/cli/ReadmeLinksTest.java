package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's links lead somewhere: each {@code (#section)} to one of its headings, as a Markdown renderer names it,
 * and each link to a file of the repository to a file that exists. A heading renamed or a file moved breaks it here.
 */
class ReadmeLinksTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void shouldLinkOnlyToHeadingsAndFilesThatExist() throws Exception {
        final List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
        final Set<String> headings = lines.stream().filter(line -> line.startsWith("#"))
                .map(ReadmeLinksTest::anchor).collect(Collectors.toSet());
        final Matcher links = LINK.matcher(String.join("\n", lines));
        int checked = 0;
        while (links.find()) {
            final String target = links.group(1);
            if (target.startsWith("#")) {
                assertThat(headings).as("a heading for the link %s", target).contains(target.substring(1));
            } else if (!target.contains("://")) {
                assertThat(ROOT.resolve(target)).as("the file the link %s names", target).exists();
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(20); // the table of contents alone has twenty
    }

    /** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens. */
    static String anchor(final String heading) {
        return heading.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-');
    }

    @Test
    void shouldNameAnchorsAsGitHubDoes() {
        assertThat(anchor("## Reconciliation with Veeam's report")).isEqualTo("reconciliation-with-veeams-report");
        assertThat(anchor("## Topic contract (v1)")).isEqualTo("topic-contract-v1");
        assertThat(anchor("### The processor's state, and upgrading it"))
                .isEqualTo("the-processors-state-and-upgrading-it");
    }
}
