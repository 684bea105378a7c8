package io.usagepipeline.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Writes an amount of money exactly as it was rounded, scale included: {@code 25.00} stays {@code 25.00}, where the
 * contract's other decimals drop trailing zeros. The rater rounds every amount once, to the rate card's money scale,
 * and an invoice line must show that scale.
 */
public final class Money extends JsonSerializer<BigDecimal> {

    @Override
    public void serialize(final BigDecimal value, final JsonGenerator gen, final SerializerProvider provider)
            throws IOException {
        gen.writeNumber(value.toPlainString());
    }
}
