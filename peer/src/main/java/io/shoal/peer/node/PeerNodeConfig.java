package io.shoal.peer.node;

import io.shoal.rudp.crypto.StaticIdentity;
import io.shoal.rudp.netty.RawKcpTransport;
import io.shoal.rudp.session.RudpConfig;

import java.net.InetAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Immutable configuration of a {@link PeerNode}; build with {@link #builder()}. Rates are bytes per second (0 means
 * unlimited), times are seconds unless the name says otherwise.
 */
public final class PeerNodeConfig {
    private final int port;
    private final InetAddress bindAddress;
    private final boolean announce;
    private final List<URI> extraTrackers;
    private final Set<PeerTransport> transports;
    private final long uploadLimitBytesPerSec;
    private final long downloadLimitBytesPerSec;
    private final int maxPeersPerTorrent;
    private final StaticIdentity identity;
    private final int announceIntervalOverrideSec;
    private final RudpConfig rudpConfig;
    private final long rudpConnectTimeoutMs;
    private final int hashThreads;
    private final UploadTamper uploadTamper;
    private final boolean superSeeding;
    private final long redialInitialMs;
    private final int redialMaxFailures;
    private final RawKcpTransport ioTransport;

    private PeerNodeConfig(final Builder b) {
        this.port = b.port;
        this.bindAddress = b.bindAddress;
        this.announce = b.announce;
        this.extraTrackers = List.copyOf(b.extraTrackers);
        this.transports = Set.copyOf(b.transports);
        this.uploadLimitBytesPerSec = b.uploadLimitBytesPerSec;
        this.downloadLimitBytesPerSec = b.downloadLimitBytesPerSec;
        this.maxPeersPerTorrent = b.maxPeersPerTorrent;
        this.identity = b.identity != null ? b.identity : StaticIdentity.generate(new SecureRandom());
        this.announceIntervalOverrideSec = b.announceIntervalOverrideSec;
        this.rudpConfig = b.rudpConfig;
        this.rudpConnectTimeoutMs = b.rudpConnectTimeoutMs;
        this.hashThreads = b.hashThreads;
        this.uploadTamper = b.uploadTamper;
        this.superSeeding = b.superSeeding;
        this.redialInitialMs = b.redialInitialMs;
        this.redialMaxFailures = b.redialMaxFailures;
        this.ioTransport = b.ioTransport;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Port for both TCP and UDP; 0 picks an ephemeral number free on both. */
    public int port() {
        return port;
    }

    public InetAddress bindAddress() {
        return bindAddress;
    }

    /** Whether torrents announce to their trackers (metainfo announce/announce-list plus {@link #extraTrackers()}). */
    public boolean announce() {
        return announce;
    }

    public List<URI> extraTrackers() {
        return extraTrackers;
    }

    public Set<PeerTransport> transports() {
        return transports;
    }

    public long uploadLimitBytesPerSec() {
        return uploadLimitBytesPerSec;
    }

    public long downloadLimitBytesPerSec() {
        return downloadLimitBytesPerSec;
    }

    public int maxPeersPerTorrent() {
        return maxPeersPerTorrent;
    }

    /** The static X25519 identity of the rudp endpoint. */
    public StaticIdentity identity() {
        return identity;
    }

    /** When positive, replaces the tracker's announce interval (tests); 0 uses the tracker's. */
    public int announceIntervalOverrideSec() {
        return announceIntervalOverrideSec;
    }

    /**
     * Base rudp configuration (the identity is replaced by {@link #identity()}); null means the secure default. A
     * {@link RudpConfig.Profile#RAW} profile (bare KCP: no handshake, no encryption, no authentication) is for
     * benchmarks that measure the peer without the AEAD; such a node speaks rudp only to nodes configured alike.
     */
    public RudpConfig rudpConfig() {
        return rudpConfig;
    }

    /** How long an outgoing rudp handshake may take before falling back to TCP. */
    public long rudpConnectTimeoutMs() {
        return rudpConnectTimeoutMs;
    }

    /** Worker threads hashing pieces off the event loop. */
    public int hashThreads() {
        return hashThreads;
    }

    /** Test fault injection on served blocks; {@link UploadTamper#NONE} unless set. */
    public UploadTamper uploadTamper() {
        return uploadTamper;
    }

    /**
     * BEP 16 super-seeding for a torrent that starts complete (on by default): the seed hides its pieces and reveals
     * them one peer at a time, so it uploads about one copy and the downloaders trade the rest.
     */
    public boolean superSeeding() {
        return superSeeding;
    }

    /** First wait before an address whose dial failed or whose connection dropped is dialled again; doubles each time. */
    public long redialInitialMs() {
        return redialInitialMs;
    }

    /** Failed dials or drops in a row after which an address is given up for the torrent's life. */
    public int redialMaxFailures() {
        return redialMaxFailures;
    }

    /**
     * The Netty transport of the node's event loop: {@code AUTO} (the default) is epoll where it loads (batched UDP
     * reads and writes), else NIO.
     */
    public RawKcpTransport ioTransport() {
        return ioTransport;
    }

    /** Builder; every setter validates its argument. */
    public static final class Builder {
        private int port = 6881;
        private InetAddress bindAddress;
        private boolean announce = true;
        private List<URI> extraTrackers = List.of();
        private Set<PeerTransport> transports = EnumSet.allOf(PeerTransport.class);
        private long uploadLimitBytesPerSec;
        private long downloadLimitBytesPerSec;
        private int maxPeersPerTorrent = 50;
        private StaticIdentity identity;
        private int announceIntervalOverrideSec;
        private RudpConfig rudpConfig;
        private long rudpConnectTimeoutMs = 1000;
        private int hashThreads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        private UploadTamper uploadTamper = UploadTamper.NONE;
        private boolean superSeeding = true;
        private long redialInitialMs = 5000;
        private int redialMaxFailures = 8;
        private RawKcpTransport ioTransport = RawKcpTransport.AUTO;

        private Builder() {
            try {
                bindAddress = InetAddress.getByAddress(new byte[4]);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        public Builder port(final int v) {
            if (v < 0 || v > 65535) {
                throw new IllegalArgumentException("port out of range: " + v);
            }
            port = v;
            return this;
        }

        public Builder bind(final InetAddress v) {
            bindAddress = Objects.requireNonNull(v, "bindAddress");
            return this;
        }

        public Builder bindAddress(final InetAddress v) {
            return bind(v);
        }

        public Builder announce(final boolean v) {
            announce = v;
            return this;
        }

        public Builder extraTrackers(final List<URI> v) {
            extraTrackers = List.copyOf(v);
            return this;
        }

        /** Same as {@link #extraTrackers(List)}. */
        public Builder trackers(final List<URI> v) {
            return extraTrackers(v);
        }

        public Builder transports(final Set<PeerTransport> v) {
            if (v.isEmpty()) {
                throw new IllegalArgumentException("at least one transport");
            }
            transports = EnumSet.copyOf(v);
            return this;
        }

        public Builder uploadLimitBytesPerSec(final long v) {
            uploadLimitBytesPerSec = requireNonNegative(v, "uploadLimitBytesPerSec");
            return this;
        }

        public Builder downloadLimitBytesPerSec(final long v) {
            downloadLimitBytesPerSec = requireNonNegative(v, "downloadLimitBytesPerSec");
            return this;
        }

        public Builder maxPeersPerTorrent(final int v) {
            if (v < 1) {
                throw new IllegalArgumentException("maxPeersPerTorrent must be >= 1");
            }
            maxPeersPerTorrent = v;
            return this;
        }

        public Builder identity(final StaticIdentity v) {
            identity = Objects.requireNonNull(v, "identity");
            return this;
        }

        public Builder announceIntervalOverrideSec(final int v) {
            announceIntervalOverrideSec = (int) requireNonNegative(v, "announceIntervalOverrideSec");
            return this;
        }

        public Builder rudpConfig(final RudpConfig v) {
            rudpConfig = Objects.requireNonNull(v, "rudpConfig");
            return this;
        }

        public Builder rudpConnectTimeoutMs(final long v) {
            if (v < 1) {
                throw new IllegalArgumentException("rudpConnectTimeoutMs must be >= 1");
            }
            rudpConnectTimeoutMs = v;
            return this;
        }

        public Builder hashThreads(final int v) {
            if (v < 1) {
                throw new IllegalArgumentException("hashThreads must be >= 1");
            }
            hashThreads = v;
            return this;
        }

        /** Tests only: a node that alters what it serves. */
        public Builder superSeeding(final boolean v) {
            superSeeding = v;
            return this;
        }

        public Builder uploadTamper(final UploadTamper v) {
            uploadTamper = Objects.requireNonNull(v, "uploadTamper");
            return this;
        }

        /** First redial wait (default 5 s); it doubles per failure up to 5 min. */
        public Builder redialInitialMs(final long v) {
            if (v < 1) {
                throw new IllegalArgumentException("redialInitialMs must be >= 1");
            }
            redialInitialMs = v;
            return this;
        }

        /** Failures in a row before an address is given up (default 8). */
        public Builder redialMaxFailures(final int v) {
            if (v < 1) {
                throw new IllegalArgumentException("redialMaxFailures must be >= 1");
            }
            redialMaxFailures = v;
            return this;
        }

        /** AUTO (default), EPOLL (fails at start where it is missing) or NIO. */
        public Builder ioTransport(final RawKcpTransport v) {
            ioTransport = Objects.requireNonNull(v, "ioTransport");
            return this;
        }

        public PeerNodeConfig build() {
            return new PeerNodeConfig(this);
        }

        private static long requireNonNegative(final long v, final String name) {
            if (v < 0) {
                throw new IllegalArgumentException(name + " must be >= 0");
            }
            return v;
        }
    }
}
