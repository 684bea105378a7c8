package io.usagepipeline.sink;

import io.usagepipeline.events.PeriodRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the latest revision of every billing period lies in {@code history.jsonl}, by the day or month file it belongs
 * to. The period files are rendered from it and never read back: a file someone opened, edited or truncated is simply
 * rewritten from the history the next time one of its periods changes.
 *
 * <p>It holds 8 bytes per history line (offset and length), not the records: a year of daily and monthly records of
 * 1,000 tenants with five license types each is about 1.9 million lines, 15 MiB here. The records of the files
 * written last are kept, since a live feed rewrites today's day and this month's file with every batch.
 */
final class PeriodIndex {

    /** Lines longer than this cannot be located (a billing record is well under 2 KiB). */
    private static final int MAX_LENGTH = (1 << 24) - 1;
    private static final int CACHED_FILES = 8;

    private final Path history;
    private final Map<Path, Locations> byFile = new HashMap<>();
    private final Map<Path, Map<String, PeriodRecord>> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<Path, Map<String, PeriodRecord>> eldest) {
            return size() > CACHED_FILES;
        }
    };

    PeriodIndex(final Path history) {
        this.history = history;
    }

    /** A billing line of the history, at {@code offset} and {@code length} bytes long (its newline not counted). */
    void locate(final Path file, final long offset, final int length) {
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("a history line of " + length + " bytes is too long to index");
        }
        byFile.computeIfAbsent(file, f -> new Locations()).add(offset << 24 | length);
    }

    /** As {@link #locate}, for a line just appended: the records held for its file take it too. */
    void appended(final Path file, final long offset, final int length, final PeriodRecord record) {
        locate(file, offset, length);
        final Map<String, PeriodRecord> held = recent.get(file);
        if (held != null) {
            held.put(record.periodKey(), record);
        }
    }

    /** The latest revision of every period of the file, by period key, as a copy the caller may change. */
    Map<String, PeriodRecord> latest(final Path file) throws IOException {
        Map<String, PeriodRecord> held = recent.get(file);
        if (held == null) {
            held = read(file);
            recent.put(file, held);
        }
        return new TreeMap<>(held);
    }

    void clear() {
        byFile.clear();
        recent.clear();
    }

    /** Reads the file's lines from the history, keeping the latest revision of each period and only its location. */
    private Map<String, PeriodRecord> read(final Path file) throws IOException {
        final Locations locations = byFile.get(file);
        final Map<String, PeriodRecord> latest = new TreeMap<>();
        if (locations == null) {
            return latest;
        }
        final Map<String, Long> kept = new HashMap<>();
        try (FileChannel channel = FileChannel.open(history, StandardOpenOption.READ)) {
            for (int i = 0; i < locations.size; i++) {
                final long packed = locations.values[i];
                final ByteBuffer line = ByteBuffer.allocate((int) (packed & MAX_LENGTH));
                final long offset = packed >>> 24;
                while (line.hasRemaining()) {
                    if (channel.read(line, offset + line.position()) < 0) {
                        throw new IOException(history + " ends before the line indexed at byte " + offset);
                    }
                }
                final PeriodRecord record = HistoryLog.billing(line.array());
                final PeriodRecord held = latest.get(record.periodKey());
                if (held == null || held.revision() < record.revision()) {
                    latest.put(record.periodKey(), record);
                    kept.put(record.periodKey(), packed);
                }
            }
        }
        // superseded revisions need not be read again
        locations.values = kept.values().stream().mapToLong(Long::longValue).sorted().toArray();
        locations.size = locations.values.length;
        return latest;
    }

    /** A growable array of packed locations (offset in the high 40 bits, length in the low 24). */
    private static final class Locations {
        private long[] values = new long[8];
        private int size;

        void add(final long packed) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = packed;
        }
    }
}
