package io.usagepipeline.events;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The contract's one rounding rule: exact arithmetic inside, at most 6 fractional digits HALF_EVEN on output. */
public final class Decimals {

    public static final int OUTPUT_SCALE = 6;

    private Decimals() {
    }

    /** Rounds for output and drops trailing zeros, so 1.500000 is written as 1.5 and 2.000 as 2. */
    public static BigDecimal forOutput(final BigDecimal value) {
        if (value.scale() == 0) {
            return value; // a whole number, as most figures are: nothing to round or strip
        }
        // only a value with more digits than the output has is rounded: padding one to six digits and stripping them
        // again, for every figure of every record written, was a twenty-fifth of the live processor
        final BigDecimal rounded = (value.scale() > OUTPUT_SCALE ? value.setScale(OUTPUT_SCALE, RoundingMode.HALF_EVEN)
                : value).stripTrailingZeros();
        // stripTrailingZeros turns 100 into 1E+2; a non-negative scale keeps the plain form.
        return rounded.scale() < 0 ? rounded.setScale(0) : rounded;
    }
}
