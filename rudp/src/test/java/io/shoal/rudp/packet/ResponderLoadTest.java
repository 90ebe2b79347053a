package io.shoal.rudp.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shoal.rudp.crypto.PeerKeyPolicy;
import io.shoal.rudp.crypto.StaticIdentity;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** How the responder decides it is under load: half-open handshakes, or handshakes started per second. */
class ResponderLoadTest {
    private static final long MS = 1_000_000L;
    private final SecureRandom random = new SecureRandom();
    private final StaticIdentity client = StaticIdentity.generate(random);
    private final StaticIdentity server = StaticIdentity.generate(random);

    @Test
    void shouldKeepAcceptingWhenCompletedHandshakesOutnumberMaxHalfOpen() {
        final SecureResponder resp = responder(1_000, 4);
        for (int i = 0; i < 20; i++) {
            assertEquals(SecureResponder.Result.RESPONDED, initiate(resp, i * 10 * MS), "handshake " + i);
            assertNotNull(resp.pollEstablished(), "handshake " + i);
        }
        assertEquals(0, resp.halfOpenCount());
        assertEquals(4 * 4, resp.rememberedCount(), "completed ones are remembered, up to 4x maxHalfOpen");
    }

    @Test
    void shouldDemandCookiesWhenMoreThanThresholdHandshakesStartWithinOneSecond() {
        final SecureResponder resp = responder(3, 4096);
        for (int i = 0; i < 3; i++) {
            assertEquals(SecureResponder.Result.RESPONDED, initiate(resp, i * MS), "handshake " + i);
        }
        assertEquals(SecureResponder.Result.COOKIE_SENT, initiate(resp, 3 * MS));
        assertEquals(SecureResponder.Result.COOKIE_SENT, initiate(resp, 999 * MS));
        assertEquals(SecureResponder.Result.RESPONDED, initiate(resp, 1_001 * MS), "the oldest start left the window");
    }

    /** Feeds one fresh IK initiation at {@code nowNs}; @return what the responder did */
    private SecureResponder.Result initiate(final SecureResponder resp, final long nowNs) {
        final SecureHandshakeConfig cfg = SecureHandshakeConfig.builder(client,
                PeerKeyPolicy.pinned(server.publicKey())).handshakeTimeoutNs(20_000 * MS).build();
        final SecureInitiator init = new SecureInitiator(cfg, "server", random.nextLong(), random);
        final ByteBuf initiation = Unpooled.buffer();
        final ByteBuf reply = Unpooled.buffer();
        init.start(nowNs, initiation);
        try {
            return resp.handleInitiation(initiation, HandshakeLink.CLIENT, nowNs, reply);
        } finally {
            initiation.release();
            reply.release();
        }
    }

    private SecureResponder responder(final int cookieThreshold, final int maxHalfOpen) {
        final SecureHandshakeConfig cfg = SecureHandshakeConfig.builder(server, PeerKeyPolicy.acceptAny())
                .cookieThreshold(cookieThreshold).maxHalfOpen(maxHalfOpen).handshakeTimeoutNs(20_000 * MS).build();
        return new SecureResponder(cfg, new CookieValidator(random), random);
    }
}
