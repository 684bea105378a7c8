package io.usagepipeline.cli.command;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.usagepipeline.cli.config.LetterheadSettings;
import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.cli.run.CollectorConfigPrinter;
import io.usagepipeline.cli.run.DemoIncidents;
import io.usagepipeline.cli.run.DemoSummary;
import io.usagepipeline.cli.run.KafkaCheck;
import io.usagepipeline.cli.run.RunSettings;
import io.usagepipeline.cli.run.ShellWord;
import io.usagepipeline.collector.Collector;
import io.usagepipeline.collector.CollectorMetrics;
import io.usagepipeline.collector.CollectorService;
import io.usagepipeline.collector.RawPublisher;
import io.usagepipeline.collector.config.Source;
import io.usagepipeline.collector.config.CollectorSettings;
import io.usagepipeline.collector.poll.PollSettings;
import io.usagepipeline.collector.poll.Poller;
import io.usagepipeline.embedded.EmbeddedKafkaBroker;
import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.CommittedRecords;
import io.usagepipeline.events.GroupProgress;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.Topics;
import io.usagepipeline.processor.ProcessorConfig;
import io.usagepipeline.processor.ProcessorMetrics;
import io.usagepipeline.processor.ProcessorService;
import io.usagepipeline.processor.ProcessorSettings;
import io.usagepipeline.processor.UsageProcessor;
import io.usagepipeline.rating.Rater;
import io.usagepipeline.rating.RaterSettings;
import io.usagepipeline.rating.RaterMetrics;
import io.usagepipeline.rating.RaterService;
import io.usagepipeline.rating.RatingRun;
import io.usagepipeline.rating.RatingTopology;
import io.usagepipeline.rating.card.RatingConfig;
import io.usagepipeline.report.IndexPage;
import io.usagepipeline.report.Letterhead;
import io.usagepipeline.report.MonthData;
import io.usagepipeline.report.Statements;
import io.usagepipeline.runtime.Directories;
import io.usagepipeline.runtime.ExitCodes;
import io.usagepipeline.runtime.HealthBounds;
import io.usagepipeline.runtime.Progress;
import io.usagepipeline.runtime.Runner;
import io.usagepipeline.runtime.Service;
import io.usagepipeline.runtime.config.ConfigException;
import io.usagepipeline.simulator.SimulatorOptions;
import io.usagepipeline.simulator.SimulatorServer;
import io.usagepipeline.simulator.VirtualClock;
import io.usagepipeline.sink.DirectoryWriter;
import io.usagepipeline.sink.OutputInUseException;
import io.usagepipeline.sink.SinkConfig;
import io.usagepipeline.sink.SinkMetrics;
import io.usagepipeline.sink.SinkService;
import io.usagepipeline.sink.SinkSettings;
import io.usagepipeline.sink.StaleOutputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
                "The whole pipeline on this machine: an embedded Kafka, a simulated fleet of Veeam appliances whose "
                        + "clock fast-forwards from --days ago to now, the real collector polling them over HTTP "
                        + "slot by slot, the processor, the rater (with a sample rate card) and the sink writing "
                        + "billing and charge files to --out.",
                "Ends with last month's billing per tenant and license type, each tenant's amount, cost and "
                        + "margin, and its statements in --out/statements/ (open index.html)."})
public final class DemoCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);
    private static final Duration WAIT = Duration.ofSeconds(120);
    /**
     * The collector's settings in the demo: as in production, but retrying after milliseconds instead of seconds,
     * since the appliances' clock is virtual and waiting real seconds would only slow the catch-up.
     */
    private static final PollSettings CATCH_UP_POLLS = new PollSettings(DemoIncidents.ATTEMPTS, Duration.ofMillis(10),
            Duration.ofMillis(100), PollSettings.DEFAULTS.requestTimeout(), PollSettings.DEFAULTS.pollDeadline(),
            PollSettings.DEFAULTS.maxPollBytes());
    /** The configuration the demo ran with, written to --out. */
    public static final String CONFIG_FILE = "demo-pipeline.yaml";
    /** Files of which any one marks a directory as an earlier run's output. */
    private static final List<String> EARLIER_RUN = List.of(CONFIG_FILE, "positions.json", "history.jsonl");
    private static final DateTimeFormatter MOVED_AT = DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "usage-out",
            description = "Where the billing files go. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Mixin
    FleetOptions fleet;

    @Option(names = "--days", paramLabel = "N",
            description = "How far back the virtual clock starts. Default: 45, or back to the first day of last "
                    + "month when that is further, so that the month the demo bills is a whole one.")
    Integer days;

    @Option(names = "--poll-interval", paramLabel = "DURATION", defaultValue = "PT1H",
            description = "Virtual time between polls. Default: ${DEFAULT-VALUE}.")
    Duration pollInterval;

    @Option(names = "--follow",
            description = "After catching up, keep polling in real time (slot by slot) until Ctrl-C.")
    boolean follow;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Use this Kafka instead of an embedded broker. The demo's topics (no prefix) stay there, so "
                    + "'replay' and 'raw export' can read them afterwards with the config the demo writes to --out. "
                    + "Their topics must hold no records yet (refused otherwise): one demo per broker.")
    String bootstrapServers;

    @Mixin
    JdbcOptions jdbc;

    @Option(names = "--history-only",
            description = "Only publish the simulated days' raw polls to --bootstrap-servers and exit, for a "
                    + "pipeline that runs elsewhere: the compose file fills its Kafka this way, so that FINAL "
                    + "records appear within minutes instead of after the first real day.")
    boolean historyOnly;

    @Option(names = "--reset-output",
            description = "Empty the tables of the --jdbc-url database first, when they hold another run (the files "
                    + "in --out are always a fresh run's).")
    boolean resetOutput;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;


    @Override
    public Integer call() throws Exception {
        final Instant now = Instant.now(); // the simulated history's end, and the day its default length counts from
        if (days == null) {
            days = defaultDays(LocalDate.ofInstant(now, ZoneOffset.UTC));
        }
        try {
            checkOptions();
            checkKafka();
            freshOut();
            return run(now);
        } catch (final StaleOutputException e) {
            spec.commandLine().getErr().println("demo: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    /**
     * 45 days, or more from about a month's 16th on: back to the first day of last month, the month the demo bills,
     * which a history begun within it would bill in part.
     */
    static int defaultDays(final LocalDate today) {
        return (int) Math.max(45, ChronoUnit.DAYS.between(today.withDayOfMonth(1).minusMonths(1), today));
    }

    /** Options it cannot run with are refused before an earlier run's files are moved aside. */
    private void checkOptions() {
        fleet.tenants();
        if (days < 1) {
            throw new ConfigException("--days must be at least 1, not " + days + ": the demo's history starts that "
                    + "many days ago");
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new ConfigException("--poll-interval must be a positive duration, not " + pollInterval);
        }
        sinkSettings(); // the --jdbc-* options
    }

    /** A Kafka given with --bootstrap-servers answers, and holds no pipeline's records unless --history-only. */
    private void checkKafka() {
        if (historyOnly && bootstrapServers == null) {
            throw new ConfigException("--history-only publishes to a Kafka that outlives the demo: give "
                    + "--bootstrap-servers");
        }
        if (bootstrapServers == null) {
            return;
        }
        final PipelineConfig kafka = PipelineConfig.load(null, Map.of(), PipelineConfig.Flags.none()
                .kafka("bootstrap.servers", bootstrapServers, "--bootstrap-servers"));
        KafkaCheck.require(kafka);
        if (!historyOnly) {
            // its processor and rater start with no state, and its sink would keep what is there already
            KafkaCheck.requireUnused(kafka, "--bootstrap-servers", "the demo runs a pipeline of its own, whose "
                    + "figures would mix with those: give it a Kafka with none (a new broker, 'usage-pipeline "
                    + "broker --data-dir' with a new directory)", Topics.RAW.name(""), Topics.BILLING_RECORDS.name(""),
                    Topics.CHARGES.name(""));
        }
    }

    private Integer run(final Instant now) throws Exception {
        final Path work = Files.createTempDirectory("usage-pipeline-demo-");
        try {
            if (bootstrapServers != null) {
                return run(bootstrapServers, false, work, now);
            }
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
                return run(broker.bootstrapServers(), true, work, now);
            }
        } finally {
            Directories.deleteRecursively(work); // the processor's local state
        }
    }

    private Integer run(final String bootstrap, final boolean embedded, final Path work, final Instant now)
            throws Exception {
        final PrintWriter console = spec.commandLine().getOut();
        final Instant first = Collector.slotStart(now.minus(Duration.ofDays(days)).truncatedTo(ChronoUnit.DAYS),
                pollInterval);
        final VirtualClock clock = new VirtualClock(first, 1e-9, Clock.systemUTC()); // moved slot by slot below

        console.printf("usage-pipeline demo: %d tenants, %d days of hourly usage up to now, %s%n", fleet.tenants(),
                days, historyOnly ? "raw polls to " + bootstrap : "files in " + out.toAbsolutePath());
        try (SimulatorServer simulator = SimulatorServer.start(SimulatorOptions.defaults(fleet.tenants(), fleet.seed(),
                clock));
             Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            new TopicProvisioner(admin, "", 3, 0).ensureAll();
            // kept in --out: a replay needs the processor settings in it (zones, maxGap, grace, horizon); the
            // simulator's passwords stay in the work directory, out of the billing folder
            final Path configFile = Files.writeString(Files.createDirectories(out).resolve(CONFIG_FILE),
                    CollectorConfigPrinter.print(simulator, bootstrap, work.resolve("secrets")) + "\n"
                            + sampleRateCard());
            final PipelineConfig config = PipelineConfig.load(configFile, Map.of(), PipelineConfig.Flags.none());
            final List<Source> sources = CollectorSettings.bind(config).sources();
            final String appId = "usage-pipeline-demo-" + Long.toHexString(now.toEpochMilli());
            final Map<String, Object> kafka = Map.of("bootstrap.servers", bootstrap);
            final PrometheusMeterRegistry registry = Runner.registry();

            final DemoIncidents incidents = DemoIncidents.plant(simulator, now, pollInterval);
            final List<Poller> pollers = new ArrayList<>();
            for (final Source source : sources) {
                pollers.add(new Poller(source, CATCH_UP_POLLS, clock));
            }
            if (historyOnly) {
                try (RawPublisher publisher = new RawPublisher(kafka, "");
                     Collector collector = new Collector(pollers, publisher, new CollectorMetrics(registry,
                             Clock.systemUTC()), clock, 16)) {
                    final int polls = catchUp(collector, clock, first, now, incidents, console);
                    console.printf("published %s raw polls of %d simulated days to %s; the pipeline there bills "
                            + "them%n", Progress.count(polls), days, bootstrap);
                }
                return ExitCodes.OK;
            }
            final RaterMetrics raterMetrics = new RaterMetrics(registry);
            final long reconciledBefore = CommittedRecords.count(kafka, Topics.RECONCILIATION.name(""));
            final List<Service> services = pipeline(config, appId, kafka, registry, raterMetrics, work,
                    YearMonth.from(first.atZone(ZoneOffset.UTC)));
            try (Runner runner = new Runner(services, registry, Runner.Endpoints.NONE, RunSettings.CLOSE_TIMEOUT);
                 RawPublisher publisher = new RawPublisher(kafka, "");
                 Collector collector = new Collector(pollers, publisher, new CollectorMetrics(registry,
                         Clock.systemUTC()), clock, 16)) {
                runner.start();
                final int polls = catchUp(collector, clock, first, now, incidents, console);
                console.println("waiting for the processor, the rater and the sink to catch up...");
                awaitCaughtUp(admin, appId, List.of(Topics.RAW.name("")));
                awaitCaughtUp(admin, appId + "-sink", List.of(Topics.BILLING_RECORDS.name(""),
                        Topics.TOTALS.name("")));
                final YearMonth lastMonth = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
                awaitPriced(lastMonth);
                awaitReconciled(admin, kafka, appId, raterMetrics, reconciledBefore);
                new DemoSummary(out, out.resolve(CONFIG_FILE), days, jdbc.url).print(console, polls);
                statements(console, kafka, lastMonth, LetterheadSettings.bind(config));
                if (!embedded) {
                    // the replay's file goes beside the demo's, not into whatever folder the command is run from
                    console.printf("%nThe raw polls stay on %s. To recompute them and compare with the live "
                            + "records:%n  usage-pipeline replay -c %s --from %s --to %s --compare --out %s%n",
                            bootstrap, ShellWord.of(configFile.toAbsolutePath().toString()), first,
                            now.truncatedTo(ChronoUnit.SECONDS),
                            ShellWord.of(out.resolve("replay.jsonl").toAbsolutePath().toString()));
                }
                if (follow) {
                    follow(runner, collector, publisher, clock, console, kafka);
                }
            }
        }
        return ExitCodes.OK;
    }

    /**
     * The processor, the rater and the sink, as {@code process}, {@code rate} and {@code sink} run them, under this
     * run's application ids, with their state in {@code work}.
     *
     * @param firstMonth the simulated history's first month, the first the rater prices
     */
    private List<Service> pipeline(final PipelineConfig config, final String appId, final Map<String, Object> kafka,
                                   final PrometheusMeterRegistry registry, final RaterMetrics raterMetrics,
                                   final Path work, final YearMonth firstMonth) throws Exception {
        final ProcessorConfig billing = ProcessorSettings.bind(config, "").billing();
        final ProcessorMetrics processorMetrics = new ProcessorMetrics(registry, Clock.systemUTC());
        final Supplier<UsageProcessor> processors = () -> new UsageProcessor(billing, processorMetrics,
                UsageProcessor.streamsConfig(appId, kafka, work.resolve("state")));
        final RatingConfig card = RaterSettings.bind(config, firstMonth).card();
        final Supplier<Rater> raters = () -> new Rater(card, raterMetrics,
                Rater.streamsConfig(appId + "-rater", kafka, work.resolve("rater-state")), RatingRun.live(""));
        final SinkSettings sinkSettings = sinkSettings();
        final SinkService sink = SinkService.open(new SinkConfig("", appId + "-sink", 500, Duration.ofMillis(200),
                resetOutput), kafka, sinkSettings.outputs(), new SinkMetrics(registry, Clock.systemUTC()),
                sinkSettings.databaseTimeout(), RunSettings.probe(kafka), HealthBounds.DEFAULTS, Clock.systemUTC());
        return List.of(
                new ProcessorService(processors, RunSettings.probe(kafka), HealthBounds.DEFAULTS, WAIT, registry,
                        Clock.systemUTC()),
                new RaterService(raters, RunSettings.probe(kafka), HealthBounds.DEFAULTS, WAIT, registry,
                        Clock.systemUTC()),
                sink);
    }

    /** Last month's statements, once the sink has its charges, and the tenants whose month is known in part. */
    private void statements(final PrintWriter console, final Map<String, Object> kafka, final YearMonth month,
                            final Letterhead letterhead) throws IOException {
        if (!Files.exists(out.resolve("charges").resolve(month + ".csv"))) {
            return; // no month has closed yet
        }
        final IndexPage.Index index = Statements.write(out.resolve("statements"), MonthData.read(kafka, "", month),
                Optional.empty(), letterhead);
        console.printf("Statements for %s: %s%n", month, index.file().toAbsolutePath());
        if (!index.partlyKnown().isEmpty()) { // the history began within the month
            console.printf("  known for part of the month only (the history starts %d days ago): %s%n", days,
                    String.join(", ", index.partlyKnown()));
        }
    }

    /**
     * Makes {@code --out} a clean directory, so that its files are this run's alone: an earlier run's output is moved
     * aside (its positions belong to another broker), anything else in it is refused rather than touched.
     */
    private void freshOut() throws IOException {
        final Path dir = out.toAbsolutePath().normalize();
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("--out " + dir + " is a file; give a directory");
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isEmpty()) {
                return;
            }
        }
        if (EARLIER_RUN.stream().noneMatch(name -> Files.exists(dir.resolve(name)))
                || Path.of("").toAbsolutePath().startsWith(dir)) {
            throw new ConfigException("--out " + dir + " is not empty and is not an earlier demo's output; give an "
                    + "empty or new directory");
        }
        try {
            DirectoryWriter.requireIdle(dir);
        } catch (final OutputInUseException e) {
            // moved aside under it, a running demo (or sink) would go on writing half its files into the new run's
            throw new ConfigException("--out " + dir + " is being written by a demo or sink still running"
                    + (e.holder().isEmpty() ? "" : " (" + e.holder() + ")") + "; stop it, or give another --out");
        }
        final Path aside = dir.resolveSibling(dir.getFileName() + ".previous-" + MOVED_AT.format(Instant.now()));
        Files.move(dir, aside);
        spec.commandLine().getOut().printf("moved the earlier run's files in %s aside to %s%n", dir, aside);
    }

    /** Moves the simulator's clock slot by slot and runs the real collector on each. */
    private int catchUp(final Collector collector, final VirtualClock clock, final Instant first, final Instant now,
                        final DemoIncidents incidents, final PrintWriter console) throws InterruptedException {
        final long slots = Duration.between(first, now).dividedBy(pollInterval);
        final Progress progress = new Progress(console, System.console() != null, slots);
        int polls = 0;
        int failed = 0;
        long done = 0;
        for (Instant slot = first; slot.isBefore(now); slot = slot.plus(pollInterval)) {
            clock.set(slot.plusSeconds(30)); // each poll happens half a minute into its slot
            incidents.beforeSlot(slot);
            final Collector.SlotResult result = collector.pollSlot(slot, Duration.ZERO);
            polls += result.complete() + result.failed();
            failed += result.failed();
            progress.update(++done, slot.atOffset(ZoneOffset.UTC).toLocalDate() + "  " + Progress.count(polls)
                    + " polls, " + Progress.count(failed) + " failed");
        }
        progress.finish(Progress.count(polls) + " polls, " + Progress.count(failed) + " failed");
        return polls;
    }

    /**
     * From now on in real time: the simulated appliances' clock runs with the wall clock, and the collector polls
     * every slot as a service beside the processor and the sink, until Ctrl-C or until one of them fails.
     */
    private void follow(final Runner pipeline, final Collector collector, final RawPublisher publisher,
                        final VirtualClock clock, final PrintWriter console, final Map<String, Object> kafka)
            throws Exception {
        clock.set(Instant.now());
        clock.speed(1);
        console.printf("%nfollowing in real time, polling every %s; rolling totals in %s. Ctrl-C to stop.%n",
                pollInterval, out.resolve("open-totals.csv").toAbsolutePath());
        console.flush();
        try (Runner collecting = new Runner(List.of(new CollectorService(collector, publisher,
                RunSettings.probe(kafka), HealthBounds.DEFAULTS, pollInterval)),
                Runner.registry(), Runner.Endpoints.NONE, RunSettings.CLOSE_TIMEOUT)) {
            collecting.start();
            final int code = collecting.awaitEnd();
            if (code != ExitCodes.OK) {
                LOG.error("the demo's collector stopped: {}", collecting.health());
            }
        }
        LOG.info("demo stopping; pipeline health {}", pipeline.health());
    }

    /** The sink's settings: its outputs (the files in --out, the database of the --jdbc-* options), the defaults. */
    private SinkSettings sinkSettings() {
        // no USAGE_PIPELINE_* variable reaches the demo's outputs: only the one --jdbc-password-env names
        final String password = jdbc.passwordEnv == null ? null : System.getenv(jdbc.passwordEnv);
        return SinkSettings.bind(PipelineConfig.load(null,
                password == null ? Map.of() : Map.of(jdbc.passwordEnv, password),
                jdbc.applyTo(PipelineConfig.Flags.none().set(SinkSettings.CSV_DIR, out.toString(), "--out"))));
    }

    /** Waits until a consumer group has committed the end of every partition of its topics. */
    private static void awaitCaughtUp(final Admin admin, final String group, final List<String> topics)
            throws ExecutionException, InterruptedException {
        new GroupProgress(admin, group).await(GroupProgress.endOffsets(admin, topics), 0, WAIT, remaining -> { });
    }

    /**
     * Waits until every reconciliation line the rater published has reached the sink's files: the rater has read all
     * its input and rated every month it holds, its lines are committed on the topic (this run's count of them,
     * whatever an earlier run left there), and the sink has read them.
     */
    private static void awaitReconciled(final Admin admin, final Map<String, Object> kafka, final String appId,
                                        final RaterMetrics metrics, final long before) throws Exception {
        final String raterId = appId + "-rater";
        awaitCaughtUp(admin, raterId, List.of(Topics.BILLING_RECORDS.name(""), Topics.REPORTS.name(""),
                RatingTopology.repartitionTopic(raterId)));
        final String topic = Topics.RECONCILIATION.name("");
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (metrics.pendingMonths() > 0
                || CommittedRecords.count(kafka, topic) - before < metrics.reconciliationLines()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the rater has not reconciled every month within " + WAIT.toSeconds()
                        + " s; the log says why");
            }
            Thread.sleep(200); // months settle for a few seconds before they are rated; look again after a moment
        }
        awaitCaughtUp(admin, appId + "-sink", List.of(topic));
    }

    /**
     * Waits until the sink's charges file of {@code month} holds, for every tenant of the month file, a TOTAL priced
     * from exactly the billing records that file holds: then every tenant's month is priced from its latest records.
     */
    private void awaitPriced(final YearMonth month) throws IOException, InterruptedException {
        final Path usage = out.resolve("month").resolve(month + ".csv");
        if (!Files.exists(usage)) {
            return; // no month has closed yet: nothing to price
        }
        final Map<String, Set<String>> expected = new TreeMap<>();
        DemoSummary.rows(usage).forEach(row -> expected.computeIfAbsent(row.get("tenantId"),
                tenant -> new TreeSet<>()).add(row.get("recordId")));
        final Path charges = out.resolve("charges").resolve(month + ".csv");
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            final Map<String, Set<String>> priced = new TreeMap<>();
            if (Files.exists(charges)) {
                DemoSummary.rows(charges).stream().filter(row -> row.get("line").equals(ChargeLine.TOTAL))
                        .forEach(row -> priced.put(row.get("tenantId"), new TreeSet<>(List.of(
                                row.get("billingRecordIds").split(" ")))));
            }
            if (priced.equals(expected)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the rater has not priced every tenant's " + month + " within "
                        + WAIT.toSeconds() + " s; the log says why");
            }
            Thread.sleep(200); // the sink writes each batch within its batch delay; look again after a moment
        }
    }

    private static String sampleRateCard() throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream("/demo-rate-card.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
