package io.shoal.rudp.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CookieValidatorTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.7", 40000);
    private final CookieValidator cookies = new CookieValidator(new SecureRandom());

    @Test
    void shouldAcceptACookieForOneToTwoEpochs() {
        final long t0 = 5 * CookieValidator.EPOCH_NS + 1;
        final ByteBuf packet = packetWithMac2(cookies.cookieFor(CLIENT, t0));
        assertTrue(cookies.mac2Valid(packet, 100, CLIENT, t0));
        assertTrue(cookies.mac2Valid(packet, 100, CLIENT, t0 + CookieValidator.EPOCH_NS));
        assertFalse(cookies.mac2Valid(packet, 100, CLIENT, t0 + 2 * CookieValidator.EPOCH_NS), "stale");
        assertFalse(cookies.mac2Valid(packet, 100, CLIENT, t0 - CookieValidator.EPOCH_NS), "from the future");
    }

    @Test
    void shouldRejectACookieFromAnotherAddressOrServer() {
        final long now = 1;
        final ByteBuf packet = packetWithMac2(cookies.cookieFor(CLIENT, now));
        assertFalse(cookies.mac2Valid(packet, 100, new InetSocketAddress("192.0.2.8", 40000), now));
        assertFalse(cookies.mac2Valid(packet, 100, new InetSocketAddress("192.0.2.7", 40001), now));
        assertFalse(new CookieValidator(new SecureRandom()).mac2Valid(packet, 100, CLIENT, now));
        assertFalse(cookies.mac2Valid(packetWithMac2(new byte[16]), 100, CLIENT, now));
    }

    @Test
    void shouldGiveTheSameCookieWithinAnEpoch() {
        assertArrayEquals(cookies.cookieFor(CLIENT, 10), cookies.cookieFor(CLIENT, CookieValidator.EPOCH_NS - 1));
    }

    private static ByteBuf packetWithMac2(final byte[] cookie) {
        final byte[] body = new byte[116];
        for (int i = 0; i < 100; i++) {
            body[i] = (byte) i;
        }
        System.arraycopy(HandshakeCodec.mac(cookie, body, 0, 100), 0, body, 100, 16);
        return Unpooled.wrappedBuffer(body);
    }
}
