package io.shoal.peer.node;

import io.shoal.rudp.cc.CongestionControl;
import io.shoal.rudp.crypto.PeerKeyPolicy;
import io.shoal.rudp.kcp.KcpConfig;
import io.shoal.rudp.session.RudpConfig;

/** The rudp settings of a peer node: the configured base, or a bulk-transfer default in stream mode. */
final class RudpConfigs {
    /** The perf tool's window: on loopback under load it beat 256 and 512 segments, and no CC lost to BBR. */
    private static final int WINDOW_SEGMENTS = 2048;

    private RudpConfigs() {
    }

    /**
     * The node's identity, any peer key accepted (peers are found through trackers, not known in advance; the
     * torrent's info hash and piece hashes are what make the data trustworthy), turbo KCP with BBR in stream mode.
     */
    static RudpConfig forNode(PeerNodeConfig config) {
        RudpConfig base = config.rudpConfig();
        RudpConfig.Builder b = base != null ? base.toBuilder() : RudpConfig.builder().kcp(KcpConfig.builder()
            .mode("turbo").congestionControl(CongestionControl.BBR).stream(true)
            .windows(WINDOW_SEGMENTS, WINDOW_SEGMENTS).ackNoDelay(true).flushOnAck(true).build());
        return b.identity(config.identity()).policy(PeerKeyPolicy.acceptAny()).build();
    }
}
