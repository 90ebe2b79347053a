package io.shoal.rudp.kcp;

import io.netty.buffer.ByteBufAllocator;
import io.shoal.rudp.cc.CongestionControl;

import java.util.Locale;

/**
 * Immutable configuration of one {@link KcpEngine}. Build with {@link #builder()} or start from a preset.
 *
 * <p>The four KCP knobs ({@code nodelay, interval, resend, nc}) have {@code ikcp_nodelay}'s meaning. With
 * {@link CongestionControl#KCP} or {@link CongestionControl#NONE}, {@code ackNoDelay = false},
 * {@code flushOnAck = false} and no pacing, the engine behaves as the reference C KCP byte for byte
 * ({@code ../shared/vectors/kcp}). The other options are shoal's improvements and change timing, never the wire format.
 */
public final class KcpConfig {
    /** KCP's 24-byte segment header ({@code IKCP_OVERHEAD}). */
    public static final int OVERHEAD = 24;
    /** KCP refuses to fragment a message into this many segments or more ({@code IKCP_WND_RCV}). */
    public static final int MAX_FRAGMENTS = 128;

    private final int nodelay;
    private final int intervalMs;
    private final int fastResend;
    private final int fastLimit;
    private final CongestionControl congestionControl;
    private final boolean stream;
    private final int mtu;
    private final int sendWindow;
    private final int receiveWindow;
    private final int minRtoMs;
    private final int deadLink;
    private final boolean ackNoDelay;
    private final boolean flushOnAck;
    private final ByteBufAllocator allocator;
    private final boolean heapDatagrams;

    private KcpConfig(Builder b) {
        this.nodelay = b.nodelay;
        this.intervalMs = b.intervalMs;
        this.fastResend = b.fastResend;
        this.fastLimit = b.fastLimit;
        this.congestionControl = b.congestionControl;
        this.stream = b.stream;
        this.mtu = b.mtu;
        this.sendWindow = b.sendWindow;
        this.receiveWindow = Math.max(b.receiveWindow, MAX_FRAGMENTS); // ikcp_wndsize: rcv_wnd >= IKCP_WND_RCV
        this.minRtoMs = b.minRtoMs > 0 ? b.minRtoMs : (b.nodelay != 0 ? 30 : 100); // IKCP_RTO_NDL / IKCP_RTO_MIN
        this.deadLink = b.deadLink;
        this.ackNoDelay = b.ackNoDelay;
        this.flushOnAck = b.flushOnAck;
        this.allocator = b.allocator;
        this.heapDatagrams = b.heapDatagrams;
    }

    /** Builder with the reference C KCP's defaults ({@code ikcp_create}): nodelay 0, interval 100, windows 32/128. */
    public static Builder builder() {
        return new Builder();
    }

    /** KCP README "normal mode": {@code ikcp_nodelay(0, 40, 0, 0)}. */
    public static KcpConfig normal() {
        return builder().mode("normal").build();
    }

    /** The "fastest" setting of {@code ikcp.h}'s comment: {@code ikcp_nodelay(1, 20, 2, 1)}. */
    public static KcpConfig fast() {
        return builder().mode("fast").build();
    }

    /** KCP README "turbo mode": {@code ikcp_nodelay(1, 10, 2, 1)}. */
    public static KcpConfig turbo() {
        return builder().mode("turbo").build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.nodelay = nodelay;
        b.intervalMs = intervalMs;
        b.fastResend = fastResend;
        b.fastLimit = fastLimit;
        b.congestionControl = congestionControl;
        b.stream = stream;
        b.mtu = mtu;
        b.sendWindow = sendWindow;
        b.receiveWindow = receiveWindow;
        b.minRtoMs = minRtoMs;
        b.deadLink = deadLink;
        b.ackNoDelay = ackNoDelay;
        b.flushOnAck = flushOnAck;
        b.allocator = allocator;
        b.heapDatagrams = heapDatagrams;
        return b;
    }

    public int nodelay() {
        return nodelay;
    }

    public int intervalMs() {
        return intervalMs;
    }

    public int fastResend() {
        return fastResend;
    }

    public int fastLimit() {
        return fastLimit;
    }

    public CongestionControl congestionControl() {
        return congestionControl;
    }

    public boolean stream() {
        return stream;
    }

    public int mtu() {
        return mtu;
    }

    /** Payload bytes per segment. */
    public int mss() {
        return mtu - OVERHEAD;
    }

    public int sendWindow() {
        return sendWindow;
    }

    public int receiveWindow() {
        return receiveWindow;
    }

    public int minRtoMs() {
        return minRtoMs;
    }

    public int deadLink() {
        return deadLink;
    }

    public boolean ackNoDelay() {
        return ackNoDelay;
    }

    public boolean flushOnAck() {
        return flushOnAck;
    }

    public ByteBufAllocator allocator() {
        return allocator;
    }

    /** Whether {@link KcpEngine#pollDatagram()} returns heap buffers (see {@link Builder#heapDatagrams}). */
    public boolean heapDatagrams() {
        return heapDatagrams;
    }

    /** Largest message (message mode) or single {@code send} (stream mode) the engine accepts, in bytes. */
    public int maxMessageBytes() {
        return (MAX_FRAGMENTS - 1) * mss();
    }

    @Override
    public String toString() {
        return "KcpConfig{nodelay=" + nodelay + ", interval=" + intervalMs + "ms, resend=" + fastResend
            + ", cc=" + congestionControl.cliName() + ", stream=" + stream + ", mtu=" + mtu + ", wnd=" + sendWindow
            + "/" + receiveWindow + ", minRto=" + minRtoMs + "ms, ackNoDelay=" + ackNoDelay
            + ", flushOnAck=" + flushOnAck + '}';
    }

    /** Chainable, checked setters named after each field. */
    public static final class Builder {
        private int nodelay = 0;
        private int intervalMs = 100;
        private int fastResend = 0;
        private int fastLimit = 5;
        private CongestionControl congestionControl = CongestionControl.KCP;
        private boolean stream = false;
        private int mtu = 1400;
        private int sendWindow = 32;
        private int receiveWindow = 128;
        private int minRtoMs = 0;
        private int deadLink = 20;
        private boolean ackNoDelay = false;
        private boolean flushOnAck = false;
        private ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
        private boolean heapDatagrams = false;

        private Builder() {
        }

        /**
         * {@code ikcp_nodelay(nodelay, interval, resend, nc)}. {@code nc = 1} selects {@link CongestionControl#NONE},
         * {@code nc = 0} {@link CongestionControl#KCP}; call {@link #congestionControl} afterwards to pick another.
         */
        public Builder nodelay(int nodelay, int intervalMs, int resend, int nc) {
            if (nodelay < 0 || nodelay > 2) {
                throw new IllegalArgumentException("nodelay must be 0, 1 or 2: " + nodelay);
            }
            if (resend < 0) {
                throw new IllegalArgumentException("resend must be >= 0: " + resend);
            }
            this.nodelay = nodelay;
            this.intervalMs = Math.max(10, Math.min(5000, intervalMs)); // ikcp_nodelay clamps to [10, 5000]
            this.fastResend = resend;
            this.congestionControl = nc != 0 ? CongestionControl.NONE : CongestionControl.KCP;
            this.minRtoMs = 0;
            return this;
        }

        /** Applies a named preset: {@code normal}, {@code fast} or {@code turbo}. */
        public Builder mode(String name) {
            switch (name.toLowerCase(Locale.ROOT)) {
                case "normal":
                    return nodelay(0, 40, 0, 0);
                case "fast":
                    return nodelay(1, 20, 2, 1);
                case "turbo":
                    return nodelay(1, 10, 2, 1);
                default:
                    throw new IllegalArgumentException("unknown mode '" + name + "' (expected normal, fast or turbo)");
            }
        }

        public Builder intervalMs(int intervalMs) {
            this.intervalMs = Math.max(10, Math.min(5000, intervalMs));
            return this;
        }

        public Builder fastLimit(int fastLimit) {
            this.fastLimit = fastLimit;
            return this;
        }

        public Builder congestionControl(CongestionControl cc) {
            if (cc == null) {
                throw new IllegalArgumentException("congestionControl must not be null");
            }
            this.congestionControl = cc;
            return this;
        }

        public Builder stream(boolean stream) {
            this.stream = stream;
            return this;
        }

        /** Datagram size limit in bytes; {@code ikcp_setmtu} accepts 50 and up. */
        public Builder mtu(int mtu) {
            if (mtu < 50 || mtu > 65_507) {
                throw new IllegalArgumentException("mtu must be in [50, 65507]: " + mtu);
            }
            this.mtu = mtu;
            return this;
        }

        /** {@code ikcp_wndsize}: windows in segments; the receive window is raised to at least 128. */
        public Builder windows(int sendSegments, int receiveSegments) {
            if (sendSegments <= 0 || sendSegments > 65_535 || receiveSegments <= 0 || receiveSegments > 65_535) {
                throw new IllegalArgumentException("windows must be in [1, 65535]: " + sendSegments + "/"
                    + receiveSegments);
            }
            this.sendWindow = sendSegments;
            this.receiveWindow = receiveSegments;
            return this;
        }

        /** Overrides the RTO floor that {@code nodelay} implies (KCP README suggests 10 ms for "fast"). */
        public Builder minRtoMs(int minRtoMs) {
            if (minRtoMs <= 0) {
                throw new IllegalArgumentException("minRtoMs must be positive: " + minRtoMs);
            }
            this.minRtoMs = minRtoMs;
            return this;
        }

        /** Transmissions of one segment after which the link is declared dead ({@code IKCP_DEADLINK}). */
        public Builder deadLink(int deadLink) {
            if (deadLink < 1) {
                throw new IllegalArgumentException("deadLink must be >= 1: " + deadLink);
            }
            this.deadLink = deadLink;
            return this;
        }

        /**
         * Send ACKs when the driver next polls for datagrams instead of at the next interval tick, so the ACKs of a
         * whole read batch share datagrams.
         */
        public Builder ackNoDelay(boolean ackNoDelay) {
            this.ackNoDelay = ackNoDelay;
            return this;
        }

        /**
         * Send new data at once, between interval ticks: after an input that advanced {@code una} (kcp-go's packet
         * clocking) and after {@code send}. Eager flushes send only never-sent segments;
         * timeouts stay on the tick.
         */
        public Builder flushOnAck(boolean flushOnAck) {
            this.flushOnAck = flushOnAck;
            return this;
        }

        public Builder allocator(ByteBufAllocator allocator) {
            if (allocator == null) {
                throw new IllegalArgumentException("allocator must not be null");
            }
            this.allocator = allocator;
            return this;
        }

        /**
         * Build outgoing datagrams in heap buffers, for a driver that transforms each one before it leaves (the
         * secure profile seals it: the AEAD reads a heap array in place, a direct buffer it would first copy out)
         * and hands it back with {@link KcpEngine#recycleDatagram}. Off by default: the raw profile sends the
         * engine's datagrams as they are, and a socket wants direct memory. The wire is the same either way.
         */
        public Builder heapDatagrams(boolean heapDatagrams) {
            this.heapDatagrams = heapDatagrams;
            return this;
        }

        public KcpConfig build() {
            if (mtu - OVERHEAD <= 0) {
                throw new IllegalArgumentException("mtu too small: " + mtu);
            }
            return new KcpConfig(this);
        }
    }
}
