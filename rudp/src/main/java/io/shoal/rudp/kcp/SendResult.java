package io.shoal.rudp.kcp;

/** Outcome of {@link KcpEngine#send}. On every value but {@link #QUEUED} the engine has released the buffer. */
public enum SendResult {
    /** The bytes are queued and will be delivered. */
    QUEUED,
    /** More than {@link KcpConfig#maxMessageBytes()} bytes in one call ({@code ikcp_send} -2). */
    TOO_LARGE,
    /** The send queue is over its limit; wait for {@link KcpEngine#isWritable()}. */
    QUEUE_FULL,
    /** The engine is closed or its link is dead. */
    CLOSED
}
