package io.usagepipeline.processor.normalize;

/** A raw poll's pages cannot be read as the endpoint's payload; the message says where and why. */
public class MalformedPayloadException extends Exception {

    public MalformedPayloadException(final String message) {
        super(message);
    }
}
