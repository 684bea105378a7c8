package io.usagepipeline.report;

import java.util.Map;

/**
 * Who the statements are from, and whom each addresses: a page a customer receives names the provider that sends it
 * and the customer by its name, where a tenant id alone ({@code acme}) is the provider's own word for it. The
 * configuration's {@code statements:} block gives it.
 *
 * @param issuer        the provider's name as its customers know it, at the top of every page; empty for none
 * @param issuerDetails a line under it (an address, where to ask about the statement); empty for none
 * @param customers     tenant id → the name its statements address it by
 */
public record Letterhead(String issuer, String issuerDetails, Map<String, String> customers) {

    /** No letterhead: each page is headed by its tenant id. */
    public static final Letterhead NONE = new Letterhead("", "", Map.of());

    public Letterhead {
        customers = Map.copyOf(customers);
    }

    /** The name a tenant's statements address it by: its own, or its tenant id where none is given. */
    public String customer(final String tenant) {
        return customers.getOrDefault(tenant, tenant);
    }
}
