-- usage-pipeline sink schema, version 3.
-- charges: the latest revision of every charge line (tenant, month, line), what an invoicing system reads.
-- charge_revisions: every FINAL and RESTATED revision of a charge line once, keyed by chargeId, for audit.
-- Amounts are numeric with the scale the rater rounded them to; tiers_applied is the JSON of the line.

CREATE TABLE charges (
    tenant_id          text        NOT NULL,
    month              text        NOT NULL,
    line               text        NOT NULL,
    zone               text,
    card_id            text,
    card_version       text,
    basis              text,
    quantity           numeric,
    unit               text,
    unit_price         numeric,
    tiers_applied      jsonb       NOT NULL,
    discount_percent   numeric,
    amount             numeric     NOT NULL,
    currency           text        NOT NULL,
    priced             boolean     NOT NULL,
    points             numeric,
    cost               numeric,
    margin             numeric,
    status             text        NOT NULL,
    revision           integer     NOT NULL,
    charge_id          uuid        NOT NULL,
    supersedes         uuid,
    delta              numeric     NOT NULL,
    billing_record_ids uuid[]      NOT NULL,
    as_of              timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, month, line)
);
CREATE INDEX charges_month ON charges (month, tenant_id);

CREATE TABLE charge_revisions (
    charge_id          uuid        PRIMARY KEY,
    tenant_id          text        NOT NULL,
    month              text        NOT NULL,
    line               text        NOT NULL,
    zone               text,
    card_id            text,
    card_version       text,
    basis              text,
    quantity           numeric,
    unit               text,
    unit_price         numeric,
    tiers_applied      jsonb       NOT NULL,
    discount_percent   numeric,
    amount             numeric     NOT NULL,
    currency           text        NOT NULL,
    priced             boolean     NOT NULL,
    points             numeric,
    cost               numeric,
    margin             numeric,
    status             text        NOT NULL,
    revision           integer     NOT NULL,
    supersedes         uuid,
    delta              numeric     NOT NULL,
    billing_record_ids uuid[]      NOT NULL,
    as_of              timestamptz NOT NULL,
    source_partition   integer     NOT NULL,
    source_offset      bigint      NOT NULL,
    written_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX charge_revisions_line ON charge_revisions (tenant_id, month, line);
