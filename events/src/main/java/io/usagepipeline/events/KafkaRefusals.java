package io.usagepipeline.events;

import java.util.Optional;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/**
 * A secured Kafka refusing a part's principal something it needs (an ACL missing): said in one line with what to do,
 * for every part alike, instead of Kafka's exception and its trace.
 */
public final class KafkaRefusals {

    /** What a person does about a refusal: the README lists each part's grants. */
    public static final String WHAT_TO_DO = "grant it what the README lists under 'A secured Kafka'";

    private KafkaRefusals() {
    }

    /**
     * The refusal among {@code failure}'s causes, if there is one, in Kafka's words ("Not authorized to access topics:
     * [...]"), with the topic from the failure around it where they leave it out ("Could not create topic
     * ...-changelog").
     */
    public static Optional<String> of(final Throwable failure) {
        Throwable outer = null;
        for (Throwable cause = failure; cause != null; outer = cause, cause = cause.getCause()) {
            if (cause instanceof AuthorizationException denied) {
                return Optional.of("Kafka refused its principal access (" + refused(denied, outer) + "); "
                        + WHAT_TO_DO);
            }
        }
        return Optional.empty();
    }

    private static String refused(final AuthorizationException denied, final Throwable outer) {
        final String message = String.valueOf(denied.getMessage());
        // Kafka Streams' "Could not create topic X" names the topic that "Topic authorization failed." leaves out
        if (denied instanceof TopicAuthorizationException topics && topics.unauthorizedTopics().isEmpty()
                && outer != null && outer.getMessage() != null && outer.getMessage().contains("topic ")) {
            return message.replaceFirst("\\.$", "") + ": " + outer.getMessage().lines().findFirst().orElse("")
                    .replaceFirst("\\.$", "");
        }
        return message;
    }
}
