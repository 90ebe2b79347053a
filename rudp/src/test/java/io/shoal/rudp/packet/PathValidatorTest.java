package io.shoal.rudp.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PathValidatorTest {
    private static final InetSocketAddress OLD = new InetSocketAddress("198.51.100.1", 5000);
    private static final InetSocketAddress NEW = new InetSocketAddress("198.51.100.1", 6123);
    private static final long RETRY_NS = 100_000_000L;
    private final PathValidator paths = new PathValidator(OLD, new SecureRandom(), RETRY_NS);

    @Test
    void shouldKeepTheConnectionAndValidateTheNewAddressAfterRebinding() {
        // Connections are found by id, so a sealed challenge and its echo travel between the two protections.
        final PacketProtection[] p = pair();
        assertEquals(PathValidator.Action.SEND_CHALLENGE, paths.onAuthenticatedPacket(NEW, 1200, 0));
        final ByteBuf challenge = Unpooled.wrappedBuffer(paths.challenge());
        final ByteBuf wire = Unpooled.buffer();
        assertEquals(SealResult.SEALED, p[0].seal(SecurePacketType.PATH_CHALLENGE, challenge, wire));
        final ByteBuf opened = Unpooled.buffer();
        assertEquals(OpenResult.OPENED, p[1].open(wire, opened, 0));
        assertEquals(SecurePacketType.PATH_CHALLENGE, p[1].lastType());
        final ByteBuf echo = Unpooled.buffer();
        p[1].seal(SecurePacketType.PATH_RESPONSE, opened, echo);
        final ByteBuf back = Unpooled.buffer();
        assertEquals(OpenResult.OPENED, p[0].open(echo, back, 0));
        final byte[] echoed = new byte[PathValidator.CHALLENGE_BYTES];
        back.readBytes(echoed);
        assertFalse(paths.onPathResponse(new InetSocketAddress("203.0.113.5", 1), echoed), "wrong address");
        assertTrue(paths.onPathResponse(NEW, echoed));
        assertEquals(NEW, paths.validatedPath());
        assertNull(paths.candidate());
        for (final ByteBuf b : new ByteBuf[] {wire, opened, echo, back}) {
            b.release();
        }
    }

    @Test
    void shouldLimitBytesToAnUnvalidatedAddressToThreeTimesWhatItSent() {
        paths.onAuthenticatedPacket(NEW, 100, 0);
        final int challengeBytes = PacketProtection.OVERHEAD_BYTES + PathValidator.CHALLENGE_BYTES;
        assertTrue(paths.trySend(NEW, 300 - challengeBytes));
        assertFalse(paths.trySend(NEW, 1), "budget spent");
        paths.onAuthenticatedPacket(NEW, 10, 1);
        assertTrue(paths.trySend(NEW, 30));
        assertFalse(paths.trySend(NEW, 1));
        assertTrue(paths.trySend(OLD, 100_000), "the validated path is not limited");
    }

    @Test
    void shouldRejectAWrongEchoAndGiveUpAfterThreeChallenges() {
        assertEquals(PathValidator.Action.SEND_CHALLENGE, paths.onAuthenticatedPacket(NEW, 1200, 0));
        assertFalse(paths.onPathResponse(NEW, new byte[PathValidator.CHALLENGE_BYTES]));
        assertEquals(PathValidator.Action.SEND_CHALLENGE, paths.handleTimeout(RETRY_NS));
        assertEquals(PathValidator.Action.SEND_CHALLENGE, paths.handleTimeout(2 * RETRY_NS));
        assertEquals(PathValidator.Action.NONE, paths.handleTimeout(3 * RETRY_NS));
        assertNull(paths.candidate());
        assertEquals(OLD, paths.validatedPath());
        assertEquals(PathValidator.NO_DEADLINE, paths.nextDeadlineNs());
    }

    @Test
    void shouldNotChallengeWhenTheNewAddressSentTooLittleToPayForIt() {
        assertEquals(PathValidator.Action.NONE, paths.onAuthenticatedPacket(NEW, 5, 0));
        assertEquals(NEW, paths.candidate());
    }

    private static PacketProtection[] pair() {
        final byte[] k1 = new byte[32];
        final byte[] k2 = new byte[32];
        k2[0] = 1;
        return new PacketProtection[] {
            new PacketProtection(k1, k2, 1, 2, PacketProtectionConfig.defaults()),
            new PacketProtection(k2, k1, 2, 1, PacketProtectionConfig.defaults()),
        };
    }
}
