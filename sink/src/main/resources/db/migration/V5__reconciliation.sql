-- usage-pipeline sink schema, version 5.
-- reconciliation: the latest revision of every reconciliation line (tenant, source, workload type, month): our
-- points against Veeam's monthly license report, the variance and its cause.

CREATE TABLE reconciliation (
    tenant_id         text        NOT NULL,
    source_id         text        NOT NULL,
    license_type      text        NOT NULL,
    month             text        NOT NULL,
    our_points        numeric,
    veeam_points      numeric,
    variance          numeric     NOT NULL,
    cause             text        NOT NULL,
    detail            text,
    report_status     text,
    coverage          numeric,
    our_count         bigint,
    initial_count     bigint,
    reported_count    bigint,
    new_count         bigint,
    weight            numeric,
    revision          integer     NOT NULL,
    reconciliation_id uuid        NOT NULL,
    supersedes        uuid,
    as_of             timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, source_id, license_type, month)
);
CREATE INDEX reconciliation_month ON reconciliation (month, cause);
