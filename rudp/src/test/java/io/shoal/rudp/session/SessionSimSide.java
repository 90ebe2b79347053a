package io.shoal.rudp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.shoal.rudp.sim.SimEndpoint;
import io.shoal.rudp.sim.SimSeeds;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One {@link SecureEndpoint} as a {@link SimEndpoint}: datagrams from the link appear to come from {@link #peerSeenAs}
 * (change it to simulate NAT rebinding); datagrams addressed anywhere but {@link #peerReachableAt} are lost, as they
 * would be to a NAT mapping that no longer exists. Every event goes to the test's application callback.
 */
final class SessionSimSide implements SimEndpoint {
    static final InetSocketAddress CLIENT_ADDRESS = new InetSocketAddress("198.51.100.1", 40000);
    static final InetSocketAddress SERVER_ADDRESS = new InetSocketAddress("203.0.113.5", 7000);

    final SecureEndpoint endpoint;
    final List<SessionEvent> seen = new ArrayList<>();
    InetSocketAddress peerSeenAs;
    InetSocketAddress peerReachableAt;
    Consumer<SessionEvent> app = e -> { };
    Runnable afterInput = () -> { };
    long misdirected;
    long nowNs;

    SessionSimSide(final RudpConfig config, final boolean accepting, final long seed,
                   final InetSocketAddress peer) {
        this.endpoint = new SecureEndpoint(config, accepting, ByteBufAllocator.DEFAULT, seeded(seed));
        this.peerSeenAs = peer;
        this.peerReachableAt = peer;
    }

    /** A deterministic SecureRandom ({@link SimSeeds#secureRandom}). */
    static SecureRandom seeded(final long seed) {
        return SimSeeds.secureRandom(seed);
    }

    @Override
    public void handleDatagram(final long nowNs, final ByteBuf datagram) {
        this.nowNs = nowNs;
        endpoint.handleDatagram(nowNs, peerSeenAs, datagram);
        deliverEvents();
    }

    @Override
    public void handleTimeout(final long nowNs) {
        this.nowNs = nowNs;
        endpoint.handleTimeout(nowNs);
        deliverEvents();
    }

    @Override
    public int pollTransmit(final long nowNs, final ByteBuf out) {
        this.nowNs = nowNs;
        Transmit t;
        while ((t = endpoint.pollTransmit()) != null) {
            try {
                if (t.destination().equals(peerReachableAt)) {
                    final int n = t.datagram().readableBytes();
                    out.writeBytes(t.datagram());
                    return n;
                }
                misdirected++;
            } finally {
                t.datagram().release();
            }
        }
        deliverEvents();
        return 0;
    }

    @Override
    public long nextDeadlineNs() {
        return endpoint.nextDeadlineNs();
    }

    @Override
    public int maxDatagramBytes() {
        return 1500;
    }

    @Override
    public void close() {
        endpoint.close();
    }

    void deliverEvents() {
        SessionEvent e;
        while ((e = endpoint.pollEvent()) != null) {
            seen.add(e);
            try {
                app.accept(e);
            } finally {
                if (e instanceof SessionEvent.Foreign f) {
                    f.datagram().release();
                }
            }
        }
        afterInput.run();
    }

    /** @return how many events of {@code type} were seen */
    long count(final Class<? extends SessionEvent> type) {
        return seen.stream().filter(type::isInstance).count();
    }
}
