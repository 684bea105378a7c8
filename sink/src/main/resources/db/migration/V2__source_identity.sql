-- usage-pipeline sink schema, version 2.
-- sink_source: the Kafka cluster and topic ids the database's rows were read from. Offsets only mean something
-- against the log they were taken from, so a sink refuses to resume into rows of another cluster or a recreated
-- topic. One row per topic for the whole database: every sink writing here must read the same history.

CREATE TABLE sink_source (
    topic      text        PRIMARY KEY,
    cluster_id text        NOT NULL,
    topic_id   text        NOT NULL,
    bound_at   timestamptz NOT NULL DEFAULT now()
);
