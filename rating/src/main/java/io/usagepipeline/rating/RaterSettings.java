package io.usagepipeline.rating;

import io.usagepipeline.rating.card.RatingConfig;
import io.usagepipeline.rating.card.RatingConfigException;
import io.usagepipeline.rating.card.RatingConfigReader;
import io.usagepipeline.runtime.config.ConfigException;
import io.usagepipeline.runtime.config.ConfigKeys;
import io.usagepipeline.runtime.config.ConfigTree;
import io.usagepipeline.runtime.config.Setting;
import io.usagepipeline.runtime.config.Values;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The rater's settings ({@code rater.*}) and the rate card ({@code rating:}, DESIGN §4b).
 *
 * @param kafkaTimeout how long Kafka may not answer, or a source topic be missing, before the rater stops
 * @param card         the rate cards, checked to have a version for every month the rater will price
 */
public record RaterSettings(String applicationId, Path stateDir, Duration kafkaTimeout, RatingConfig card) {

    public static final Setting<String> APPLICATION_ID = new Setting<>("rater.applicationId",
            "usage-pipeline-rater", "a Kafka Streams application id (letters, digits, '.', '_', '-')",
            Values::name,
            "Kafka Streams application id of the rater: its consumer group, transactional ids and internal topics.");

    public static final Setting<Path> STATE_DIR = new Setting<>("rater.stateDir",
            ".usage-pipeline/rater-state", "a directory path", Path::of,
            "Where the rater keeps its local state stores (rebuilt from Kafka when lost).");

    public static final Setting<Duration> KAFKA_TIMEOUT = new Setting<>("rater.kafkaTimeout", "PT2M",
            "a positive ISO-8601 duration, e.g. PT2M", Values::positiveDuration,
            "How long Kafka may not answer, or a source topic be missing from its metadata, before 'rate' stops "
                    + "with exit code 1.");

    /** The rate card, bound and checked by {@link RatingConfigReader}. */
    public static final String RATING = "rating";

    public static final ConfigKeys KEYS = ConfigKeys.of(List.of(APPLICATION_ID, STATE_DIR, KAFKA_TIMEOUT), RATING);

    /**
     * @param firstMonth the first month the rater will price: every tenant's card must have a version effective then
     * @throws ConfigException when the card is refused (its message names the key)
     */
    public static RaterSettings bind(final ConfigTree tree, final YearMonth firstMonth) {
        final RatingConfig card;
        try {
            card = RatingConfigReader.read(tree.section(RATING).orElse(null));
            card.requireEffectiveFrom(firstMonth);
        } catch (final RatingConfigException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        return new RaterSettings(tree.get(APPLICATION_ID), tree.get(STATE_DIR), tree.get(KAFKA_TIMEOUT), card);
    }

    /** The config's rate card, bound and checked, where it has a {@code rating:} block. */
    public static Optional<RatingConfig> card(final ConfigTree tree) {
        try {
            return tree.section(RATING).map(RatingConfigReader::read);
        } catch (final RatingConfigException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    /** Kafka Streams settings for this rater. */
    public Properties streamsConfig(final Map<String, Object> kafka) {
        return Rater.streamsConfig(applicationId, kafka, stateDir);
    }
}
