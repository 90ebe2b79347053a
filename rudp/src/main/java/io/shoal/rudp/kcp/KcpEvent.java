package io.shoal.rudp.kcp;

/** What an engine tells its driver, drained with {@link KcpEngine#pollEvent()}. */
public enum KcpEvent {
    /** A segment was sent {@link KcpConfig#deadLink()} times without an ACK: the peer is gone. */
    LINK_DEAD,
    /** The send queue fell below its limit after {@link KcpEngine#send} had reported it full. */
    WRITABLE
}
