package io.shoal.rudp.perf;

import io.shoal.rudp.cc.CongestionControl;
import io.shoal.rudp.crypto.CipherSuite;
import io.shoal.rudp.crypto.PeerKeyPolicy;
import io.shoal.rudp.crypto.StaticIdentity;
import io.shoal.rudp.kcp.KcpConfig;
import io.shoal.rudp.netty.RawKcpConfig;
import io.shoal.rudp.netty.RawKcpTransport;
import io.shoal.rudp.session.RudpConfig;

/**
 * The engine knobs a perf run chooses, with defaults picked for throughput: turbo mode, BBR, MTU 1400, 2048-segment
 * windows, stream mode, ACKs sent at once and new data flushed on every ACK.
 *
 * @param mode KCP preset: {@code normal}, {@code fast} or {@code turbo}
 * @param congestionControl the sender's controller
 * @param mtu datagram size limit in bytes
 * @param windowSegments send and receive window, in segments
 * @param transport the socket's Netty transport ({@code AUTO}: epoll where available)
 * @param segmentationOffload on epoll, send runs of datagrams as one {@code UDP_SEGMENT} write and read
 *     {@code UDP_GRO}-coalesced runs ({@link RawKcpConfig#segmentationOffload()}; the secure profile reads without
 *     {@code UDP_GRO})
 * @param profile secure (the default: Noise handshake, then AES-256-GCM or ChaCha20-Poly1305) or raw KCP
 * @param cipher the cipher the secure profile's client proposes ({@code AUTO}: AES-256-GCM where the CPU has AES
 *     instructions); a perf server accepts both
 */
public record PerfSettings(String mode, CongestionControl congestionControl, int mtu, int windowSegments,
                           RawKcpTransport transport, boolean segmentationOffload, PerfProfile profile,
                           CipherSuite cipher) {
    public static final String DEFAULT_MODE = "turbo";
    public static final int DEFAULT_MTU = 1400;
    public static final int DEFAULT_WINDOW = 2048;

    /** Checks every field by building the engine config once. */
    public PerfSettings {
        toKcpConfig(mode, congestionControl, mtu, windowSegments);
        if (transport == null || profile == null || cipher == null) {
            throw new IllegalArgumentException("transport, profile and cipher are required");
        }
    }

    /** Settings of the secure profile on the {@code AUTO} transport. */
    public PerfSettings(String mode, CongestionControl congestionControl, int mtu, int windowSegments) {
        this(mode, congestionControl, mtu, windowSegments, RawKcpTransport.AUTO, true, PerfProfile.SECURE,
            CipherSuite.AUTO);
    }

    /** These settings on {@code transport}, with or without segmentation offload. */
    public PerfSettings withTransport(RawKcpTransport transport, boolean segmentationOffload) {
        return new PerfSettings(mode, congestionControl, mtu, windowSegments, transport, segmentationOffload,
            profile, cipher);
    }

    /** These settings over {@code profile}. */
    public PerfSettings withProfile(PerfProfile profile) {
        return new PerfSettings(mode, congestionControl, mtu, windowSegments, transport, segmentationOffload,
            profile, cipher);
    }

    /** These settings with the secure profile's client proposing {@code cipher}. */
    public PerfSettings withCipher(CipherSuite cipher) {
        return new PerfSettings(mode, congestionControl, mtu, windowSegments, transport, segmentationOffload,
            profile, cipher);
    }

    /**
     * The secure-profile configuration for these settings: the same engine (its MTU shrunk by the packet overhead so
     * datagrams stay within {@code mtu}), and {@code identity} with any peer key accepted: perf measures speed, and
     * a perf server's key is fresh each run.
     */
    RudpConfig secureConfig(StaticIdentity identity) {
        return RudpConfig.builder().kcp(kcpConfig()).mtuBytes(mtu).segmentationOffload(segmentationOffload)
            .identity(identity).policy(PeerKeyPolicy.acceptAny()).cipherSuite(cipher).build();
    }

    /** The socket configuration for these settings; the caller adds acceptor and limits. */
    RawKcpConfig.Builder socketConfig() {
        return RawKcpConfig.builder().kcp(kcpConfig()).transport(transport).segmentationOffload(segmentationOffload);
    }

    public static PerfSettings defaults() {
        return new PerfSettings(DEFAULT_MODE, CongestionControl.BBR, DEFAULT_MTU, DEFAULT_WINDOW);
    }

    /** The engine configuration these settings mean (stream mode, {@code ackNoDelay}, {@code flushOnAck}). */
    public KcpConfig kcpConfig() {
        return toKcpConfig(mode, congestionControl, mtu, windowSegments);
    }

    private static KcpConfig toKcpConfig(String mode, CongestionControl cc, int mtu, int window) {
        if (mode == null || cc == null) {
            throw new IllegalArgumentException("mode and congestion control are required");
        }
        return KcpConfig.builder()
            .mode(mode)
            .congestionControl(cc) // after mode(): a preset's nc flag picks KCP or NONE
            .stream(true)
            .mtu(mtu)
            .windows(window, window)
            .ackNoDelay(true)
            .flushOnAck(true)
            .build();
    }
}
