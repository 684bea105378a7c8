-- Flyway keeps the schema's history (flyway_schema_history) from this version on. The table in which the sink's
-- earlier, hand-written migrations recorded versions 1 to 5 goes: Flyway baselined the schema at its highest version.
DROP TABLE IF EXISTS schema_migrations;
