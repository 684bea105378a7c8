package io.usagepipeline.runtime;

/** Exit codes of every command, documented in the README. */
public final class ExitCodes {

    public static final int OK = 0;
    /** The command could not do its work, or found something the user must act on (e.g. topics that differ). */
    public static final int FAILED = 1;
    /** Bad flags or configuration: nothing was done. */
    public static final int CONFIG_ERROR = 2;

    private ExitCodes() {
    }
}
