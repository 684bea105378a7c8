package io.usagepipeline.rating;

import io.usagepipeline.events.GroupProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;

/**
 * Whether a live rater's state knows the charge lines already on its output topic. A line's revisions are numbered
 * from what the rater's state says it published ({@link Revisions}), and a sink keeps the first record it reads of
 * each revision. A rater that starts without that state (under another application id than the one that published the
 * lines, or after its changelogs were deleted) would publish every line as revision 1 again, under the ids of the
 * lines there: where its card prices a line otherwise, a sink would keep the old price and the topic the new one,
 * and nobody would be told. So such a start is refused, naming what to do.
 */
public final class RaterHistory {

    private RaterHistory() {
    }

    /** The changelog of the rater's months, which holds every line it published: present once it has rated. */
    static String monthsChangelog(final String applicationId) {
        return applicationId + "-" + RatingProcessor.MONTHS_STORE + "-changelog";
    }

    /**
     * Why a rater under {@code applicationId} must not start on these topics, if it must not: its output topic has
     * been written to and its months' changelog has not.
     *
     * @param billingTopic the billing records it would read
     * @param chargesTopic the charges topic it would write
     */
    public static Optional<String> refusal(final Admin admin, final String applicationId, final String billingTopic,
                                           final String chargesTopic)
            throws ExecutionException, InterruptedException {
        final Set<String> topics = admin.listTopics().names().get();
        if (!topics.contains(chargesTopic) || !written(admin, chargesTopic)) {
            return Optional.empty();
        }
        final String changelog = monthsChangelog(applicationId);
        if (topics.contains(changelog) && written(admin, changelog)) {
            return Optional.empty();
        }
        // every live rater leaves its repartition topic behind (a replay of the rater removes its own), and its
        // group's offsets say which billing records it read
        final String suffix = "-" + RatingTopology.REPARTITION + "-repartition";
        final List<String> others = new ArrayList<>();
        for (final String topic : new TreeSet<>(topics)) {
            final String other = topic.endsWith(suffix) ? topic.substring(0, topic.length() - suffix.length()) : null;
            if (other != null && !other.equals(applicationId) && topics.contains(monthsChangelog(other))
                    && read(admin, other, billingTopic)) {
                others.add(other);
            }
        }
        return Optional.of("'" + applicationId + "' has no state on this Kafka, but " + chargesTopic + " already "
                + "holds charge lines (another rater published them, or this one's changelogs were deleted); started "
                + "so, it would publish every line as revision 1 again, and a sink would keep the old price of any "
                + "line priced otherwise since. " + (others.isEmpty()
                        ? "No other rater of these topics has its state here"
                        : "Run it as " + String.join(" or ", others.stream().map(other -> "'" + other + "'").toList())
                                + " (--application-id), whose state is here")
                + "; or, if that state is lost, check with 'rate --replay --compare' that the card prices every line "
                + "as published and start it once with --new-state");
    }

    private static boolean read(final Admin admin, final String group, final String topic)
            throws ExecutionException, InterruptedException {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().keySet().stream()
                .anyMatch(partition -> partition.topic().equals(topic));
    }

    private static boolean written(final Admin admin, final String topic)
            throws ExecutionException, InterruptedException {
        return GroupProgress.endOffsets(admin, List.of(topic)).values().stream().anyMatch(end -> end > 0);
    }
}
