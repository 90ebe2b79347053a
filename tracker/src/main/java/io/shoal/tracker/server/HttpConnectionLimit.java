package io.shoal.tracker.server;

import io.netty.channel.Channel;

/**
 * Caps open HTTP connections so a connection flood cannot exhaust file descriptors or memory. Used on the tracker's
 * single event loop only.
 */
final class HttpConnectionLimit {
    private final int max;
    private int open;

    HttpConnectionLimit(int max) {
        this.max = max;
    }

    /** Counts {@code ch} in (until it closes) and returns true, or returns false when the cap is reached. */
    boolean admit(Channel ch) {
        if (open >= max) {
            return false;
        }
        open++;
        ch.closeFuture().addListener(f -> open--);
        return true;
    }
}
