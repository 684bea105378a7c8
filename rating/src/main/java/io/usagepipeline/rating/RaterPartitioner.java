package io.usagepipeline.rating;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * How the rater's repartition topic spreads its input: a {@link ReportPolled} to every partition, so that every task
 * learns of each poll of a report; anything else as the producer would (by its {@code tenantId|month} key), so that a
 * tenant's month stays in one task.
 */
final class RaterPartitioner implements StreamPartitioner<String, Object> {

    @Override
    public Optional<Set<Integer>> partitions(final String topic, final String key, final Object value,
                                             final int numPartitions) {
        if (value instanceof ReportPolled) {
            return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toSet()));
        }
        return Optional.empty(); // the producer's partitioner: the one this topic was always written with
    }
}
