package io.shoal.rudp.netty;

import io.shoal.rudp.kcp.KcpConfig;

import java.util.function.LongSupplier;

/**
 * Immutable configuration of one {@link RawKcpHandler}, i.e. of one raw-profile UDP socket. Build with
 * {@link #builder()}.
 *
 * <p>{@code acceptor} is null on a client-only socket: datagrams from unknown (address, conv) pairs are then
 * dropped and counted. {@code idleTimeoutMs} 0 keeps a conversation until it is closed or its link dies.
 */
public final class RawKcpConfig {
    private final KcpConfig kcp;
    private final RawKcpAcceptor acceptor;
    private final int maxConversations;
    private final long idleTimeoutMs;
    private final long pendingHighWaterBytes;
    private final LongSupplier nanoClock;
    private final RawKcpTransport transport;
    private final boolean segmentationOffload;

    private RawKcpConfig(Builder b) {
        this.kcp = b.kcp;
        this.acceptor = b.acceptor;
        this.maxConversations = b.maxConversations;
        this.idleTimeoutMs = b.idleTimeoutMs;
        this.pendingHighWaterBytes = b.pendingHighWaterBytes > 0
            ? b.pendingHighWaterBytes : (long) b.kcp.sendWindow() * b.kcp.mss();
        this.nanoClock = b.nanoClock;
        this.transport = b.transport;
        this.segmentationOffload = b.segmentationOffload;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Engine configuration used for every conversation of the socket. */
    public KcpConfig kcp() {
        return kcp;
    }

    /** Accepts new conversations, or null on a client-only socket. */
    public RawKcpAcceptor acceptor() {
        return acceptor;
    }

    /** Conversations the socket holds at most; a new (address, conv) beyond it is refused. */
    public int maxConversations() {
        return maxConversations;
    }

    /** A conversation with no valid input for this long is closed; 0 means never. */
    public long idleTimeoutMs() {
        return idleTimeoutMs;
    }

    /**
     * Bytes given to {@link RawKcpConnection#send} but not yet taken by the engine above which the connection
     * reports unwritable. Defaults to one send window of full segments.
     */
    public long pendingHighWaterBytes() {
        return pendingHighWaterBytes;
    }

    /** Monotonic clock in nanoseconds ({@code System::nanoTime} unless a test injects one). */
    public LongSupplier nanoClock() {
        return nanoClock;
    }

    /** The Netty transport {@link RawKcpEndpoint#bind(java.net.InetSocketAddress, RawKcpConfig)} uses. */
    public RawKcpTransport transport() {
        return transport;
    }

    /**
     * On epoll, whether to hand the kernel runs of equal-sized datagrams as one {@code UDP_SEGMENT} write and to
     * accept {@code UDP_GRO}-coalesced reads (both where the kernel supports them). Same datagrams on the wire.
     */
    public boolean segmentationOffload() {
        return segmentationOffload;
    }

    /** Chainable, checked setters named after each field. */
    public static final class Builder {
        private KcpConfig kcp = KcpConfig.turbo();
        private RawKcpAcceptor acceptor;
        private int maxConversations = 1024;
        private long idleTimeoutMs;
        private long pendingHighWaterBytes;
        private LongSupplier nanoClock = System::nanoTime;
        private RawKcpTransport transport = RawKcpTransport.AUTO;
        private boolean segmentationOffload = true;

        private Builder() {
        }

        public Builder kcp(KcpConfig kcp) {
            if (kcp == null) {
                throw new IllegalArgumentException("kcp config must not be null");
            }
            this.kcp = kcp;
            return this;
        }

        /** Makes the socket a server: unknown (address, conv) pairs are offered to {@code acceptor}. */
        public Builder acceptor(RawKcpAcceptor acceptor) {
            this.acceptor = acceptor;
            return this;
        }

        public Builder maxConversations(int maxConversations) {
            if (maxConversations < 1) {
                throw new IllegalArgumentException("maxConversations must be >= 1: " + maxConversations);
            }
            this.maxConversations = maxConversations;
            return this;
        }

        public Builder idleTimeoutMs(long idleTimeoutMs) {
            if (idleTimeoutMs < 0) {
                throw new IllegalArgumentException("idleTimeoutMs must be >= 0: " + idleTimeoutMs);
            }
            this.idleTimeoutMs = idleTimeoutMs;
            return this;
        }

        public Builder pendingHighWaterBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("pendingHighWaterBytes must be >= 1: " + bytes);
            }
            this.pendingHighWaterBytes = bytes;
            return this;
        }

        public Builder nanoClock(LongSupplier nanoClock) {
            if (nanoClock == null) {
                throw new IllegalArgumentException("nanoClock must not be null");
            }
            this.nanoClock = nanoClock;
            return this;
        }

        /** {@link RawKcpTransport#AUTO} by default; {@code NIO} forces the JDK selector. */
        public Builder transport(RawKcpTransport transport) {
            if (transport == null) {
                throw new IllegalArgumentException("transport must not be null");
            }
            this.transport = transport;
            return this;
        }

        /** On by default; off sends and receives one datagram per message even on epoll. */
        public Builder segmentationOffload(boolean segmentationOffload) {
            this.segmentationOffload = segmentationOffload;
            return this;
        }

        public RawKcpConfig build() {
            return new RawKcpConfig(this);
        }
    }
}
