package io.shoal.rudp.netty.channel;

import io.shoal.rudp.kcp.SendResult;

/** A write the engine refused, e.g. a message larger than the engine's maximum message size. */
public final class RudpWriteException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient SendResult result;

    /** @param result what the engine answered */
    public RudpWriteException(final SendResult result) {
        super("write refused: " + result);
        this.result = result;
    }

    /** @return what the engine answered */
    public SendResult result() {
        return result;
    }
}
