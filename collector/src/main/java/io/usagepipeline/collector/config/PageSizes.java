package io.usagepipeline.collector.config;

import io.usagepipeline.events.SourceKind;

/**
 * How many items a page request asks for, per product: the documented default unless a source sets
 * {@code pageSize}, and never above the documented maximum. A server may still answer with fewer (appliances cap
 * their own page sizes), and the crawl follows it.
 */
public final class PageSizes {

    /** VSPC: default 100, at most 500 unless raised on the server (limit_query_v3). */
    private static final int VSPC_MAX = 500;
    /** AWS and Azure document no maximum; this keeps one answer of a few hundred KiB. */
    private static final int APPLIANCE_MAX = 1000;
    /** The page size of a source that sets none: VSPC's and current Azure's documented default (AWS has none). */
    public static final int DEFAULT = 100;

    private PageSizes() {
    }

    /** The largest page size a source of this kind may ask for. */
    public static int maxFor(final SourceKind kind) {
        return kind == SourceKind.VSPC ? VSPC_MAX : APPLIANCE_MAX;
    }

    /** Whether a source of this kind may ask for pages of this size. */
    public static boolean allowed(final SourceKind kind, final long pageSize) {
        return pageSize >= 1 && pageSize <= maxFor(kind);
    }

    static void check(final SourceKind kind, final int pageSize) {
        if (!allowed(kind, pageSize)) {
            throw new IllegalArgumentException("pageSize " + pageSize + " is outside 1.." + maxFor(kind) + " for "
                    + kind);
        }
    }
}
