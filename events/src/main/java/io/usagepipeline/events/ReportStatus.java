package io.usagepipeline.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The status of Veeam's monthly license report ({@code SingleLicenseReport.reportStatus}), written as Veeam writes
 * it. Only an {@code Approved} report is final: until then the provider can still adjust counts before paying.
 */
public enum ReportStatus {
    APPROVAL_REQUIRED("ApprovalRequired"),
    APPROVED("Approved"),
    FINALIZATION("Finalization"),
    UNKNOWN("Unknown");

    private final String wireName;

    ReportStatus(final String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** Whether the report is final: what it bills can no longer be corrected before paying, only taken up after. */
    public boolean isFinal() {
        return this == APPROVED;
    }

    /** Case-insensitive, as every enum of the products is read; anything else is {@link #UNKNOWN}. */
    @JsonCreator
    public static ReportStatus of(final String text) {
        for (final ReportStatus status : values()) {
            if (text != null && status.wireName.toLowerCase(Locale.ROOT).equals(text.toLowerCase(Locale.ROOT))) {
                return status;
            }
        }
        return UNKNOWN;
    }
}
