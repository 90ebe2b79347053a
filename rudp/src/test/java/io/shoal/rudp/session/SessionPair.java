package io.shoal.rudp.session;

import io.shoal.rudp.crypto.PeerKeyPolicy;
import io.shoal.rudp.crypto.StaticIdentity;
import io.shoal.rudp.impair.LinkConfig;
import io.shoal.rudp.sim.SimPair;
import io.shoal.rudp.sim.SimSeeds;

import java.util.HashMap;

/**
 * A client and a server {@link SecureEndpoint} on a {@link SimPair}, with the client's connection and the server's
 * accepted one captured as their events arrive. The client pins the server's key (IK).
 */
final class SessionPair implements AutoCloseable {
    static final long MS = 1_000_000L;
    static final long SECOND = 1_000 * MS;

    final SessionSimSide client;
    final SessionSimSide server;
    final SimPair sim;
    final StaticIdentity serverIdentity;
    SecureConnection clientConnection;
    SecureConnection serverConnection;

    SessionPair(final long seed, final LinkConfig link, final RudpConfig.Builder common) {
        this(seed, link, common, true);
    }

    /** @param pinServerKey true: the client knows the server's key (IK); false: it learns it (XX, with FINISH) */
    SessionPair(final long seed, final LinkConfig link, final RudpConfig.Builder common, final boolean pinServerKey) {
        final StaticIdentity clientIdentity = StaticIdentity.generate(SessionSimSide.seeded(SimSeeds.mix(seed, 10)));
        serverIdentity = StaticIdentity.generate(SessionSimSide.seeded(SimSeeds.mix(seed, 11)));
        final RudpConfig clientConfig = common.identity(clientIdentity)
                .policy(pinServerKey ? PeerKeyPolicy.pinned(serverIdentity.publicKey())
                        : PeerKeyPolicy.learnOnFirstUse(new HashMap<>())).build();
        final RudpConfig serverConfig = clientConfig.toBuilder().identity(serverIdentity)
                .policy(PeerKeyPolicy.acceptAny()).build();
        client = new SessionSimSide(clientConfig, false, SimSeeds.mix(seed, 12), SessionSimSide.SERVER_ADDRESS);
        server = new SessionSimSide(serverConfig, true, SimSeeds.mix(seed, 13), SessionSimSide.CLIENT_ADDRESS);
        server.app = e -> {
            if (e instanceof SessionEvent.Accepted a) {
                serverConnection = a.connection();
            }
        };
        sim = SimPair.of(seed, link, client, server);
    }

    SessionPair(final long seed, final LinkConfig link) {
        this(seed, link, RudpConfig.builder());
    }

    /** Starts the client's connection and runs until both ends are established. */
    SessionPair handshake() {
        clientConnection = client.endpoint.connect(sim.nowNs(), SessionSimSide.SERVER_ADDRESS, "server");
        final boolean done = sim.driveUntil(() -> serverConnection != null
                && clientConnection.state() == SecureConnection.State.ESTABLISHED, 20 * SECOND);
        if (!done) {
            throw new AssertionError("handshake did not complete; seed " + SimSeeds.format(sim.seed()));
        }
        return this;
    }

    @Override
    public void close() {
        sim.close();
    }
}
