-- usage-pipeline sink schema, version 1.
-- billing_records: the latest revision of every (series, granularity, period), what a billing system reads.
-- billing_record_revisions: every FINAL and RESTATED revision once, keyed by recordId, for audit.
-- open_totals: the current rolling total of every open period.
-- sink_offsets: where each sink resumes, written in the same transaction as the rows.

CREATE TABLE billing_records (
    series_key        text        NOT NULL,
    granularity       text        NOT NULL,
    period_start      timestamptz NOT NULL,
    period_end        timestamptz NOT NULL,
    zone              text        NOT NULL,
    tenant_id         text        NOT NULL,
    source_id         text        NOT NULL,
    source_kind       text        NOT NULL,
    license_type      text        NOT NULL,
    unit              text        NOT NULL,
    status            text        NOT NULL,
    revision          integer     NOT NULL,
    record_id         uuid        NOT NULL,
    supersedes        uuid,
    peak_units        numeric     NOT NULL,
    avg_units         numeric     NOT NULL,
    unit_hours        numeric     NOT NULL,
    last_units        numeric     NOT NULL,
    peak_count        bigint      NOT NULL,
    last_count        bigint      NOT NULL,
    samples           bigint      NOT NULL,
    coverage          numeric     NOT NULL,
    first_observed_at timestamptz,
    last_observed_at  timestamptz,
    as_of             timestamptz NOT NULL,
    PRIMARY KEY (series_key, granularity, period_start)
);
CREATE INDEX billing_records_tenant_period ON billing_records (tenant_id, granularity, period_start);

CREATE TABLE billing_record_revisions (
    record_id         uuid        PRIMARY KEY,
    series_key        text        NOT NULL,
    granularity       text        NOT NULL,
    period_start      timestamptz NOT NULL,
    period_end        timestamptz NOT NULL,
    zone              text        NOT NULL,
    tenant_id         text        NOT NULL,
    source_id         text        NOT NULL,
    source_kind       text        NOT NULL,
    license_type      text        NOT NULL,
    unit              text        NOT NULL,
    status            text        NOT NULL,
    revision          integer     NOT NULL,
    supersedes        uuid,
    peak_units        numeric     NOT NULL,
    avg_units         numeric     NOT NULL,
    unit_hours        numeric     NOT NULL,
    last_units        numeric     NOT NULL,
    peak_count        bigint      NOT NULL,
    last_count        bigint      NOT NULL,
    samples           bigint      NOT NULL,
    coverage          numeric     NOT NULL,
    first_observed_at timestamptz,
    last_observed_at  timestamptz,
    as_of             timestamptz NOT NULL,
    source_partition  integer     NOT NULL,
    source_offset     bigint      NOT NULL,
    written_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX billing_record_revisions_period ON billing_record_revisions (series_key, granularity, period_start);

CREATE TABLE open_totals (
    series_key        text        NOT NULL,
    granularity       text        NOT NULL,
    period_start      timestamptz NOT NULL,
    period_end        timestamptz NOT NULL,
    zone              text        NOT NULL,
    tenant_id         text        NOT NULL,
    source_id         text        NOT NULL,
    source_kind       text        NOT NULL,
    license_type      text        NOT NULL,
    unit              text        NOT NULL,
    peak_units        numeric     NOT NULL,
    avg_units         numeric     NOT NULL,
    unit_hours        numeric     NOT NULL,
    last_units        numeric     NOT NULL,
    peak_count        bigint      NOT NULL,
    last_count        bigint      NOT NULL,
    samples           bigint      NOT NULL,
    coverage          numeric     NOT NULL,
    first_observed_at timestamptz,
    last_observed_at  timestamptz,
    as_of             timestamptz NOT NULL,
    PRIMARY KEY (series_key, granularity, period_start)
);

CREATE TABLE sink_offsets (
    sink_name   text    NOT NULL,
    topic       text    NOT NULL,
    partition   integer NOT NULL,
    next_offset bigint  NOT NULL,
    PRIMARY KEY (sink_name, topic, partition)
);
