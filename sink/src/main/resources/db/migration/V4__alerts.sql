-- usage-pipeline sink schema, version 4.
-- alerts: every alert episode once, keyed by alertId, with its end once it has one (resolved_at).

CREATE TABLE alerts (
    alert_id    uuid        PRIMARY KEY,
    kind        text        NOT NULL,
    subject     text        NOT NULL,
    tenant_id   text,
    started_at  timestamptz NOT NULL,
    resolved_at timestamptz,
    detail      text
);
CREATE INDEX alerts_tenant ON alerts (tenant_id, started_at);
