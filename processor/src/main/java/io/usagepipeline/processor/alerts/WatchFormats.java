package io.usagepipeline.processor.alerts;

import io.usagepipeline.events.Alert;
import io.usagepipeline.events.AlertKind;
import io.usagepipeline.processor.alerts.AlertRules.SeriesWatch;
import io.usagepipeline.processor.alerts.AlertRules.TargetWatch;
import io.usagepipeline.processor.state.StateReader;
import io.usagepipeline.processor.state.StateSerde;
import io.usagepipeline.processor.state.StateWriter;
import java.util.function.Function;

/** The serdes of the alert rules' state: binary, reading the JSON of the first format (the records are unchanged). */
public final class WatchFormats {

    public static final StateSerde<TargetWatch> TARGET = StateSerde.upgrading(TargetWatch.class,
            (out, watch) -> {
                out.string(watch.tenantId()).instant(watch.lastComplete());
                writeAlert(out, watch.failing());
            },
            in -> new TargetWatch(in.string(), in.instant(), readAlert(in)),
            TargetWatch.class, Function.identity());

    public static final StateSerde<SeriesWatch> SERIES = StateSerde.upgrading(SeriesWatch.class,
            (out, watch) -> {
                out.string(watch.tenantId()).decimal(watch.level()).instant(watch.aboveZeroSince())
                        .string(watch.day()).decimal(watch.dayPeak()).decimal(watch.previousDayPeak());
                writeAlert(out, watch.dropped());
                writeAlert(out, watch.spike());
            },
            in -> new SeriesWatch(in.string(), in.decimal(), in.instant(), in.string(), in.decimal(), in.decimal(),
                    readAlert(in), readAlert(in)),
            SeriesWatch.class, Function.identity());

    private WatchFormats() {
    }

    private static void writeAlert(final StateWriter out, final Alert alert) {
        if (out.present(alert)) {
            out.string(alert.schema()).uuid(alert.alertId()).string(alert.kind().name()).string(alert.subject())
                    .string(alert.tenantId()).instant(alert.startedAt()).instant(alert.resolvedAt())
                    .string(alert.detail());
        }
    }

    private static Alert readAlert(final StateReader in) {
        return in.flag() ? new Alert(in.string(), in.uuid(), AlertKind.valueOf(in.string()), in.string(), in.string(),
                in.instant(), in.instant(), in.string()) : null;
    }
}
