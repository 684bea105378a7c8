package io.usagepipeline.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The index's chart of the month: a bar per tenant for its total, with its cost beside it, on one scale. A provider
 * with more tenants than {@link #MOST} gets its largest ones charted (its thousand tenants would make a chart some
 * 35,000 pixels tall above the table); the table lists every one.
 */
final class TotalsChart {

    /** The most tenants charted: about a screen's height. */
    static final int MOST = 30;
    static final int WIDTH = 640;
    private static final int ROW = 22;
    private static final int LEFT = 120;

    /** One tenant's bars and label. */
    record Row(String y, String labelY, String tenant, String amountWidth, String costWidth, String title) {
    }

    final int width = WIDTH;
    final int left = LEFT;
    final int height;
    final List<Row> rows = new ArrayList<>();
    /** What the chart leaves out, when it does: {@code The 30 largest of 1,000 tenants by amount ...}. */
    final String caption;

    private TotalsChart(final List<Map<String, Object>> tenants, final String caption) {
        this.caption = caption;
        final BigDecimal max = tenants.stream()
                .flatMap(t -> Stream.of((BigDecimal) t.get("amountValue"),
                        (BigDecimal) t.get("costValue")))
                .reduce(BigDecimal.ONE, BigDecimal::max);
        final double plot = WIDTH - LEFT - 10;
        int i = 0;
        for (final Map<String, Object> tenant : tenants) {
            final double y = 6 + i * ROW;
            rows.add(new Row(fmt(y), fmt(y + 11), (String) tenant.get("tenant"),
                    fmt(plot * ((BigDecimal) tenant.get("amountValue")).doubleValue() / max.doubleValue()),
                    fmt(plot * ((BigDecimal) tenant.get("costValue")).doubleValue() / max.doubleValue()),
                    tenant.get("tenant") + ": amount " + tenant.get("amount") + ", cost " + tenant.get("cost")
                            + " " + tenant.get("currency")));
            i++;
        }
        this.height = 12 + tenants.size() * ROW;
    }

    /** @param tenants the index's rows, in its order, which the chart keeps while it shows them all */
    static TotalsChart of(final List<Map<String, Object>> tenants) {
        if (tenants.size() <= MOST) {
            return new TotalsChart(tenants, null);
        }
        final List<Map<String, Object>> largest = tenants.stream()
                .sorted(Comparator.comparing((Map<String, Object> t) -> (BigDecimal) t.get("amountValue")).reversed()
                        .thenComparing(t -> (String) t.get("tenant")))
                .limit(MOST).toList();
        return new TotalsChart(largest, String.format(Locale.ROOT, "The %d largest of %,d tenants by amount, the "
                + "largest first; the table lists every one.", MOST, tenants.size()));
    }

    private static String fmt(final double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
