package io.usagepipeline.rating;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.Ids;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.RecordStatus;
import io.usagepipeline.events.ReportStatus;
import io.usagepipeline.events.SourceKind;
import io.usagepipeline.events.VendorReportLine;
import io.usagepipeline.rating.card.RatingConfig;
import io.usagepipeline.rating.card.RatingConfigReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

/** Month records and rate cards for the rater's tests. */
final class Fixtures {

    /** The card of DESIGN §4b, with a second version of the standard card from 2026-04. */
    static final String CARD = """
            rating:
              currency: EUR
              moneyScale: 2
              veeam:
                pricePerPoint: 1.10
                pointsRule:
                  - { match: "VAC_*", figure: PEAK_UNITS }
                  - { match: "*", figure: LAST_UNITS }
              cards:
                - id: standard
                  effectiveFrom: 2026-01
                  minimumMonthly: 25.00
                  lines:
                    - { match: "VBR_*", basis: PEAK_COUNT, unitPrice: 4.50 }
                    - { match: "CC_*", basis: LAST_UNITS, unitPrice: 3.00 }
                    - { match: "AWS_EC2_INSTANCE", basis: AVG_UNITS, tierMode: GRADUATED,
                        tiers: [ { upTo: 100, unitPrice: 6.00 }, { unitPrice: 5.00 } ] }
                    - { match: "AZURE_*", basis: UNIT_HOURS, unitPrice: 0.01 }
                    - { match: "VAC_*", basis: POINTS, unitPrice: 2.00 }
                - id: standard
                  effectiveFrom: 2026-04
                  minimumMonthly: 30.00
                  lines:
                    - { match: "VBR_*", basis: PEAK_COUNT, unitPrice: 5.00 }
                    - { match: "*", basis: LAST_UNITS, unitPrice: 1.00 }
                - id: volume
                  effectiveFrom: 2026-01
                  lines:
                    - { match: "AWS_EC2_INSTANCE", basis: LAST_UNITS, tierMode: VOLUME,
                        tiers: [ { upTo: 10, unitPrice: 3.00 }, { upTo: 50, unitPrice: 2.50 }, { unitPrice: 2.00 } ] }
              tenants:
                "*": { card: standard }
                acme: { card: standard, discountPercent: 10 }
                bigco: { card: volume }
            """;

    private Fixtures() {
    }

    static RatingConfig card() {
        return card(CARD);
    }

    static RatingConfig card(final String yaml) {
        return RatingConfigReader.read(tree(yaml).get("rating"));
    }

    static JsonNode tree(final String yaml) {
        try {
            return new YAMLMapper().readTree(yaml);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Figures of one MONTH record; counts and units set separately so each basis reads its own figure. */
    record Figures(String peakUnits, String avgUnits, String lastUnits, String unitHours, long peakCount,
                   long lastCount) {
        static Figures units(final String peak, final String avg, final String last, final String unitHours) {
            return new Figures(peak, avg, last, unitHours, 0, 0);
        }

        static Figures counts(final long peak, final long last) {
            return new Figures("0", "0", "0", "0", peak, last);
        }
    }

    static PeriodRecord month(final String tenant, final String source, final String licenseType, final String month,
                              final int revision, final Figures figures) {
        final YearMonth ym = YearMonth.parse(month);
        final Instant start = ym.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        final Instant end = ym.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        final String series = Keys.seriesKey(tenant, source, licenseType);
        final String key = Keys.periodKey(series, Granularity.MONTH, start);
        return new PeriodRecord(null, Ids.recordId(key, revision), series, tenant, source, SourceKind.VAC,
                licenseType, "instances", Granularity.MONTH, "UTC", start, end,
                revision == 1 ? RecordStatus.FINAL : RecordStatus.RESTATED, revision,
                revision == 1 ? null : Ids.recordId(key, revision - 1), new BigDecimal(figures.peakUnits()),
                new BigDecimal(figures.avgUnits()), new BigDecimal(figures.unitHours()),
                new BigDecimal(figures.lastUnits()), figures.peakCount(), figures.lastCount(), 10, BigDecimal.ONE,
                start, end.minusSeconds(3600), end);
    }

    /**
     * A VSPC MONTH record of one organization's workload type: units are points, {@code coverage} the share of the
     * month the data covers.
     */
    static PeriodRecord vspcMonth(final String tenant, final String licenseType, final String month, final int revision,
                                  final String peakUnits, final String lastUnits, final long peakCount,
                                  final long lastCount, final String coverage) {
        final PeriodRecord m = month(tenant, "vspc", licenseType, month, revision,
                new Figures(peakUnits, lastUnits, lastUnits, "0", peakCount, lastCount));
        return new PeriodRecord(null, m.recordId(), m.seriesKey(), tenant, "vspc", SourceKind.VSPC, licenseType,
                "points", Granularity.MONTH, "UTC", m.periodStart(), m.periodEnd(), m.status(), revision,
                m.supersedes(), m.peakUnits(), m.avgUnits(), m.unitHours(), m.lastUnits(), peakCount, lastCount,
                m.samples(), new BigDecimal(coverage), m.firstObservedAt(), m.lastObservedAt(), m.asOf());
    }

    /** A line of the October 2026 report of the source {@code vspc}, polled at {@code polledAt}. */
    static VendorReportLine reportLine(final String tenant, final String type, final ReportStatus status,
                                       final long initial, final long reported, final long fresh, final String weight,
                                       final String usedPoints, final String polledAt, final String... notCollected) {
        final Instant at = Instant.parse(polledAt);
        return new VendorReportLine(null, tenant, "vspc", type, "2026-10", 202610, status, "2026-11-01",
                null, tenant, initial, reported, fresh, new BigDecimal(weight), new BigDecimal(usedPoints),
                List.of(notCollected), List.of(), List.of(), Ids.pollId("vspc/licenseReport/2026-10", at), at);
    }
}
