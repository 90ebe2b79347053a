package io.shoal.rudp.session;

import io.shoal.rudp.cc.CongestionControl;
import io.shoal.rudp.crypto.CipherSuite;
import io.shoal.rudp.crypto.NoiseCipher;
import io.shoal.rudp.crypto.NoiseHash;
import io.shoal.rudp.crypto.PeerKeyPolicy;
import io.shoal.rudp.crypto.StaticIdentity;
import io.shoal.rudp.kcp.KcpConfig;
import io.shoal.rudp.packet.PacketProtection;
import io.shoal.rudp.packet.PacketProtectionConfig;
import io.shoal.rudp.packet.SecureHandshakeConfig;

import java.util.EnumSet;
import java.util.Set;

/**
 * Everything one rudp socket needs, immutable, built with {@link #builder()}: the profile, the KCP preset and
 * congestion control, the datagram MTU and windows, the static identity, peer-key policy and optional psk, the cipher
 * proposed and those accepted, the idle, keepalive and handshake timeouts, and the cookie threshold. Defaults are
 * safe: a fresh identity, trust on first use for peer keys, {@link CipherSuite#AUTO} proposed and both ciphers
 * accepted, 1400-byte datagrams, a 30 s idle timeout with keepalives every 10 s.
 *
 * <p>The datagram MTU is the whole UDP payload; in the secure profile the KCP engine gets
 * {@code mtuBytes - }{@link PacketProtection#OVERHEAD_BYTES} of it (see {@link #kcp()}).
 */
public final class RudpConfig {
    /** Which wire format a socket speaks. */
    public enum Profile {
        /** Noise handshake, then KCP inside authenticated encryption ({@code rudp/PROTOCOL.md}). */
        SECURE,
        /** Plain KCP datagrams with no handshake or encryption (the {@code io.shoal.rudp.netty.RawKcp*} shell). */
        RAW
    }

    private final Profile profile;
    private final KcpConfig kcpPreset;
    private final KcpConfig kcp;
    private final int mtuBytes;
    private final boolean segmentationOffload;
    /** Identity, policy, psk, ciphers, handshake timeout and limits: a frozen copy, never changed. */
    private final HandshakeSettings handshakeSettings;
    private final long idleTimeoutNs;
    private final long closeTimeoutNs;
    private final long keepaliveNs;
    private final int maxConnections;
    private final int handshakeWorkers;
    private final long pathRetryNs;
    private final PacketProtectionConfig protection;

    private RudpConfig(final Builder b) {
        this.profile = b.profile;
        this.mtuBytes = b.mtuBytes;
        this.segmentationOffload = b.segmentationOffload;
        final int kcpMtu = b.profile == Profile.SECURE ? b.mtuBytes - PacketProtection.OVERHEAD_BYTES : b.mtuBytes;
        // A secure connection seals each engine datagram into the buffer it leaves in: on the heap the AEAD reads
        // it in place, and the connection recycles it (SealedOutput).
        final KcpConfig.Builder kb = b.kcp.toBuilder().mtu(kcpMtu).heapDatagrams(b.profile == Profile.SECURE);
        if (b.congestionControl != null) {
            kb.congestionControl(b.congestionControl);
        }
        if (b.sendWindow > 0) {
            kb.windows(b.sendWindow, b.receiveWindow);
        }
        this.kcp = kb.build();
        this.kcpPreset = this.kcp.toBuilder().mtu(b.kcp.mtu()).build();
        this.handshakeSettings = b.handshakeSettings.frozen();
        this.idleTimeoutNs = b.idleTimeoutNs;
        this.closeTimeoutNs = b.closeTimeoutNs;
        this.keepaliveNs = b.keepaliveNs;
        this.maxConnections = b.maxConnections;
        this.handshakeWorkers = b.handshakeWorkers;
        this.pathRetryNs = b.pathRetryNs;
        this.protection = PacketProtectionConfig.builder().maxDatagramBytes(Math.max(b.mtuBytes, 1500)).build();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the wire profile */
    public Profile profile() {
        return profile;
    }

    /** @return the engine configuration, its MTU already reduced by the secure packet overhead */
    public KcpConfig kcp() {
        return kcp;
    }

    /** @return the largest UDP payload sent, in bytes */
    public int mtuBytes() {
        return mtuBytes;
    }

    /**
     * @return on epoll, whether runs of datagrams leave as one {@code UDP_SEGMENT} write and arrive as
     *     {@code UDP_GRO}-coalesced reads (the raw shell's I/O); ignored on NIO
     */
    public boolean segmentationOffload() {
        return segmentationOffload;
    }

    /** @return this endpoint's static key */
    public StaticIdentity identity() {
        return handshakeSettings.identity;
    }

    /** @return which peer keys to accept and expect */
    public PeerKeyPolicy policy() {
        return handshakeSettings.policy;
    }

    /** @return the 32-byte pre-shared key (a copy), or null */
    public byte[] psk() {
        return handshakeSettings.psk == null ? null : handshakeSettings.psk.clone();
    }

    /** @return the cipher this side proposes when it connects ({@link CipherSuite#AUTO} resolves per CPU) */
    public CipherSuite cipherSuite() {
        return handshakeSettings.cipherSuite;
    }

    /** @return the ciphers this side accepts when a peer connects to it (immutable, non-empty) */
    public Set<NoiseCipher> acceptedCiphers() {
        return handshakeSettings.acceptedCiphers;
    }

    /** @return a connection that hears no authenticated packet for this long closes with IDLE_TIMEOUT */
    public long idleTimeoutNs() {
        return idleTimeoutNs;
    }

    /**
     * @return how long a graceful close may wait for our data to be acknowledged and the CLOSEs exchanged; after it
     *         the connection aborts with {@link CloseReason#CLOSE_TIMEOUT} (a peer that stays alive but never reads
     *         would otherwise hold a closing connection forever)
     */
    public long closeTimeoutNs() {
        return closeTimeoutNs;
    }

    /** @return a connection that sent nothing for this long sends a keepalive; 0 disables keepalives */
    public long keepaliveNs() {
        return keepaliveNs;
    }

    /** @return connections a socket holds at most; handshakes beyond it are dropped */
    public int maxConnections() {
        return maxConnections;
    }

    /** @return delay between path challenges to a new peer address */
    public long pathRetryNs() {
        return pathRetryNs;
    }

    /**
     * @return threads a server socket ({@code RudpCodec}) runs the responder's handshake Diffie-Hellman work on, off
     *         its event loop; 0 runs it inline on the event loop
     */
    public int handshakeWorkers() {
        return handshakeWorkers;
    }

    /** @return the handshake settings derived from this configuration */
    public SecureHandshakeConfig handshake() {
        return handshakeSettings.toConfig(protection);
    }

    /** @return a builder starting from this configuration */
    public Builder toBuilder() {
        final Builder b = new Builder();
        b.profile = profile;
        b.kcp = kcpPreset;
        b.mtuBytes = mtuBytes;
        b.segmentationOffload = segmentationOffload;
        b.handshakeSettings = handshakeSettings.copy();
        b.idleTimeoutNs = idleTimeoutNs;
        b.closeTimeoutNs = closeTimeoutNs;
        b.keepaliveNs = keepaliveNs;
        b.maxConnections = maxConnections;
        b.handshakeWorkers = handshakeWorkers;
        b.pathRetryNs = pathRetryNs;
        return b;
    }

    /** Chainable, checked setters named after each field. */
    public static final class Builder {
        private Profile profile = Profile.SECURE;
        private KcpConfig kcp = KcpConfig.turbo().toBuilder().windows(128, 128).ackNoDelay(true).build();
        private CongestionControl congestionControl;
        private int sendWindow;
        private int receiveWindow;
        private int mtuBytes = 1400;
        private boolean segmentationOffload = true;
        /** Filled by the handshake setters below, which check each value. */
        private HandshakeSettings handshakeSettings = new HandshakeSettings();
        private long idleTimeoutNs = 30_000_000_000L;
        private long closeTimeoutNs = 30_000_000_000L;
        private long keepaliveNs = 10_000_000_000L;
        private int maxConnections = 65_536;
        private int handshakeWorkers = Runtime.getRuntime().availableProcessors();
        private long pathRetryNs = 1_000_000_000L;

        private Builder() {
        }

        /** @return this */
        public Builder profile(final Profile v) {
            profile = require(v, "profile");
            return this;
        }

        /** Engine preset (e.g. {@link KcpConfig#turbo()}, stream or message mode); its MTU is replaced. */
        public Builder kcp(final KcpConfig v) {
            kcp = require(v, "kcp");
            return this;
        }

        /** Overrides the preset's congestion control. */
        public Builder congestionControl(final CongestionControl v) {
            congestionControl = require(v, "congestionControl");
            return this;
        }

        /** Overrides the preset's windows, in segments. */
        public Builder windows(final int sendSegments, final int receiveSegments) {
            if (sendSegments < 1 || receiveSegments < 1) {
                throw new IllegalArgumentException("windows must be positive");
            }
            sendWindow = sendSegments;
            receiveWindow = receiveSegments;
            return this;
        }

        /** UDP payload bytes per datagram, 576..65507. */
        public Builder mtuBytes(final int v) {
            if (v < 576 || v > 65_507) {
                throw new IllegalArgumentException("mtuBytes must be in 576..65507: " + v);
            }
            mtuBytes = v;
            return this;
        }

        /** On epoll, send runs as {@code UDP_SEGMENT} writes and read {@code UDP_GRO} runs; default true. */
        public Builder segmentationOffload(final boolean v) {
            segmentationOffload = v;
            return this;
        }

        /** @return this */
        public Builder identity(final StaticIdentity v) {
            handshakeSettings.identity = require(v, "identity");
            return this;
        }

        /** @return this */
        public Builder policy(final PeerKeyPolicy v) {
            handshakeSettings.policy = require(v, "policy");
            return this;
        }

        /** A 32-byte pre-shared key both ends share, or null for none. */
        public Builder psk(final byte[] v) {
            if (v != null && v.length != 32) {
                throw new IllegalArgumentException("psk must be 32 bytes");
            }
            handshakeSettings.psk = v == null ? null : v.clone();
            return this;
        }

        /** @return this */
        public Builder hash(final NoiseHash v) {
            handshakeSettings.hash = require(v, "hash");
            return this;
        }

        /**
         * The cipher proposed when connecting; {@link CipherSuite#AUTO} (the default) picks by CPU and falls back to
         * the other cipher when the server refuses its pick; an explicit suite fails the connect on a refusal.
         */
        public Builder cipherSuite(final CipherSuite v) {
            handshakeSettings.cipherSuite = require(v, "cipherSuite");
            return this;
        }

        /** The ciphers accepted from connecting peers, non-empty; default both. Others are refused and counted. */
        public Builder acceptedCiphers(final Set<NoiseCipher> v) {
            if (require(v, "acceptedCiphers").isEmpty()) {
                throw new IllegalArgumentException("acceptedCiphers must name at least one cipher");
            }
            handshakeSettings.acceptedCiphers = EnumSet.copyOf(v);
            return this;
        }

        /** Positive. */
        public Builder idleTimeoutNs(final long v) {
            idleTimeoutNs = positive(v, "idleTimeoutNs");
            return this;
        }

        /** Positive. */
        public Builder closeTimeoutNs(final long v) {
            closeTimeoutNs = positive(v, "closeTimeoutNs");
            return this;
        }

        /** 0 disables keepalives; otherwise it should be well below the peer's idle timeout. */
        public Builder keepaliveNs(final long v) {
            if (v < 0) {
                throw new IllegalArgumentException("keepaliveNs must be >= 0");
            }
            keepaliveNs = v;
            return this;
        }

        /** Positive. */
        public Builder handshakeTimeoutNs(final long v) {
            handshakeSettings.handshakeTimeoutNs = positive(v, "handshakeTimeoutNs");
            return this;
        }

        /** Half-open handshakes at or above which cookies are demanded; 0 demands them always. */
        public Builder cookieThreshold(final int v) {
            if (v < 0) {
                throw new IllegalArgumentException("cookieThreshold must be >= 0");
            }
            handshakeSettings.cookieThreshold = v;
            return this;
        }

        /** Positive. */
        public Builder maxHalfOpen(final int v) {
            handshakeSettings.maxHalfOpen = (int) positive(v, "maxHalfOpen");
            return this;
        }

        /** Positive. */
        public Builder maxConnections(final int v) {
            maxConnections = (int) positive(v, "maxConnections");
            return this;
        }

        /** Handshake worker threads per server socket, 0..256; 0 answers initiations on the event loop. */
        public Builder handshakeWorkers(final int v) {
            if (v < 0 || v > 256) {
                throw new IllegalArgumentException("handshakeWorkers must be in 0..256: " + v);
            }
            handshakeWorkers = v;
            return this;
        }

        /** Positive. */
        public Builder pathRetryNs(final long v) {
            pathRetryNs = positive(v, "pathRetryNs");
            return this;
        }

        /** @return the configuration */
        public RudpConfig build() {
            return new RudpConfig(this);
        }

        private static <T> T require(final T v, final String name) {
            if (v == null) {
                throw new IllegalArgumentException(name + " must not be null");
            }
            return v;
        }

        private static long positive(final long v, final String name) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + " must be positive: " + v);
            }
            return v;
        }
    }
}
