package io.usagepipeline.cli.config;

import io.usagepipeline.rating.card.RatingConfig;
import io.usagepipeline.rating.card.RatingConfigException;
import io.usagepipeline.rating.card.RatingConfigReader;
import java.time.YearMonth;

/** Hands the {@code rating:} block to the rater's reader; a card it refuses is a configuration error (exit 2). */
public final class RatingSettings {

    private RatingSettings() {
    }

    /**
     * @param firstMonth the first month the rater will price: every tenant's card must have a version effective then
     */
    public static RatingConfig from(final PipelineConfig config, final YearMonth firstMonth) {
        try {
            final RatingConfig rating = RatingConfigReader.read(config.structured(Settings.RATING).orElse(null));
            rating.requireEffectiveFrom(firstMonth);
            return rating;
        } catch (final RatingConfigException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }
}
