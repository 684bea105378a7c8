package io.usagepipeline.collector;

import io.usagepipeline.collector.poll.Poller;
import io.usagepipeline.events.KafkaRefusals;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.PollStatus;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.runtime.BurstLog;
import io.usagepipeline.runtime.Progress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls every target of every source once per slot and publishes each poll. Slots are aligned to the poll interval
 * ({@code slotStart} = now floored to it), so every collector polling the same slot publishes the same pollIds.
 * Targets start at a random point in the first part of the slot, so thousands of tenants do not hit an appliance
 * in the same second, and at most {@code concurrency} polls run at once.
 *
 * <p>Running, every target is polled on its own: a slow or hung target costs its own poll (bounded by the poll's
 * deadline), never another target's slot. A target still busy when its next slot begins owes that slot, and polls
 * it as soon as it is free: a slot is caught up, not skipped. A target that stays slower than its interval owes at
 * most {@value #MAX_OWED} slots; older ones are dropped with a warning rather than queued without end.
 */
public final class Collector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Collector.class);
    private static final Duration MAX_SPREAD = Duration.ofMinutes(1);
    private static final int MAX_OWED = 2;
    /** How many targets a warning about many names; the rest are counted. */
    private static final int NAMED = 3;

    /** What one slot produced. */
    public record SlotResult(Instant slotStart, int complete, int failed) {
    }

    private final List<Poller> pollers;
    private final RawPublisher publisher;
    private final CollectorMetrics metrics;
    private final Clock clock;
    private final ExecutorService executor;
    private final Random random = new Random();
    /** Targets with a poll running, and the slot each of them owes once it is done. */
    private final Set<String> busy = new HashSet<>();
    private final Map<String, TreeSet<Instant>> owed = new HashMap<>();
    /**
     * The console hears of the first FAILED poll of each source and failure kind, then of how many followed, once a
     * minute: a console of thousands of tenants that stops answering fails thousands of polls a slot, each in the raw
     * topic with its reason and counted in {@code usage_collector_polls_total}.
     */
    private final BurstLog<String> failedPolls = new BurstLog<>("polls FAILED", "source and failure");
    /** What stops {@link #run}: a failure of a background poll (Kafka refused a record, a bug). */
    private final BlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();

    public Collector(final List<Poller> pollers, final RawPublisher publisher, final CollectorMetrics metrics,
                     final Clock clock, final int concurrency) {
        this.pollers = List.copyOf(pollers);
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
        this.executor = Executors.newFixedThreadPool(concurrency);
        pollers.forEach(poller -> {
            metrics.watchRetries(poller.source().id(), poller::retries);
            metrics.expect(poller.source().id());
        });
    }

    /**
     * The sources without a COMPLETE poll within two of their intervals (counted from the start until a first one),
     * each with how long it has been: what makes the collector's health DOWN.
     */
    public List<String> overdue(final Duration defaultInterval) {
        final List<String> overdue = new ArrayList<>();
        for (final Poller poller : pollers) {
            final Duration age = metrics.lastSuccessAge(poller.source().id());
            if (age.compareTo(intervalOf(poller, defaultInterval).multipliedBy(2)) > 0) {
                overdue.add(poller.source().id() + " (no complete poll for " + age.toSeconds() + " s)");
            }
        }
        return overdue;
    }

    /** The start of the slot an instant falls in. */
    public static Instant slotStart(final Instant now, final Duration interval) {
        final long millis = interval.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), millis) * millis);
    }

    /**
     * Polls every target once for the slot, spreading starts over {@code spread}; waits for every poll (each bounded
     * by its deadline), publishes and flushes.
     */
    public SlotResult pollSlot(final Instant slotStart, final Duration spread) throws InterruptedException {
        final List<Future<PollStatus>> polls = new ArrayList<>(); // statuses only: a slot may hold thousands
        for (final Poller poller : pollers) {
            for (final Poller.Target target : poller.targets(slotStart)) {
                final Duration delay = delay(spread);
                polls.add(executor.submit(() -> pollAndPublish(poller, target, slotStart, delay)));
            }
        }
        int complete = 0;
        int failed = 0;
        for (final Future<PollStatus> poll : polls) {
            try {
                if (poll.get() == PollStatus.COMPLETE) {
                    complete++;
                } else {
                    failed++;
                }
            } catch (final ExecutionException e) {
                if (KafkaRefusals.of(e.getCause()).isPresent()) { // a refused producer fails every send after
                    throw RawPublisher.notTaken(e.getCause());
                }
                throw new IllegalStateException("a poll crashed: " + e.getCause(), e.getCause());
            }
        }
        publisher.flush();
        failedPolls.rest(clock.millis()).forEach(LOG::warn);
        LOG.debug("slot {}: {} polls COMPLETE, {} FAILED", slotStart, complete, failed);
        return new SlotResult(slotStart, complete, failed);
    }

    /**
     * Polls until interrupted: each source once per slot of its own interval ({@code pollInterval} of the source,
     * else {@code defaultInterval}), with starts spread over a quarter of the interval, at most a minute (of what is
     * left of the slot, for the first round after a start within it). Throws when a poll could not be published.
     */
    public void run(final Duration defaultInterval) throws InterruptedException {
        final Map<Poller, Instant> started = new HashMap<>();
        while (true) {
            final Instant now = clock.instant();
            Instant next = null;
            for (final Poller poller : pollers) {
                final Duration interval = intervalOf(poller, defaultInterval);
                final Instant slot = slotStart(now, interval);
                if (!slot.equals(started.put(poller, slot))) {
                    final Duration spread = spread(Duration.between(now, slot.plus(interval)));
                    executor.execute(() -> guarded(() -> startRound(poller, slot, spread)));
                }
                next = next == null || slot.plus(interval).isBefore(next) ? slot.plus(interval) : next;
            }
            // the schedule: wait for the next slot, unless a background poll fails first
            final Throwable failure = failures.poll(Math.max(0, Duration.between(clock.instant(), next).toMillis()),
                    TimeUnit.MILLISECONDS);
            if (failure != null) {
                throw new IllegalStateException(failure.getMessage(), failure);
            }
        }
    }

    /**
     * Over how long the starts of a round are spread: a quarter of what is left of its slot, at most a minute. A round
     * begins with its slot, where that is a quarter of the interval; but spread over that much, the first round after
     * a start late in a slot ran into the next slot, and each of its targets, busy waiting for its start, owed that
     * slot and polled it at once: the burst the spread exists to avoid, and a warning per target.
     */
    static Duration spread(final Duration leftOfSlot) {
        final Duration quarter = leftOfSlot.isNegative() ? Duration.ZERO : leftOfSlot.dividedBy(4);
        return quarter.compareTo(MAX_SPREAD) < 0 ? quarter : MAX_SPREAD;
    }

    /**
     * Lists the targets of a source for a slot (VAC discovery asks the appliance) and polls each on its own. The
     * targets still busy with an earlier slot are told in one line, not one each: a console of thousands of tenants
     * answering slower than its interval would otherwise write thousands of lines a slot.
     */
    private void startRound(final Poller poller, final Instant slot, final Duration spread)
            throws InterruptedException {
        final Backlog backlog = new Backlog();
        for (final Poller.Target target : poller.targets(slot)) {
            schedule(poller, target, slot, delay(spread), backlog);
        }
        if (!backlog.stillBusy.isEmpty()) {
            LOG.warn("{}: {} still polling an earlier slot; slot {} follows for each when it is done",
                    poller.source().id(), named(backlog.stillBusy), slot);
        }
        if (!backlog.dropped.isEmpty()) {
            LOG.warn("{}: {} busy for more than {} slots; not polled for them: slot {}", poller.source().id(),
                    named(backlog.dropped), MAX_OWED, backlog.droppedSlots.stream().map(Instant::toString)
                            .collect(Collectors.joining(", ")));
        }
    }

    /** The targets of a round that still poll an earlier slot, and those that give up one they owed. */
    private static final class Backlog {
        final List<String> stillBusy = new ArrayList<>();
        final List<String> dropped = new ArrayList<>();
        final SortedSet<Instant> droppedSlots = new TreeSet<>();
    }

    /** How many targets, a few by name. */
    private static String named(final List<String> targets) {
        return (targets.size() == 1 ? "1 target (" : Progress.count(targets.size()) + " targets (")
                + Progress.some(targets, NAMED) + ")";
    }

    /**
     * Polls a target for a slot; while it still polls an earlier one, it owes this slot instead, and drops the oldest
     * it owes past {@value #MAX_OWED} (both noted in {@code backlog}).
     */
    private void schedule(final Poller poller, final Poller.Target target, final Instant slot, final Duration delay,
                          final Backlog backlog) {
        final String key = Keys.pollTarget(poller.source().id(), target.endpoint(), target.scope());
        synchronized (busy) {
            if (!busy.add(key)) {
                backlog.stillBusy.add(key);
                final TreeSet<Instant> slots = owed.computeIfAbsent(key, k -> new TreeSet<>());
                slots.add(slot);
                if (slots.size() > MAX_OWED) {
                    backlog.dropped.add(key);
                }
                while (slots.size() > MAX_OWED) {
                    backlog.droppedSlots.add(slots.pollFirst());
                }
                return;
            }
        }
        executor.execute(() -> guarded(() -> {
            try {
                pollAndPublish(poller, target, slot, delay);
                publisher.flush(); // a record Kafka refused surfaces here, and ends run()
            } finally {
                final Instant owedSlot;
                synchronized (busy) {
                    busy.remove(key);
                    final TreeSet<Instant> slots = owed.get(key);
                    owedSlot = slots == null ? null : slots.pollFirst();
                    if (slots != null && slots.isEmpty()) {
                        owed.remove(key);
                    }
                }
                if (owedSlot != null) { // free now: it starts, with nothing to note
                    schedule(poller, target, owedSlot, Duration.ZERO, new Backlog());
                }
            }
        }));
    }

    private PollStatus pollAndPublish(final Poller poller, final Poller.Target target, final Instant slot,
                                      final Duration delay) throws InterruptedException {
        Thread.sleep(delay.toMillis()); // staggered start inside the slot
        final long started = System.nanoTime();
        final RawPoll poll = poller.poll(target, slot);
        publisher.publish(poll);
        metrics.polled(poll, Duration.ofNanos(System.nanoTime() - started));
        if (poll.status() == PollStatus.FAILED) {
            final String failed = poll.pollTarget() + " FAILED: " + poll.error().message();
            failedPolls.happened(poll.sourceId() + " (" + poll.error().kind() + ")", failed, failed, clock.millis())
                    .forEach(LOG::warn);
        }
        failedPolls.due(clock.millis()).forEach(LOG::warn);
        return poll.status();
    }

    /** A background step; its failure ends {@link #run}, an interruption (closing) ends only the step. */
    private void guarded(final Step step) {
        try {
            step.run();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final RuntimeException | Error e) {
            failures.add(e);
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws InterruptedException;
    }

    private Duration delay(final Duration spread) {
        return spread.isZero() ? Duration.ZERO : Duration.ofMillis(random.nextInt((int) Math.max(1,
                spread.toMillis())));
    }

    private static Duration intervalOf(final Poller poller, final Duration defaultInterval) {
        return poller.source().pollInterval() != null ? poller.source().pollInterval() : defaultInterval;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        failedPolls.rest(clock.millis()).forEach(LOG::warn);
    }
}
