package io.usagepipeline.processor;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link BillingPropertyTest} at full size: seventeen more random sequences against the reference. */
@Timeout(300) // a hung test fails here, not at CI's limit
class BillingPropertyIT {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void shouldAgreeWithTheReferenceForRandomSequences(final long seed) {
        BillingPropertyTest.agreesWithTheReference(seed);
    }
}
