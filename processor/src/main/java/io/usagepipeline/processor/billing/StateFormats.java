package io.usagepipeline.processor.billing;

import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.SourceKind;
import io.usagepipeline.processor.state.StateReader;
import io.usagepipeline.processor.state.StateSerde;
import io.usagepipeline.processor.state.StateWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The serdes of the billing state. The series and period stores held JSON in the first format and a slightly
 * different binary layout in format 1: those values still read (the fields that moved elsewhere are dropped), and
 * are written back in the current format when they next change.
 */
public final class StateFormats {

    public static final StateSerde<SeriesState> SERIES = StateSerde.upgrading(SeriesState.class,
            StateFormats::writeSeries, StateFormats::readSeries, JsonSeriesState.class, JsonSeriesState::upgrade);

    public static final StateSerde<PeriodState> PERIOD = StateSerde.upgrading(PeriodState.class,
            StateFormats::writePeriodFields, StateFormats::readPeriod, JsonPeriodState.class, JsonPeriodState::upgrade);

    public static final StateSerde<ObservedLevel> LEVEL = StateSerde.of(ObservedLevel.class,
            (out, level) -> out.decimal(level.units()).number(level.count()),
            in -> new ObservedLevel(in.decimal(), in.number()));

    public static final StateSerde<DayLevels> DAY = StateSerde.of(DayLevels.class, StateFormats::writeDay,
            StateFormats::readDay);

    private StateFormats() {
    }

    private static void writeDay(final StateWriter out, final DayLevels day) {
        out.number(day.levels().size());
        day.levels().forEach(observed -> out.instant(observed.at()).decimal(observed.level().units())
                .number(observed.level().count()));
    }

    private static DayLevels readDay(final StateReader in) {
        final List<DayLevels.Observed> levels = new ArrayList<>();
        for (long i = in.number(); i > 0; i--) {
            levels.add(new DayLevels.Observed(in.instant(), new ObservedLevel(in.decimal(), in.number())));
        }
        return new DayLevels(levels);
    }

    private static void writeSeries(final StateWriter out, final SeriesState series) {
        out.string(series.tenantId()).string(series.sourceId()).string(series.sourceKind().name())
                .string(series.licenseType()).string(series.unit()).instant(series.lastObservedAt())
                .decimal(series.lastUnits()).number(series.lastCount()).number(series.open().size());
        series.open().forEach(period -> writePeriodFields(out, period));
    }

    /** Format 1 kept a series' open periods in stores of their own: such a series reads with none here. */
    private static SeriesState readSeries(final StateReader in) {
        final String tenantId = in.string();
        final String sourceId = in.string();
        final SourceKind sourceKind = SourceKind.valueOf(in.string());
        final String licenseType = in.string();
        final String unit = in.string();
        final Instant lastObservedAt = in.instant();
        final BigDecimal lastUnits = in.decimal();
        final long lastCount = in.number();
        final List<PeriodState> open = new ArrayList<>();
        for (long i = in.version() == 1 ? 0 : in.number(); i > 0; i--) {
            open.add(readPeriodFields(in));
        }
        return new SeriesState(tenantId, sourceId, sourceKind, licenseType, unit, lastObservedAt, lastUnits,
                lastCount, open);
    }

    /** Format 1 began a period with its series key, which its store key already holds. */
    private static PeriodState readPeriod(final StateReader in) {
        if (in.version() == 1) {
            in.string();
        }
        return readPeriodFields(in);
    }

    private static void writePeriodFields(final StateWriter out, final PeriodState state) {
        final PeriodFold fold = state.fold();
        final BillingPeriod period = fold.period();
        out.string(period.granularity().name()).string(period.zone())
                .instant(period.start()).instant(period.end())
                .number(fold.knownMillis()).decimal(fold.unitMillis()).decimal(fold.peakUnits())
                .number(fold.peakCount()).number(fold.samples()).instant(fold.firstObservedAt())
                .instant(fold.lastObservedAt()).instant(fold.levelAt()).decimal(fold.levelUnits())
                .number(fold.levelCount()).instant(fold.integratedTo()).decimal(fold.lastUnits())
                .number(fold.lastCount())
                .number(state.revision()).uuid(state.lastRecordId());
        final Figures figures = state.published();
        if (out.present(figures)) {
            out.decimal(figures.peakUnits()).decimal(figures.avgUnits()).decimal(figures.unitHours())
                    .decimal(figures.lastUnits()).number(figures.peakCount()).number(figures.lastCount())
                    .number(figures.samples()).decimal(figures.coverage()).instant(figures.firstObservedAt())
                    .instant(figures.lastObservedAt());
        }
    }

    private static PeriodState readPeriodFields(final StateReader in) {
        final BillingPeriod period = new BillingPeriod(Granularity.valueOf(in.string()), in.string(), in.instant(),
                in.instant());
        final PeriodFold fold = new PeriodFold(period, in.number(), in.decimal(), in.decimal(), in.number(),
                in.number(), in.instant(), in.instant(), in.instant(), in.decimal(), in.number(), in.instant(),
                in.decimal(), in.number());
        final int revision = Math.toIntExact(in.number());
        final UUID lastRecordId = in.uuid();
        final Figures published = in.flag() ? new Figures(in.decimal(), in.decimal(), in.decimal(), in.decimal(),
                in.number(), in.number(), in.number(), in.decimal(), in.instant(), in.instant()) : null;
        return new PeriodState(fold, revision, lastRecordId, published);
    }

    /**
     * A series as the first format wrote it. Its open periods were indexed in the closing index too, from which
     * {@link SeriesStore} moves them into the series' value.
     */
    record JsonSeriesState(String tenantId, String sourceId, SourceKind sourceKind, String licenseType, String unit,
                           Instant lastObservedAt, BigDecimal lastUnits, long lastCount, List<String> openPeriods) {
        SeriesState upgrade() {
            return new SeriesState(tenantId, sourceId, sourceKind, licenseType, unit, lastObservedAt, lastUnits,
                    lastCount, List.of());
        }
    }

    /** A period as the first format wrote it; {@code closed} was always {@code revision > 0}. */
    record JsonPeriodState(String seriesKey, PeriodFold fold, boolean closed, int revision, UUID lastRecordId,
                           Figures published) {
        PeriodState upgrade() {
            return new PeriodState(fold, revision, lastRecordId, published);
        }
    }
}
