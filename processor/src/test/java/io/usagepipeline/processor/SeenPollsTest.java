package io.usagepipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.events.Endpoint;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.processor.billing.DayHistory;
import io.usagepipeline.processor.state.StoreOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A replay's seen polls ({@link PollsByDay}) drop exactly the polls the live processor's ({@link PollWindows}) drop,
 * over random sequences on real stores: in slot order with copies of earlier polls, some of them older than the
 * duplicate memory, and late polls of earlier slots.
 */
class SeenPollsTest {

    private static final Duration MEMORY = ProcessorConfig.defaults().timeRules().duplicateMemory();
    private static final Instant FIRST = Instant.parse("2026-01-01T00:00:00Z");
    private static final int TARGETS = 5;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void shouldDropWhatTheLiveLayoutDrops(final long seed) {
        final List<Sent> sent = sequence(new Random(seed));
        final List<RawPoll> polls = sent.stream().map(Sent::poll).toList();
        final List<String> answers = new ArrayList<>();
        final Topology topology = new Topology();
        topology.addSource("polls", new StringDeserializer(), new StringDeserializer(), "polls");
        topology.addProcessor("both", () -> new Both(polls, answers), "polls");
        topology.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore("windows", MEMORY,
                Duration.ofMillis(1), false), Serdes.String(), Serdes.Long()).withLoggingDisabled(), "both");
        final StoreOptions replay = new StoreOptions(false); // the replay's store: in the heap
        topology.addStateStore(replay.updatedWindows(Stores.windowStoreBuilder(
                replay.window("days", MEMORY.plus(DayHistory.DAY), DayHistory.DAY), Serdes.String(), DayPolls.SERDE)),
                "both");
        final Properties settings = new Properties();
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "seen-polls-" + seed);
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, settings)) {
            final TestInputTopic<String, String> input = driver.createInputTopic("polls", new StringSerializer(),
                    new StringSerializer());
            for (int i = 0; i < polls.size(); i++) {
                input.pipeInput(String.valueOf(i), "", polls.get(i).polledAt());
            }
        }

        final List<String> expected = sent.stream().map(poll -> poll.seen() + "/" + poll.seen()).toList();
        assertThat(answers).as("seen by the live layout / the replay's, poll by poll").isEqualTo(expected);
        assertThat(expected).as("copies remembered").contains("true/true");
        assertThat(sent).as("copies forgotten").anyMatch(poll -> poll.copy() && !poll.seen());
    }

    /** A poll of the sequence, whether it copies an earlier one, and whether it is expected to be seen. */
    private record Sent(RawPoll poll, boolean copy, boolean seen) {
    }

    /**
     * Hourly polls of a few targets over 80 days in slot order. Now and then a poll is held back up to 100 hours (a
     * late poll: new, so not seen); now and then an earlier poll comes again, seen if its slot is within the memory of
     * the newest slot remembered (the window store's rule), so a copy of a poll from over 35 days back is not.
     */
    private static List<Sent> sequence(final Random random) {
        final List<Sent> sent = new ArrayList<>();
        final List<Held> held = new ArrayList<>();
        final List<Slot> originals = new ArrayList<>();
        int newest = -1;
        for (int hour = 0; hour < 80 * 24; hour++) {
            for (int target = 0; target < TARGETS; target++) {
                if (random.nextInt(30) == 0) {
                    held.add(new Held(new Slot(target, hour), hour + 1 + random.nextInt(100)));
                } else {
                    sent.add(new Sent(poll(new Slot(target, hour)), false, false));
                    originals.add(new Slot(target, hour));
                    newest = Math.max(newest, hour);
                }
                if (random.nextInt(20) == 0) {
                    final Slot original = originals.get(random.nextInt(originals.size()));
                    final long age = Duration.ofHours(newest - original.hour()).toMillis();
                    sent.add(new Sent(poll(original), true, age <= MEMORY.toMillis() - 1));
                }
            }
            for (final Held late : List.copyOf(held)) {
                if (late.releasedAt() == hour) {
                    held.remove(late);
                    sent.add(new Sent(poll(late.slot()), false, false));
                    originals.add(late.slot());
                }
            }
        }
        // and copies on the memory's edge: one hour inside it, exactly its length back, one hour beyond
        final long memoryHours = MEMORY.toHours();
        for (final long age : List.of(memoryHours - 1, memoryHours, memoryHours + 1)) {
            final int hour = newest - (int) age;
            originals.stream().filter(original -> original.hour() == hour).findFirst().ifPresent(original ->
                    sent.add(new Sent(poll(original), true, age < memoryHours)));
        }
        return sent;
    }

    /** One target's slot, as hours after {@link #FIRST}. */
    private record Slot(int target, int hour) {
    }

    /** A poll held back until an hour of the sequence. */
    private record Held(Slot slot, int releasedAt) {
    }

    private static RawPoll poll(final Slot slot) {
        return Polls.complete("vac-" + slot.target(), Endpoint.BACKUP_SERVER_USAGE, String.valueOf(slot.target()),
                "tenant-" + slot.target(), FIRST.plus(Duration.ofHours(slot.hour())));
    }

    /** Asks both layouts about every poll, and has each remember what it had not seen. */
    private static final class Both implements Processor<String, String, Void, Void> {

        private final List<RawPoll> polls;
        private final List<String> answers;
        private SeenPolls windows;
        private SeenPolls days;

        Both(final List<RawPoll> polls, final List<String> answers) {
            this.polls = polls;
            this.answers = answers;
        }

        @Override
        public void init(final ProcessorContext<Void, Void> context) {
            windows = new PollWindows(context.getStateStore("windows"));
            days = new PollsByDay(context.getStateStore("days"), MEMORY);
        }

        @Override
        public void process(final Record<String, String> record) {
            final RawPoll poll = polls.get(Integer.parseInt(record.key()));
            final long slot = poll.slotStart().toEpochMilli();
            final boolean live = windows.seen(poll, slot);
            final boolean replay = days.seen(poll, slot);
            answers.add(live + "/" + replay);
            if (!live) {
                windows.remember(poll, slot);
            }
            if (!replay) {
                days.remember(poll, slot);
            }
        }
    }
}
