package io.usagepipeline.sink;

import java.util.List;

/**
 * An output of the sink. Each writer keeps its own positions durably with what it wrote, so that after any crash it
 * resumes exactly after the last record it made durable: nothing lost, nothing written twice. With the positions it
 * keeps the identity of the Kafka they were read from, so that it is never resumed against another history.
 */
public interface BillingWriter extends AutoCloseable {

    /** A short name for logs and metrics, e.g. "files" or "postgresql". */
    String name();

    /** Where the output is, for messages: a directory, a database URL. */
    String location();

    /** The durably recorded source identity and positions. */
    Checkpoint checkpoint() throws Exception;

    /** Records durably which Kafka history this output is written from; called before the first write of a run. */
    void bind(SourceIdentity identity) throws Exception;

    /**
     * Forgets everything written (its content, positions and identity), so that the output is rebuilt from the
     * beginning of the topics.
     */
    void reset() throws Exception;

    /**
     * Applies records in offset order per partition, all or nothing together with the new positions. The sink only
     * passes records at or after the positions of {@link #checkpoint()}. A revision already held is not written
     * again, and returned; one whose content differs from the one held is a conflict besides.
     *
     * @return what was held already, for the sink to report
     */
    Written write(List<PositionedRecord> records) throws Exception;

    /**
     * The revisions of a write that the output held already: published again (by a processor or rater that read its
     * input again), with the same content or, as {@code conflicts}, another.
     *
     * @param held      billing records, charge lines and reconciliation lines not written, since held already
     * @param conflicts those of them held with other content ({@link RevisionConflict})
     */
    record Written(List<PositionedRecord> held, List<RevisionConflict> conflicts) {
    }

    /**
     * The sink has caught up (a poll found nothing new): anything the writer holds back to batch its work goes out
     * now. Nothing by default.
     */
    default void idle() throws Exception {
    }

    @Override
    void close() throws Exception;
}
