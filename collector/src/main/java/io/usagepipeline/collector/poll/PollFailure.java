package io.usagepipeline.collector.poll;

import io.usagepipeline.events.PollError;

/** Why a poll cannot be COMPLETE; it becomes the FAILED raw event's error. */
public final class PollFailure extends Exception {

    private final String kind;
    private final Integer httpStatus;

    public PollFailure(final String kind, final Integer httpStatus, final String message) {
        super(message);
        this.kind = kind;
        this.httpStatus = httpStatus;
    }

    public PollError toError() {
        return new PollError(kind, httpStatus, getMessage());
    }

    public String kind() {
        return kind;
    }
}
