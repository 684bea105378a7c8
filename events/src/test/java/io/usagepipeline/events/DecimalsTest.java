package io.usagepipeline.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DecimalsTest {

    /** DESIGN's one rounding: at most six fractional digits, HALF_EVEN, written plain without trailing zeros. */
    @ParameterizedTest
    @CsvSource({
            "0, 0",
            "0.000, 0",
            "35, 35",
            "100, 100",
            "1E+3, 1000",
            "-1.50, -1.5",
            "1.500000, 1.5",
            "2.000, 2",
            "0.123456, 0.123456",
            "0.1234565, 0.123456",
            "0.1234575, 0.123458",
            "0.0000005, 0",
            "0.0000015, 0.000002",
            "12345678901234567890.1234567, 12345678901234567890.123457",
            "2.0000004, 2",
    })
    void shouldRoundOnceAndWritePlain(final String value, final String written) {
        final BigDecimal output = Decimals.forOutput(new BigDecimal(value));

        assertThat(output.toString()).isEqualTo(written);
        assertThat(output.scale()).isBetween(0, Decimals.OUTPUT_SCALE);
    }
}
