package io.usagepipeline.events;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Whether a Kafka Streams application that publishes revisions (the processor's billing records, the rater's charge
 * lines) starts with the state that knows what its output topic already holds. It numbers each key's revisions from
 * what its state says it published, and a sink keeps the first record it reads of each revision of a key. One that
 * starts without that state (under another application id than the one that published the records, or after its
 * changelogs were deleted) publishes revision 1 again under ids already used, and later revisions under numbers a sink
 * already holds: whatever differs is dropped by the sink while the topic holds it, and nobody is told. So such a start
 * is refused, naming the applications whose state is there. So is one whose state was built from other topics: the
 * same application id run before under another topic prefix, whose changelogs and group it shares (their names do not
 * carry the prefix).
 *
 * @param part          what the application is, for the message ("rater")
 * @param applicationId the application id it would start under
 * @param store         a store that every run that published to {@code output} has written, so that its changelog
 *                      has records exactly when the application has state
 * @param inputs        the topics it reads, by which the applications of the same topics are told from the others
 * @param output        the topic it publishes revisions to
 */
public record OutputHistory(String part, String applicationId, String store, List<String> inputs, String output) {

    /**
     * Why it must not start, if it must not: its state was built from other topics ({@link #foreignState}), or its
     * output holds committed records and its store's changelog none.
     */
    public Optional<String> refusal(final Admin admin) throws ExecutionException, InterruptedException {
        final Optional<String> foreign = foreignState(admin);
        if (foreign.isPresent()) {
            return foreign;
        }
        final Set<String> topics = admin.listTopics().names().get();
        // committed records only: the changelog's records of a transaction are written before its commit
        if (!topics.contains(output) || !GroupProgress.holdsRecords(admin, output, true)) {
            return Optional.empty();
        }
        final String ownChangelog = changelog(applicationId);
        if (topics.contains(ownChangelog) && GroupProgress.holdsRecords(admin, ownChangelog, false)) {
            return Optional.empty();
        }
        String whose;
        try {
            final List<String> others = others(admin, topics);
            whose = others.isEmpty() ? "No other " + part + " of these topics has its state here"
                    : "Run it as " + String.join(" or ", others) + " (--application-id), whose state is here";
        } catch (final ExecutionException e) {
            // a principal may not see other applications' topics or groups: the refusal stands all the same
            whose = "Which " + part + " has its state here could not be read (" + e.getCause().getMessage() + ")";
        }
        return Optional.of("'" + applicationId + "' has no state on this Kafka, but " + output + " already holds "
                + "what a " + part + " published (under another application id, or this one's changelogs were "
                + "deleted); started so, it would number its revisions from 1 again under ids already published, and "
                + "a sink would keep what it read first of each, dropping whatever differs. " + whose
                + "; or, if that state is lost, check with a replay's --compare that it publishes what is there, "
                + "and start it once with --new-state");
    }

    /**
     * Why its state is not of these topics, if it is not: its group has read topics other than its inputs and its own
     * internal ones. A processor whose state is another prefix's would carry that prefix's series, open periods and
     * seen polls into what it publishes here; {@code --new-state} does not make that right, an application id of its
     * own does.
     */
    public Optional<String> foreignState(final Admin admin) throws ExecutionException, InterruptedException {
        final Set<String> read = new TreeSet<>();
        admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get().keySet()
                .forEach(partition -> read.add(partition.topic()));
        read.removeIf(topic -> inputs.contains(topic) || topic.startsWith(applicationId + "-"));
        if (read.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("'" + applicationId + "' holds the state of a " + part + " of " + String.join(" and ", read)
                + ", which its group has read, not of " + String.join(" and ", inputs) + ": started so, it would "
                + "publish to " + output + " from that state. Give it an application id of its own "
                + "(--application-id); a new one starts from the beginning of " + inputs.get(0));
    }

    /**
     * Why its state cannot serve its inputs as they now are, if it cannot: Kafka Streams keeps a store in one partition
     * per partition of the inputs it was built over, and a partition added to an input since sends keys to other
     * partitions than the state that knows them. Kafka cannot take partitions away, and Kafka Streams itself would stop
     * at its next rebalance with advice (delete its internal topics) that loses the state.
     */
    public Optional<String> partitionsChanged(final Admin admin) throws ExecutionException, InterruptedException {
        final String changelog = changelog(applicationId);
        final Set<String> topics = admin.listTopics().names().get();
        final List<String> present = inputs.stream().filter(topics::contains).toList();
        if (!topics.contains(changelog) || present.isEmpty()) {
            return Optional.empty();
        }
        final List<String> described = new ArrayList<>(present);
        described.add(changelog);
        final Map<String, Integer> partitions = new HashMap<>();
        admin.describeTopics(described).allTopicNames().get()
                .forEach((topic, description) -> partitions.put(topic, description.partitions().size()));
        final int state = partitions.get(changelog);
        final int now = present.stream().mapToInt(partitions::get).max().orElseThrow();
        if (now == state) {
            return Optional.empty();
        }
        final String changed = present.stream().filter(topic -> partitions.get(topic) == now)
                .collect(Collectors.joining(" and "));
        return Optional.of("'" + applicationId + "' keeps its state in " + state + " partitions (" + changelog
                + "), one for each partition " + String.join(" and ", inputs) + " had when it was built, but "
                + changed + " now " + (changed.contains(" and ") ? "have " : "has ") + now + ": partitions were "
                + "added (or the topic made again), so keys now go to other partitions than the state that knows "
                + "them, and Kafka cannot take partitions away. Move the pipeline to topics under a new prefix with "
                + "the partition count wanted (README, 'Partitions added to a topic')");
    }

    /**
     * Why it will read its inputs again from their start, if it will: it has its state here, but its group no
     * position in any of its inputs. Kafka deletes a group's committed offsets once it has had no member for the
     * brokers' {@code offsets.retention.minutes} (7 days by default), so a {@link #part} stopped longer loses them,
     * and Kafka Streams starts over from the oldest record. Nothing is billed twice (polls it remembers are dropped as
     * copies, and older periods come out again under the ids they were published with), but a long history takes
     * long to read, and a person should know why.
     */
    public Optional<String> positionsLost(final Admin admin) throws ExecutionException, InterruptedException {
        final Set<String> topics = admin.listTopics().names().get();
        final String ownChangelog = changelog(applicationId);
        final List<String> present = inputs.stream().filter(topics::contains).toList();
        if (present.isEmpty() || read(admin, applicationId) || !topics.contains(ownChangelog)
                || !GroupProgress.holdsRecords(admin, ownChangelog, false)) {
            return Optional.empty();
        }
        long records = 0;
        for (final String input : present) {
            records += GroupProgress.records(admin, input);
        }
        if (records == 0) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "'%s' has its state on this Kafka, but its group no position "
                + "in %s: Kafka deletes a group's positions once it has had no member for offsets.retention.minutes "
                + "(7 days by default). It reads the %,d records there again from their start: what it remembers is "
                + "dropped as a copy, and older periods come out again under the ids they were published with. Raise "
                + "offsets.retention.minutes on the brokers above the longest a %s may be stopped", applicationId,
                String.join(" and ", present), records, part));
    }

    /**
     * What it will never read, topic by topic: records of its inputs deleted (by a retention shorter than its
     * absence, or by hand) after its last commit. Kafka Streams goes on from the oldest record left without a word,
     * so for the processor those polls are missing from every figure; the start check says so, with what can still be
     * done.
     */
    public List<String> deletedUnread(final Admin admin) throws ExecutionException, InterruptedException {
        final Map<String, List<String>> gaps = new TreeMap<>();
        final Map<String, Long> lost = new TreeMap<>();
        new GroupProgress(admin, applicationId).deletedUnread(inputs).forEach((partition, gap) -> {
            gaps.computeIfAbsent(partition.topic(), topic -> new ArrayList<>()).add(partition + " offsets "
                    + gap.from() + " to " + (gap.to() - 1));
            lost.merge(partition.topic(), gap.records(), Long::sum);
        });
        final List<String> lines = new ArrayList<>();
        for (final String topic : lost.keySet()) {
            final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            final String retention = admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get(TopicConfig.RETENTION_MS_CONFIG).value();
            lines.add(String.format(Locale.ROOT, "%s lost %,d records that '%s' had not read yet (%s), deleted by "
                    + "hand or by the topic's retention (retention.ms %s) while the %s was away: it goes on from the "
                    + "oldest left, without them", topic, lost.get(topic), applicationId,
                    String.join(", ", gaps.get(topic)), retention, part)
                    + (topic.endsWith(Topics.RAW.name("")) ? ". The contract keeps this topic forever (retention.ms "
                    + "-1); polls a 'raw export' holds come back with 'raw import', and restate their periods within "
                    + "the horizon" : ""));
        }
        return lines;
    }

    /** The other application ids, quoted, whose store's changelog holds records and whose group read the inputs. */
    private List<String> others(final Admin admin, final Set<String> topics)
            throws ExecutionException, InterruptedException {
        final String suffix = changelog("");
        final List<String> others = new ArrayList<>();
        for (final String topic : new TreeSet<>(topics)) {
            final String other = topic.endsWith(suffix) ? topic.substring(0, topic.length() - suffix.length()) : "";
            if (!other.isEmpty() && !other.equals(applicationId) && GroupProgress.holdsRecords(admin, topic, false)
                    && read(admin, other)) {
                others.add("'" + other + "'");
            }
        }
        return others;
    }

    private String changelog(final String applicationIdOf) {
        return changelog(applicationIdOf, store);
    }

    /** Kafka Streams' name for the changelog of a store of an application. */
    public static String changelog(final String applicationId, final String store) {
        return applicationId + "-" + store + "-changelog";
    }

    /** Whether the group of that application id has read one of {@link #inputs}. */
    private boolean read(final Admin admin, final String group) throws ExecutionException, InterruptedException {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().keySet().stream()
                .anyMatch(partition -> inputs.contains(partition.topic()));
    }
}
