package io.shoal.peer.node;

import io.shoal.rudp.crypto.PeerKeyPolicy;
import io.shoal.rudp.kcp.KcpConfig;
import io.shoal.rudp.session.RudpConfig;

/** The rudp settings of a peer node: the configured base (or a bulk-transfer default), in stream mode. */
final class RudpConfigs {
    private static final int WINDOW_SEGMENTS = 1024;

    private RudpConfigs() {
    }

    /**
     * The node's identity, any peer key accepted (peers are found through trackers, not known in advance; the
     * torrent's info hash and piece hashes are what make the data trustworthy), stream mode.
     */
    static RudpConfig forNode(PeerNodeConfig config) {
        RudpConfig base = config.rudpConfig();
        RudpConfig.Builder b = base != null ? base.toBuilder() : RudpConfig.builder().kcp(KcpConfig.builder()
            .mode("turbo").stream(true)
            .windows(WINDOW_SEGMENTS, WINDOW_SEGMENTS).ackNoDelay(true).flushOnAck(true).build());
        return b.identity(config.identity()).policy(PeerKeyPolicy.acceptAny()).build();
    }
}
