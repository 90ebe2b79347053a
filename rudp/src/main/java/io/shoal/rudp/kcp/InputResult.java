package io.shoal.rudp.kcp;

/** Outcome of {@link KcpEngine#handleDatagram}; the error values are {@code ikcp_input}'s, never exceptions. */
public enum InputResult {
    /** Every segment in the datagram was processed. */
    ACCEPTED,
    /** Shorter than one 24-byte header, or a segment's {@code len} runs past the datagram ({@code ikcp_input} -2). */
    TRUNCATED,
    /** A segment's {@code len} is larger than any segment the engine accepts (bounded by the MTU). */
    OVERSIZED,
    /** The conversation id does not match this engine ({@code ikcp_input} -1); the rest is ignored. */
    WRONG_CONV,
    /** A command other than 81..84 ({@code ikcp_input} -3); the rest is ignored. */
    UNKNOWN_COMMAND,
    /** The engine is closed. */
    CLOSED
}
