package io.usagepipeline.collector.http;

import java.io.IOException;

/** An answer larger than what the poll may still hold; asking again would give the same answer. */
public final class AnswerTooLargeException extends IOException {

    public AnswerTooLargeException(final long limit) {
        super("the answer is larger than the " + limit + " bytes the poll may still hold");
    }
}
