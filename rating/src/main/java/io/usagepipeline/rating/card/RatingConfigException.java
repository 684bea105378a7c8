package io.usagepipeline.rating.card;

/** A rate card that cannot price: the message names the key, e.g. {@code rating.cards[0].lines[2].tiers[1].upTo}. */
public final class RatingConfigException extends IllegalArgumentException {

    private final String key;

    public RatingConfigException(final String key, final String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
