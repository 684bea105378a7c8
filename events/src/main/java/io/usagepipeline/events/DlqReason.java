package io.usagepipeline.events;

/** Why a record went to the dead-letter topic. */
public enum DlqReason {
    /** The value is not valid JSON or not a valid record of its topic. */
    MALFORMED_RECORD,
    /** The value is a valid raw poll but its payload cannot be normalized. */
    MALFORMED_PAYLOAD,
    /** The data belongs to a period closed longer ago than the restatement horizon. */
    LATE_BEYOND_HORIZON,
    /** A figure beyond any real fleet (processor.maxUnits) or beyond what a number of licenses can be written as. */
    IMPLAUSIBLE_FIGURE,
    /** Polled further ahead of the processor's clock than processor.maxAhead: it would close open periods early. */
    AHEAD_OF_CLOCK
}
