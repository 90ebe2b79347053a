package io.shoal.rudp.kcp;

/** Life of a KCP conversation. KCP itself has no handshake: it starts {@link #OPEN}. */
public enum KcpState {
    OPEN,
    /** A segment reached the dead-link transmission count ({@code ikcp.c} sets {@code state = -1}). */
    DEAD,
    /** {@link KcpEngine#close()} was called; every buffer is released. */
    CLOSED
}
