package io.usagepipeline.collector;

import io.usagepipeline.collector.poll.Poller;
import io.usagepipeline.events.PollStatus;
import io.usagepipeline.events.RawPoll;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls every target of every source once per slot and publishes each poll. Slots are aligned to the poll interval
 * ({@code slotStart} = now floored to it), so every collector polling the same slot publishes the same pollIds.
 * Targets start at a random point in the first part of the slot, so thousands of tenants do not hit an appliance
 * in the same second, and at most {@code concurrency} polls run at once.
 */
public final class Collector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Collector.class);
    private static final Duration MAX_SPREAD = Duration.ofMinutes(1);

    /** What one slot produced. */
    public record SlotResult(Instant slotStart, int complete, int failed) {
    }

    private final List<Poller> pollers;
    private final RawPublisher publisher;
    private final CollectorMetrics metrics;
    private final Clock clock;
    private final ExecutorService executor;
    private final Random random = new Random();

    public Collector(final List<Poller> pollers, final RawPublisher publisher, final CollectorMetrics metrics,
                     final Clock clock, final int concurrency) {
        this.pollers = List.copyOf(pollers);
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
        this.executor = Executors.newFixedThreadPool(concurrency);
        pollers.forEach(poller -> metrics.watchRetries(poller.source().id(), poller::retries));
    }

    /** The start of the slot an instant falls in. */
    public static Instant slotStart(final Instant now, final Duration interval) {
        final long millis = interval.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), millis) * millis);
    }

    /** Polls every target once for the slot, spreading starts over {@code spread}; publishes and flushes. */
    public SlotResult pollSlot(final Instant slotStart, final Duration spread) throws InterruptedException {
        return pollSlot(pollers, slotStart, spread);
    }

    private SlotResult pollSlot(final List<Poller> due, final Instant slotStart, final Duration spread)
            throws InterruptedException {
        final List<Future<RawPoll>> polls = new ArrayList<>();
        for (final Poller poller : due) {
            for (final Poller.Target target : poller.targets()) {
                final long delay = spread.isZero() ? 0 : random.nextInt((int) Math.max(1, spread.toMillis()));
                polls.add(executor.submit(() -> {
                    Thread.sleep(delay); // staggered start inside the slot
                    final long started = System.nanoTime();
                    final RawPoll poll = poller.poll(target, slotStart);
                    publisher.publish(poll);
                    metrics.polled(poll, Duration.ofNanos(System.nanoTime() - started));
                    if (poll.status() == PollStatus.FAILED) {
                        LOG.warn("{} FAILED: {}", poll.pollTarget(), poll.error().message());
                    }
                    return poll;
                }));
            }
        }
        int complete = 0;
        int failed = 0;
        for (final Future<RawPoll> poll : polls) {
            try {
                if (poll.get().status() == PollStatus.COMPLETE) {
                    complete++;
                } else {
                    failed++;
                }
            } catch (final java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("a poll crashed: " + e.getCause(), e.getCause());
            }
        }
        publisher.flush();
        LOG.info("slot {}: {} polls COMPLETE, {} FAILED", slotStart, complete, failed);
        return new SlotResult(slotStart, complete, failed);
    }

    /**
     * Polls until interrupted: each source once per slot of its own interval ({@code pollInterval} of the source,
     * else {@code defaultInterval}), with starts spread over a quarter of the interval, at most a minute.
     */
    public void run(final Duration defaultInterval) throws InterruptedException {
        final Map<Poller, Instant> polledSlot = new HashMap<>();
        while (!Thread.currentThread().isInterrupted()) {
            final Instant now = clock.instant();
            final Map<Duration, List<Poller>> due = new TreeMap<>();
            Instant next = null;
            for (final Poller poller : pollers) {
                final Duration interval = intervalOf(poller, defaultInterval);
                final Instant slot = slotStart(now, interval);
                if (!slot.equals(polledSlot.get(poller))) {
                    due.computeIfAbsent(interval, key -> new ArrayList<>()).add(poller);
                    polledSlot.put(poller, slot);
                }
                next = next == null || slot.plus(interval).isBefore(next) ? slot.plus(interval) : next;
            }
            for (final Map.Entry<Duration, List<Poller>> group : due.entrySet()) {
                final Duration quarter = group.getKey().dividedBy(4);
                pollSlot(group.getValue(), slotStart(now, group.getKey()),
                        quarter.compareTo(MAX_SPREAD) < 0 ? quarter : MAX_SPREAD);
            }
            final Duration untilNext = Duration.between(clock.instant(), next);
            if (!untilNext.isNegative()) {
                Thread.sleep(untilNext.toMillis()); // the schedule: wait for the next slot
            }
        }
    }

    private static Duration intervalOf(final Poller poller, final Duration defaultInterval) {
        return poller.source().pollInterval() != null ? poller.source().pollInterval() : defaultInterval;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
