package io.shoal.rudp.packet;

import io.netty.buffer.ByteBuf;
import org.bouncycastle.crypto.digests.Blake2sDigest;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * Stateless address-validation cookies, WireGuard's mac2 idea (whitepaper section 5.4.7) with QUIC's Retry
 * purpose: a cookie is a 16-byte BLAKE2s MAC of the client's IP address and port under a secret that changes every
 * {@link #EPOCH_NS}; the server keeps nothing per client. A client proves it can receive at its address by
 * echoing the cookie as the key of {@code mac2} on its next initiation. Cookies from the current and the previous
 * epoch are accepted, so a cookie lives between one and two epochs (about two minutes).
 */
public final class CookieValidator {
    /** Cookie length in bytes. */
    public static final int COOKIE_BYTES = 16;
    /** Secret rotation period. */
    public static final long EPOCH_NS = 60_000_000_000L;

    private final byte[] masterSecret;

    /** @param random source of the 32-byte master secret, drawn once */
    public CookieValidator(final SecureRandom random) {
        this.masterSecret = new byte[32];
        random.nextBytes(masterSecret);
    }

    /** @return the cookie for {@code address} at {@code nowNs} */
    public byte[] cookieFor(final InetSocketAddress address, final long nowNs) {
        return cookie(address, Math.floorDiv(nowNs, EPOCH_NS));
    }

    /**
     * Checks the 16 bytes of {@code mac2} at {@code mac2Offset} of {@code packet}, a MAC under a cookie of the
     * current or previous epoch over the {@code mac2Offset} bytes before it. Borrows {@code packet}.
     */
    public boolean mac2Valid(final ByteBuf packet, final int mac2Offset, final InetSocketAddress from,
                             final long nowNs) {
        final long epoch = Math.floorDiv(nowNs, EPOCH_NS);
        final byte[] presented = new byte[COOKIE_BYTES];
        packet.getBytes(packet.readerIndex() + mac2Offset, presented);
        for (long e = epoch; e >= epoch - 1; e--) {
            final byte[] expected = HandshakeCodec.mac(cookie(from, e), packet, packet.readerIndex(), mac2Offset);
            if (MessageDigest.isEqual(expected, presented)) {
                return true;
            }
        }
        return false;
    }

    private byte[] cookie(final InetSocketAddress address, final long epoch) {
        final Blake2sDigest mac = new Blake2sDigest(secretFor(epoch), COOKIE_BYTES, null, null);
        final byte[] ip = address.getAddress().getAddress();
        mac.update(ip, 0, ip.length);
        mac.update((byte) (address.getPort() >>> 8));
        mac.update((byte) address.getPort());
        final byte[] out = new byte[COOKIE_BYTES];
        mac.doFinal(out, 0);
        return out;
    }

    /** The epoch's secret: BLAKE2s keyed by the master secret over the epoch number, so old secrets need no storage. */
    private byte[] secretFor(final long epoch) {
        final Blake2sDigest d = new Blake2sDigest(masterSecret, 32, null, null);
        for (int i = 0; i < 8; i++) {
            d.update((byte) (epoch >>> (56 - 8 * i)));
        }
        final byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }
}
