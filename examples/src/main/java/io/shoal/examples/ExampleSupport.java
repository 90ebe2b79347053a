package io.shoal.examples;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.shoal.rudp.crypto.PeerKey;
import io.shoal.rudp.crypto.PeerKeyPolicy;
import io.shoal.rudp.crypto.StaticIdentity;
import io.shoal.rudp.session.RudpConfig;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HashMap;

/**
 * What every example needs and nobody wants to read five times: an event loop, a server and a client
 * {@link RudpConfig} in stream or message mode, and a {@code host:port} parser.
 *
 * <p>Keys: a server makes a fresh X25519 identity each run and prints its public key. A client given that key pins
 * it (one-round-trip Noise IK handshake, and a wrong server is refused); without it the client trusts the key the
 * server proves on first use (Noise XX, one and a half round trips). Servers accept any client key here; a real
 * server would use {@link PeerKeyPolicy#allowList}.
 */
public final class ExampleSupport {
    private ExampleSupport() {
    }

    /** @return a one-thread NIO event loop group; shut it down when done */
    public static EventLoopGroup newGroup() {
        return new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    /**
     * @param stream true: a byte stream (like TCP); false: whole messages (each write arrives as one read)
     * @return a server configuration with a fresh identity that accepts any client key
     */
    public static RudpConfig serverConfig(final boolean stream) {
        return withMode(RudpConfig.builder().identity(StaticIdentity.generate(new SecureRandom()))
                .policy(PeerKeyPolicy.acceptAny()), stream);
    }

    /**
     * @param serverKey the server's public key to pin, or null to learn it on first use
     * @return a client configuration with a fresh identity
     */
    public static RudpConfig clientConfig(final boolean stream, final PeerKey serverKey) {
        final PeerKeyPolicy policy = serverKey != null ? PeerKeyPolicy.pinned(serverKey)
                : PeerKeyPolicy.learnOnFirstUse(new HashMap<>());
        return withMode(RudpConfig.builder().identity(StaticIdentity.generate(new SecureRandom())).policy(policy),
                stream);
    }

    /** @return {@code HOST:PORT} (or just {@code PORT}, meaning this host) as an address */
    public static InetSocketAddress parseAddress(final String hostPort) {
        final int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            return new InetSocketAddress("127.0.0.1", Integer.parseInt(hostPort));
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** @return the base64 or hex key at {@code args[index]}, or null when there is none (trust on first use) */
    public static PeerKey optionalKey(final String[] args, final int index) {
        return args.length > index ? PeerKey.parse(args[index]) : null;
    }

    /** The defaults (turbo preset, 1400-byte datagrams) with stream or message mode chosen. */
    private static RudpConfig withMode(final RudpConfig.Builder builder, final boolean stream) {
        final RudpConfig defaults = builder.build();
        return defaults.toBuilder().kcp(defaults.kcp().toBuilder().stream(stream).build()).build();
    }
}
