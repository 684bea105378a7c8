package io.usagepipeline.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.usagepipeline.events.Alert;
import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.Json;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.Reconciliation;
import io.usagepipeline.events.RecordDifferences;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 *   <li>{@code reconciliation/2026-03.csv}: the latest revision of every reconciliation line of that month
 *       ({@link ReconciliationCsv});</li>
 *   <li>{@code alerts.csv}: every alert episode, with its end once it has one ({@link AlertCsv});</li>
 *   <li>{@code history.jsonl}: every revision of a billing record, a charge line or a reconciliation line, and every
 *       alert, exactly once, one JSON line each with the topic, partition and offset it came from;</li>
 *   <li>{@code open-totals.csv}: the current rolling total of every open period, rewritten at most once a second
 *       while totals stream in, and whenever the sink has caught up ({@link #idle()}) or stops;</li>
 *   <li>{@code positions.json}: where to resume, and the Kafka cluster and topic ids those positions belong to.</li>
 * </ul>
 * Exactly once after any crash: {@code history.jsonl} is the write-ahead log ({@link HistoryLog}). A batch first
 * appends the revisions that are newer than the latest one held (so a record delivered twice is written once), then
 * rewrites the files they change, then {@code positions.json}. On start, the files that history lines after the last
 * {@code positions.json} belong to are rendered again, and those lines give the resume point.
 *
 * <p>The files are outputs, never state: each is rendered from an index rebuilt from {@code history.jsonl} on start
 * (where the latest revision of every period lies, {@link PeriodIndex}; the latest revision of every charge and
 * reconciliation line; the latest state of every alert episode), not read back from the CSV, which cannot hold every
 * field exactly and which a person may have opened and changed.
 */
public final class DirectoryWriter implements BillingWriter {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryWriter.class);
    private static final CsvMapper CSV = new CsvMapper();
    private static final String POSITIONS = "positions.json";
    private static final String OPEN_TOTALS = "open-totals.csv";
    private static final String CHARGES = "charges";
    private static final String ALERTS = "alerts.csv";
    private static final String RECONCILIATION = "reconciliation";
    /** Everything this writer owns in its directory; other files there (a config, notes) are left alone. */
    private static final List<String> OWNED = List.of("day", "month", CHARGES, ALERTS, RECONCILIATION, HistoryLog.NAME,
            OPEN_TOTALS, POSITIONS);
    /** Totals change with every poll; the file of them need not be rewritten and made durable more often. */
    private static final Duration TOTALS_INTERVAL = Duration.ofSeconds(1);
    private static final DateTimeFormatter MOVED_AT = DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final Path dir;
    private final OutputLock lock;
    private final HistoryLog history;
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
        this.lock = OutputLock.take(this.dir); // before anything is read or repaired: another sink may be writing
        try {
            this.history = new HistoryLog(this.dir.resolve(HistoryLog.NAME));
            this.positionsFile = this.dir.resolve(POSITIONS);
            this.openTotalsFile = this.dir.resolve(OPEN_TOTALS);
            this.totalsTopic = totalsTopic;
            this.periods = new PeriodIndex(history.file());
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
        } catch (final IOException | RuntimeException e) {
            lock.close(); // a writer that failed to open holds nothing
            throw e;
        }
    }

    /**
     * Checks that no sink is writing {@code dir} now, for a command about to move or replace the folder (the demo's
     * earlier output): its lock is taken and let go at once.
     *
     * @throws OutputInUseException a sink, a demo's included, is writing it
     */
    public static void requireIdle(final Path dir) throws IOException {
        try (OutputLock lock = OutputLock.take(dir.toAbsolutePath().normalize())) {
            // nobody holds it
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
    public Written write(final List<PositionedRecord> records) throws IOException {
        conflicts.clear();
        final Map<Path, Map<String, PeriodRecord>> files = new LinkedHashMap<>();
        final List<PositionedRecord> newRevisions = new ArrayList<>();
        final List<PositionedRecord> held = new ArrayList<>();
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
                } else {
                    held.add(record);
                }
            } else if (record.reconciliation() != null) {
                if (mergeReconciliation(record.reconciliation(), record)) {
                    newRevisions.add(record);
                    reconciledMonths.add(record.reconciliation().month());
                } else {
                    held.add(record);
                }
            } else if (record.source().topic().equals(totalsTopic)) {
                if (record.value() == null) {
                    openTotals.remove(record.key());
                } else {
                    openTotals.put(record.key(), record.value());
                }
            } else if (record.value() != null) {
                (merge(files, record) ? newRevisions : held).add(record);
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
        return new Written(held, List.copyOf(conflicts));
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
        DurableFiles.replace(dir.resolve(RECONCILIATION).resolve(month + ".csv"),
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
            DurableFiles.replace(dir.resolve(ALERTS), AlertCsv.render(alerts.values()));
        }
    }

    private void writeCharges(final String month) throws IOException {
        DurableFiles.replace(dir.resolve(CHARGES).resolve(month + ".csv"),
                ChargeCsv.render(charges.get(month).values()));
    }

    /** Rebuilds the period, charge, reconciliation and alert indexes from {@code history.jsonl}. */
    private void loadIndexes() throws IOException {
        // a year has a few hundred period files and millions of lines: each file's path is worked out once
        final Map<PeriodPlace, Path> files = new HashMap<>();
        history.scan((line, at) -> {
            switch (HistoryLog.Kind.of(line)) {
                case CHARGE -> mergeCharge(HistoryLog.charge(line), null);
                case RECONCILIATION -> mergeReconciliation(HistoryLog.reconciliation(line), null);
                case ALERT -> mergeAlert(HistoryLog.alert(line));
                case BILLING -> periods.locate(
                        files.computeIfAbsent(HistoryLog.place(line), place -> place.fileIn(dir)), at.offset(),
                        at.length());
            }
        });
    }

    private Path fileOf(final PeriodRecord record) {
        return PeriodPlace.of(record).fileIn(dir);
    }

    private void appendHistory(final List<PositionedRecord> revisions) throws IOException {
        final List<HistoryLog.Location> appended = history.append(revisions);
        for (int i = 0; i < revisions.size(); i++) {
            if (revisions.get(i).payload() instanceof PeriodRecord period) {
                periods.appended(fileOf(period), appended.get(i).offset(), appended.get(i).length(), period);
            }
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
        boolean redoneOthers = false;
        // only lines after the last positions.json can be newer than it: at most one batch
        for (final String line : history.recover(historyBytes)) {
            final HistoryLog.ReadAt at = HistoryLog.readAt(line);
            positions.merge(key(at.topicPartition()), at.offset() + 1, Math::max);
            switch (HistoryLog.Kind.of(line)) {
                case CHARGE -> chargeMonths.add(HistoryLog.charge(line).month());
                case RECONCILIATION, ALERT -> redoneOthers = true; // their files are rendered again from the index
                case BILLING -> periodFiles.add(HistoryLog.place(line).fileIn(dir));
            }
        }
        return !periodFiles.isEmpty() || !chargeMonths.isEmpty() || redoneOthers;
    }

    private void writePositions() throws IOException {
        final ObjectNode saved = Json.mapper().createObjectNode();
        saved.put("historyBytes", history.size());
        saved.set("readFrom", Json.mapper().valueToTree(readFrom));
        final ObjectNode byPartition = saved.putObject("positions");
        positions.forEach(byPartition::put);
        DurableFiles.replace(positionsFile,
                Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(saved) + "\n");
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
        DurableFiles.replace(file, CsvColumns.render(records.stream()
                .sorted(Comparator.comparing(PeriodRecord::tenantId).thenComparing(PeriodRecord::licenseType)
                        .thenComparing(PeriodRecord::sourceId).thenComparing(PeriodRecord::granularity)
                        .thenComparing(PeriodRecord::periodStart))
                .toList()));
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
        try (lock) {
            idle(); // every other write is complete and durable when write() returns
        }
    }

    /** What a crash leaves of a writer: its lock let go, nothing held back written. For the tests of recovery. */
    void crash() throws IOException {
        lock.close();
    }
}
