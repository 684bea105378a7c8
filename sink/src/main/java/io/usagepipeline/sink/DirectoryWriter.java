package io.usagepipeline.sink;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.usagepipeline.events.Alert;
import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.Json;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.Reconciliation;
import io.usagepipeline.events.RecordDifferences;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Billing-ready files in one directory:
 * <ul>
 *   <li>{@code day/2026-03-10.csv}, {@code month/2026-03.csv}: the latest revision of every series of that period
 *       (by the local date of the period in its billing zone), rewritten atomically (temporary file + rename);</li>
 *   <li>{@code charges/2026-03.csv}: the latest revision of every charge line of that month ({@link ChargeCsv});</li>
 *   <li>{@code alerts.csv}: every alert episode, with its end once it has one ({@link AlertCsv});</li>
 *   <li>{@code history.jsonl}: every FINAL and RESTATED revision of a billing record or a charge line exactly once,
 *       one JSON line each with the topic, partition and offset it came from;</li>
 *   <li>{@code open-totals.csv}: the current rolling total of every open period, rewritten at most once a second
 *       while totals stream in, and whenever the sink has caught up ({@link #idle()}) or stops;</li>
 *   <li>{@code positions.json}: where to resume, and the Kafka cluster and topic ids those positions belong to.</li>
 * </ul>
 * Exactly once after any crash: {@code history.jsonl} is the write-ahead log. A batch first appends the revisions
 * that are newer than the latest one held (so a record delivered twice is written once), then rewrites the files
 * they change, then {@code positions.json}. On start, the files that history lines after the last
 * {@code positions.json} belong to are rendered again, and those lines give the resume point.
 *
 * <p>The files are outputs, never state: each is rendered from an index rebuilt from {@code history.jsonl} on start
 * (where the latest revision of every period lies, {@link PeriodIndex}; the latest revision of every charge and
 * reconciliation line; the latest state of every alert episode), not read back from the CSV, which cannot hold every
 * field exactly and which a person may have opened and changed.
 */
public final class DirectoryWriter implements BillingWriter {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryWriter.class);
    private static final DateTimeFormatter DAY_FILE = DateTimeFormatter.ofPattern("uuuu-MM-dd");
    private static final DateTimeFormatter MONTH_FILE = DateTimeFormatter.ofPattern("uuuu-MM");
    private static final CsvMapper CSV = new CsvMapper();
    private static final String HISTORY = "history.jsonl";
    private static final String POSITIONS = "positions.json";
    private static final String OPEN_TOTALS = "open-totals.csv";
    private static final String CHARGES = "charges";
    /** How a charge line is told from a billing record in {@code history.jsonl} without parsing every line. */
    private static final String CHARGE_SCHEMA = "\"schema\":\"" + ChargeLine.SCHEMA + "\"";
    private static final String ALERT_SCHEMA = "\"schema\":\"" + Alert.SCHEMA + "\"";
    private static final String ALERTS = "alerts.csv";
    private static final String RECONCILIATION = "reconciliation";
    private static final String RECONCILIATION_SCHEMA = "\"schema\":\"" + Reconciliation.SCHEMA + "\"";
    /** Everything this writer owns in its directory; other files there (a config, notes) are left alone. */
    private static final List<String> OWNED = List.of("day", "month", CHARGES, ALERTS, RECONCILIATION, HISTORY,
            OPEN_TOTALS, POSITIONS);
    /** Totals change with every poll; the file of them need not be rewritten and made durable more often. */
    private static final Duration TOTALS_INTERVAL = Duration.ofSeconds(1);
    private static final DateTimeFormatter MOVED_AT = DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final Path dir;
    private final Path history;
    private final Path positionsFile;
    private final Path openTotalsFile;
    private final String totalsTopic;
    private final Map<String, PeriodRecord> openTotals;
    private final Map<String, Long> positions = new TreeMap<>();
    /**
     * Positions on the totals topic whose totals are applied to {@link #openTotals} but not yet written to
     * {@code open-totals.csv}: they reach {@link #positions} (and so {@code positions.json}) only with the file, so a
     * crash in between re-reads those totals, which are idempotent (the latest per key wins).
     */
    private final Map<String, Long> unwrittenTotals = new TreeMap<>();
    private final Duration totalsInterval;
    private long totalsWrittenAt;
    /** The latest revision of every charge line, by month and charge key. */
    private final Map<String, Map<String, ChargeLine>> charges = new TreeMap<>();
    /** The latest revision of every reconciliation line, by month and key. */
    private final Map<String, Map<String, Reconciliation>> reconciliation = new TreeMap<>();
    /** The latest state of every alert episode, by alert id. */
    private final Map<String, Alert> alerts = new TreeMap<>();
    private final PeriodIndex periods;
    private SourceIdentity readFrom;
    /** The conflicts found in the batch being written. */
    private final List<RevisionConflict> conflicts = new ArrayList<>();

    /**
     * @param totalsTopic the name of the rolling-totals topic; every other topic carries billing records
     */
    public DirectoryWriter(final Path dir, final String totalsTopic) throws IOException {
        this(dir, totalsTopic, TOTALS_INTERVAL);
    }

    /** @param totalsInterval how often at most {@code open-totals.csv} is rewritten while totals stream in */
    DirectoryWriter(final Path dir, final String totalsTopic, final Duration totalsInterval) throws IOException {
        this.totalsInterval = totalsInterval;
        this.totalsWrittenAt = System.nanoTime() - totalsInterval.toNanos();
        this.dir = Files.createDirectories(dir.toAbsolutePath().normalize());
        this.history = this.dir.resolve(HISTORY);
        this.positionsFile = this.dir.resolve(POSITIONS);
        this.openTotalsFile = this.dir.resolve(OPEN_TOTALS);
        this.totalsTopic = totalsTopic;
        this.periods = new PeriodIndex(history);
        this.openTotals = new TreeMap<>();
        readCsv(openTotalsFile).forEach(record -> openTotals.put(record.periodKey(), record));
        final Set<String> chargeMonths = new TreeSet<>();
        final Set<Path> periodFiles = new TreeSet<>();
        final boolean redone = recover(chargeMonths, periodFiles);
        loadIndexes();
        // redo: the crash may have come between the history and these files
        for (final Path file : periodFiles) {
            writeCsv(file, periods.latest(file).values());
        }
        for (final String month : chargeMonths) {
            writeCharges(month);
        }
        if (redone) {
            // a batch of alerts or reconciliation lines may have reached the history but not their files
            writeAlerts();
            for (final String month : reconciliation.keySet()) {
                writeReconciliation(month);
            }
        }
        if (redone) {
            writePositions(); // only once every file the redone lines touch is rendered again
        }
    }

    @Override
    public String name() {
        return "files";
    }

    @Override
    public String location() {
        return dir.toString();
    }

    @Override
    public Checkpoint checkpoint() {
        final Map<TopicPartition, Long> result = new HashMap<>();
        positions.forEach((key, offset) -> result.put(partition(key), offset));
        return new Checkpoint(readFrom, result);
    }

    @Override
    public void bind(final SourceIdentity identity) throws IOException {
        if (!identity.equals(readFrom)) {
            readFrom = identity;
            writePositions();
        }
    }

    /**
     * Moves every file this writer owns into a sibling directory ({@code <dir>.before-reset-<UTC time>}) rather than
     * deleting billing data, and starts empty.
     */
    @Override
    public void reset() throws IOException {
        final Path aside = dir.resolveSibling(dir.getFileName() + ".before-reset-" + MOVED_AT.format(Instant.now()));
        for (final String name : OWNED) {
            final Path owned = dir.resolve(name);
            if (Files.exists(owned)) {
                Files.move(owned, Files.createDirectories(aside).resolve(name));
            }
        }
        if (Files.exists(aside)) {
            LOG.warn("reset: the previous files of {} are now in {}", dir, aside);
        }
        openTotals.clear();
        unwrittenTotals.clear();
        positions.clear();
        charges.clear();
        reconciliation.clear();
        alerts.clear();
        periods.clear();
        readFrom = null;
    }

    @Override
    public List<RevisionConflict> write(final List<PositionedRecord> records) throws IOException {
        conflicts.clear();
        final Map<Path, Map<String, PeriodRecord>> files = new LinkedHashMap<>();
        final List<PositionedRecord> newRevisions = new ArrayList<>();
        final Set<String> chargeMonths = new TreeSet<>();
        final Set<String> reconciledMonths = new TreeSet<>();
        boolean alertsChanged = false;
        for (final PositionedRecord record : records) {
            if (record.alert() != null) {
                if (mergeAlert(record.alert())) {
                    newRevisions.add(record);
                    alertsChanged = true;
                }
            } else if (record.charge() != null) {
                if (mergeCharge(record.charge(), record)) {
                    newRevisions.add(record);
                    chargeMonths.add(record.charge().month());
                }
            } else if (record.reconciliation() != null) {
                if (mergeReconciliation(record.reconciliation(), record)) {
                    newRevisions.add(record);
                    reconciledMonths.add(record.reconciliation().month());
                }
            } else if (record.source().topic().equals(totalsTopic)) {
                if (record.value() == null) {
                    openTotals.remove(record.key());
                } else {
                    openTotals.put(record.key(), record.value());
                }
            } else if (record.value() != null && merge(files, record)) {
                newRevisions.add(record);
            }
        }
        appendHistory(newRevisions);
        for (final Map.Entry<Path, Map<String, PeriodRecord>> file : files.entrySet()) {
            writeCsv(file.getKey(), file.getValue().values());
        }
        for (final String month : chargeMonths) {
            writeCharges(month);
        }
        for (final String month : reconciledMonths) {
            writeReconciliation(month);
        }
        if (alertsChanged) {
            writeAlerts();
        }
        for (final PositionedRecord record : records) {
            (record.source().topic().equals(totalsTopic) ? unwrittenTotals : positions)
                    .put(key(record.source()), record.nextOffset());
        }
        if (System.nanoTime() - totalsWrittenAt >= totalsInterval.toNanos()) {
            writeTotals();
        }
        writePositions();
        return List.copyOf(conflicts);
    }

    /** The sink has caught up: the totals applied since the file was last written go to it now. */
    @Override
    public void idle() throws IOException {
        if (!unwrittenTotals.isEmpty()) {
            writeTotals();
            writePositions();
        }
    }

    private void writeTotals() throws IOException {
        if (!unwrittenTotals.isEmpty()) {
            writeCsv(openTotalsFile, openTotals.values());
            positions.putAll(unwrittenTotals);
            unwrittenTotals.clear();
        }
        totalsWrittenAt = System.nanoTime();
    }

    /**
     * Merges a revision into its period file's rows (taken from the index once per batch); true if it is newer than
     * the latest revision held, i.e. not a revision delivered before.
     */
    private boolean merge(final Map<Path, Map<String, PeriodRecord>> files, final PositionedRecord from)
            throws IOException {
        final PeriodRecord record = from.value();
        final Path file = fileOf(record);
        Map<String, PeriodRecord> rows = files.get(file);
        if (rows == null) {
            rows = periods.latest(file);
            files.put(file, rows);
        }
        final PeriodRecord held = rows.get(record.periodKey());
        if (held != null && held.revision() >= record.revision()) {
            noteConflict(from, held, held.revision(), record, record.revision());
            return false;
        }
        rows.put(record.periodKey(), record);
        return true;
    }

    /**
     * Merges a charge line into the index; true if it is newer than the revision held, i.e. not delivered before.
     *
     * @param from where it was read; null when it comes from the history at start
     */
    private boolean mergeCharge(final ChargeLine charge, final PositionedRecord from) {
        final Map<String, ChargeLine> month = charges.computeIfAbsent(charge.month(), m -> new TreeMap<>());
        final ChargeLine held = month.get(charge.chargeKey());
        if (held != null && held.revision() >= charge.revision()) {
            noteConflict(from, held, held.revision(), charge, charge.revision());
            return false;
        }
        month.put(charge.chargeKey(), charge);
        return true;
    }

    /**
     * Merges a reconciliation line into the index; true if it is newer than the revision held.
     *
     * @param from where it was read; null when it comes from the history at start
     */
    private boolean mergeReconciliation(final Reconciliation line, final PositionedRecord from) {
        final Map<String, Reconciliation> month = reconciliation.computeIfAbsent(line.month(), m -> new TreeMap<>());
        final Reconciliation held = month.get(line.reconciliationKey());
        if (held != null && held.revision() >= line.revision()) {
            noteConflict(from, held, held.revision(), line, line.revision());
            return false;
        }
        month.put(line.reconciliationKey(), line);
        return true;
    }

    /**
     * A revision delivered again is the same record; one read from Kafka that differs from the one held is a conflict
     * (the history read at start has none: it holds only what was kept).
     */
    private void noteConflict(final PositionedRecord from, final Object held, final int heldRevision,
                              final Object record, final int revision) {
        if (from != null && heldRevision == revision) {
            final String differences = RecordDifferences.differingFields(held, record);
            if (!differences.isEmpty()) {
                conflicts.add(new RevisionConflict(from.source().topic(), from.key(), revision, differences));
            }
        }
    }

    private void writeReconciliation(final String month) throws IOException {
        atomicWrite(dir.resolve(RECONCILIATION).resolve(month + ".csv"),
                ReconciliationCsv.render(reconciliation.get(month).values()));
    }

    /** Merges an alert into the index; true if it tells something new (the episode, or its end). */
    private boolean mergeAlert(final Alert alert) {
        final Alert held = alerts.get(alert.alertId().toString());
        if (held != null && (held.resolvedAt() != null || alert.resolvedAt() == null)) {
            return false;
        }
        alerts.put(alert.alertId().toString(), alert);
        return true;
    }

    private void writeAlerts() throws IOException {
        if (!alerts.isEmpty()) {
            atomicWrite(dir.resolve(ALERTS), AlertCsv.render(alerts.values()));
        }
    }

    private void writeCharges(final String month) throws IOException {
        atomicWrite(dir.resolve(CHARGES).resolve(month + ".csv"), ChargeCsv.render(charges.get(month).values()));
    }

    /** Rebuilds the period, charge, reconciliation and alert indexes from {@code history.jsonl}. */
    private void loadIndexes() throws IOException {
        if (!Files.exists(history)) {
            return;
        }
        // a year has a few hundred period files and millions of lines: each file's path is worked out once
        final Map<PeriodPlace, Path> files = new HashMap<>();
        try (BufferedReader lines = Files.newBufferedReader(history, StandardCharsets.UTF_8)) {
            long offset = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                final int length = utf8Length(line);
                if (line.contains(CHARGE_SCHEMA)) {
                    mergeCharge(Json.mapper().readValue(line, ChargeHistoryLine.class).record(), null);
                } else if (line.contains(ALERT_SCHEMA)) {
                    mergeAlert(Json.mapper().readValue(line, AlertHistoryLine.class).record());
                } else if (line.contains(RECONCILIATION_SCHEMA)) {
                    mergeReconciliation(Json.mapper().readValue(line, ReconciliationHistoryLine.class).record(), null);
                } else {
                    final PeriodPlace place = PeriodPlace.of(line);
                    periods.locate(files.computeIfAbsent(place, this::fileOf), offset, length);
                }
                offset += length + 1;
            }
        }
    }

    /** How many bytes a line takes in UTF-8 (tenant names from remote servers need not be ASCII). */
    private static int utf8Length(final String line) {
        int bytes = 0;
        for (int i = 0; i < line.length(); i++) {
            final char c = line.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4; // with the low surrogate that follows
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** One line of {@code history.jsonl}: a revision and where it was read. */
    private record HistoryLine(String topic, int partition, long offset, Object record) {
    }

    /** A line of {@code history.jsonl} that holds a charge line, read without a tree so amounts keep their scale. */
    private record ChargeHistoryLine(String topic, int partition, long offset, ChargeLine record) {
    }

    /** The fields of a billing record that say which file it belongs to. */
    private record PeriodPlace(Granularity granularity, Instant periodStart, String zone) {

        /**
         * Read from a history line without binding the record, and only as far as those fields: the start reads
         * every line, and parsing each whole took four times as long as reading it.
         */
        static PeriodPlace of(final String line) throws IOException {
            String granularity = null;
            String periodStart = null;
            String zone = null;
            try (JsonParser parser = Json.mapper().getFactory().createParser(line)) {
                while ((granularity == null || periodStart == null || zone == null) && parser.nextToken() != null) {
                    if (parser.currentToken() == JsonToken.FIELD_NAME && parser.getParsingContext().getParent()
                            .getParent() != null) { // a field of the record, not of the line
                        switch (parser.currentName()) {
                            case "granularity" -> granularity = parser.nextTextValue();
                            case "periodStart" -> periodStart = parser.nextTextValue();
                            case "zone" -> zone = parser.nextTextValue();
                            default -> { }
                        }
                    }
                }
            }
            if (granularity == null || periodStart == null || zone == null) {
                throw new IOException("a billing line of the history without its period: " + line);
            }
            return new PeriodPlace(Granularity.valueOf(granularity), Instant.parse(periodStart), zone);
        }
    }

    /** A line of {@code history.jsonl} that holds a reconciliation line. */
    private record ReconciliationHistoryLine(String topic, int partition, long offset, Reconciliation record) {
    }

    /** A line of {@code history.jsonl} that holds an alert. */
    private record AlertHistoryLine(String topic, int partition, long offset, Alert record) {
    }

    /** The file of a record: by granularity and the local date its period starts on in its billing zone. */
    private Path fileOf(final PeriodRecord record) {
        return fileOf(new PeriodPlace(record.granularity(), record.periodStart(), record.zone()));
    }

    private Path fileOf(final PeriodPlace place) {
        final var start = place.periodStart().atZone(ZoneId.of(place.zone()));
        return place.granularity() == Granularity.DAY
                ? dir.resolve("day").resolve(DAY_FILE.format(start) + ".csv")
                : dir.resolve("month").resolve(MONTH_FILE.format(start) + ".csv");
    }

    private void appendHistory(final List<PositionedRecord> revisions) throws IOException {
        if (revisions.isEmpty()) {
            return;
        }
        final StringBuilder lines = new StringBuilder();
        final int[] lengths = new int[revisions.size()];
        for (int i = 0; i < revisions.size(); i++) {
            final PositionedRecord record = revisions.get(i);
            // written as text, not through a JSON tree: a tree would drop the trailing zeros of an amount (25.00)
            final String line = Json.mapper().writeValueAsString(new HistoryLine(record.source().topic(),
                    record.source().partition(), record.offset(), record.payload()));
            lengths[i] = utf8Length(line);
            lines.append(line).append('\n');
        }
        // a write that fails half-way (a full disk) leaves a cut last line, which recover() drops on the next start
        long offset;
        try (FileChannel channel = FileChannel.open(history, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            offset = channel.size();
            writeFully(channel, lines.toString());
        }
        for (int i = 0; i < revisions.size(); i++) {
            if (revisions.get(i).payload() instanceof PeriodRecord period) {
                periods.appended(fileOf(period), offset, lengths[i], period);
            }
            offset += lengths[i] + 1;
        }
    }

    /**
     * Resumes after a crash: drops a half-written last history line, then takes the position of every complete line
     * written after the last {@code positions.json}.
     *
     * @param chargeMonths gets the months of the charge lines among those, whose files must be rendered again
     * @param periodFiles  gets the day and month files of the billing records among those
     * @return true when there were such lines
     */
    private boolean recover(final Set<String> chargeMonths, final Set<Path> periodFiles) throws IOException {
        long historyBytes = 0;
        if (Files.exists(positionsFile)) {
            final JsonNode saved = Json.mapper().readTree(Files.readString(positionsFile));
            historyBytes = saved.path("historyBytes").asLong();
            if (saved.hasNonNull("readFrom")) {
                readFrom = Json.mapper().treeToValue(saved.get("readFrom"), SourceIdentity.class);
            }
            saved.path("positions").fields().forEachRemaining(entry ->
                    positions.put(entry.getKey(), entry.getValue().asLong()));
        }
        if (!Files.exists(history)) {
            return false;
        }
        final String tail;
        try (FileChannel channel = FileChannel.open(history, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            final long size = channel.size();
            long complete = size;
            final ByteBuffer one = ByteBuffer.allocate(1);
            while (complete > 0) {
                one.clear();
                channel.read(one, complete - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                complete--;
            }
            if (complete < size) {
                channel.truncate(complete); // a line cut by a crash: its record was never acknowledged
                channel.force(true);
            }
            // only lines after the last positions.json can be newer than it: at most one batch
            final long from = Math.min(historyBytes, complete);
            final ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(complete - from));
            channel.read(buffer, from);
            tail = new String(buffer.array(), StandardCharsets.UTF_8);
        }
        boolean redoneOthers = false;
        for (final String line : tail.split("\n")) {
            if (!line.isBlank()) {
                final JsonNode node = Json.mapper().readTree(line);
                positions.merge(node.get("topic").asText() + "-" + node.get("partition").asInt(),
                        node.get("offset").asLong() + 1, Math::max);
                if (line.contains(CHARGE_SCHEMA)) {
                    chargeMonths.add(node.get("record").get("month").asText());
                } else if (line.contains(ALERT_SCHEMA) || line.contains(RECONCILIATION_SCHEMA)) {
                    redoneOthers = true; // their files are rendered again from the whole index
                } else {
                    periodFiles.add(fileOf(PeriodPlace.of(line)));
                }
            }
        }
        return !periodFiles.isEmpty() || !chargeMonths.isEmpty() || redoneOthers;
    }

    private void writePositions() throws IOException {
        final ObjectNode saved = Json.mapper().createObjectNode();
        saved.put("historyBytes", Files.exists(history) ? Files.size(history) : 0);
        saved.set("readFrom", Json.mapper().valueToTree(readFrom));
        final ObjectNode byPartition = saved.putObject("positions");
        positions.forEach(byPartition::put);
        atomicWrite(positionsFile, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(saved) + "\n");
    }

    private static List<PeriodRecord> readCsv(final Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        final List<PeriodRecord> records = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             MappingIterator<List<String>> rows = CSV.readerForListOf(String.class)
                     .with(CsvParser.Feature.WRAP_AS_ARRAY).readValues(in)) {
            final List<String> header = rows.hasNext() ? rows.next() : List.of();
            while (rows.hasNext()) {
                records.add(CsvColumns.parse(header, rows.next()));
            }
        }
        return records;
    }

    private static void writeCsv(final Path file, final Collection<PeriodRecord> records) throws IOException {
        atomicWrite(file, CsvColumns.render(records.stream()
                .sorted(Comparator.comparing(PeriodRecord::tenantId).thenComparing(PeriodRecord::licenseType)
                        .thenComparing(PeriodRecord::sourceId).thenComparing(PeriodRecord::granularity)
                        .thenComparing(PeriodRecord::periodStart))
                .toList()));
    }

    /**
     * Readers see the old file or the new one, never half of either: the new content goes to a temporary file, which
     * replaces the old one only once every byte of it is on disk. A write that fails (a full disk) leaves the old file
     * as it was and removes the temporary one.
     */
    private static void atomicWrite(final Path file, final String content) throws IOException {
        Files.createDirectories(file.getParent());
        final Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(channel, content);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (final AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Writes every byte and forces it to disk. A channel may write fewer bytes than asked (a disk filling up does
     * this before it fails), so one call is not enough.
     */
    private static void writeFully(final FileChannel channel, final String content) throws IOException {
        final ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        channel.force(true);
    }

    private static String key(final TopicPartition partition) {
        return partition.topic() + "-" + partition.partition();
    }

    private static TopicPartition partition(final String key) {
        final int dash = key.lastIndexOf('-');
        return new TopicPartition(key.substring(0, dash),
                Integer.parseInt(key.substring(dash + 1)));
    }

    @Override
    public void close() throws IOException {
        idle(); // every other write is complete and durable when write() returns
    }
}
