package io.usagepipeline.events;

/** How a poll ended. A poll is never published as a short COMPLETE snapshot: anything partial is FAILED. */
public enum PollStatus {
    /** Every page arrived and the page set is consistent. */
    COMPLETE,
    /** The poll did not produce a trustworthy snapshot; {@link RawPoll#error()} says why. */
    FAILED
}
