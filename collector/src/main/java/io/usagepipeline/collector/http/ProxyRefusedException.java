package io.usagepipeline.collector.http;

import java.io.IOException;

/**
 * The source's proxy wants an account it was not given, or refused the one it was (HTTP 407): asking again would get
 * the same answer, and a proxy may lock an account that keeps failing.
 */
public final class ProxyRefusedException extends IOException {

    public ProxyRefusedException(final String message) {
        super(message);
    }
}
