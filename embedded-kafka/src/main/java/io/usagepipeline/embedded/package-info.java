/**
 * An in-process single-node KRaft broker ({@link EmbeddedKafkaBroker}) and a JUnit 5
 * extension ({@link KafkaBrokerExtension}) that gives each integration-test class a fresh
 * broker, a Testcontainers broker, or an external one.
 */
package io.usagepipeline.embedded;
