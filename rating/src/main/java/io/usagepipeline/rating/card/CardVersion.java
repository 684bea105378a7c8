package io.usagepipeline.rating.card;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;

/**
 * One version of a rate card: it prices every month from {@code effectiveFrom} until a later version of the same
 * card takes over.
 *
 * @param minimumMonthly a tenant's month below this gets a MINIMUM_TOP_UP line up to it; zero for none
 * @param lines          first match wins
 */
public record CardVersion(String id, YearMonth effectiveFrom, BigDecimal minimumMonthly, List<CardLine> lines) {

    public CardVersion {
        lines = List.copyOf(lines);
    }

    /** The first line whose pattern matches the license type. */
    public Optional<CardLine> lineFor(final String licenseType) {
        return lines.stream().filter(line -> line.match().matches(licenseType)).findFirst();
    }
}
