package io.shoal.tracker.client;

import java.io.IOException;

/** A tracker request failed; the message is one line a user can read (failure reason, timeout, bad reply...). */
public final class TrackerException extends IOException {
    private static final long serialVersionUID = 1L;

    public TrackerException(String message) {
        super(message);
    }

    public TrackerException(String message, Throwable cause) {
        super(message, cause);
    }
}
