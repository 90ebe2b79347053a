package io.shoal.rudp.packet;

import io.netty.buffer.ByteBuf;
import io.shoal.rudp.crypto.HandshakePattern;
import io.shoal.rudp.crypto.PeerKey;
import org.bouncycastle.crypto.digests.Blake2sDigest;

import java.nio.charset.StandardCharsets;

/**
 * Byte layouts of the handshake packets (see {@code rudp/PROTOCOL.md}) and the MACs around them. All multi-byte
 * integers are big-endian.
 *
 * <pre>
 * INITIATION   E0 | pattern (1) | sender id (8) | Noise message 1 | zero padding | mac1 (16) | mac2 (16)
 * RESPONSE     E2 | receiver id (8) | Noise message 2 (payload: the responder's id, 8)
 * COOKIE_REPLY E4 | receiver id (8) | cookie (16)
 * FINISH       E6 | receiver id (8) | Noise message 3 (XX only, empty payload)
 * </pre>
 */
final class HandshakeCodec {
    /** Every initiation is padded to at least this size, so nothing the server answers with is larger. */
    static final int INITIATION_MIN_BYTES = 160;
    static final int MAC_BYTES = 16;
    static final int INITIATION_HEADER_BYTES = 10;
    static final int REPLY_HEADER_BYTES = 9;
    static final int COOKIE_REPLY_BYTES = REPLY_HEADER_BYTES + CookieValidator.COOKIE_BYTES;
    static final int CONNECTION_ID_BYTES = 8;
    private static final byte[] LABEL = "shoal-secure-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAC1_LABEL = "shoal-mac1".getBytes(StandardCharsets.US_ASCII);
    private static final HandshakePattern[] PATTERNS = HandshakePattern.values();

    private HandshakeCodec() {
    }

    /** @return the pattern for a wire id, or null for an unknown id */
    static HandshakePattern pattern(final int id) {
        return id >= 0 && id < PATTERNS.length ? PATTERNS[id] : null;
    }

    /** @return the total initiation length for {@code pattern} */
    static int initiationBytes(final HandshakePattern pattern) {
        final int unpadded = INITIATION_HEADER_BYTES + pattern.messageLength(0, 0) + 2 * MAC_BYTES;
        return Math.max(INITIATION_MIN_BYTES, unpadded);
    }

    /** @return the response length for {@code pattern} */
    static int responseBytes(final HandshakePattern pattern) {
        return REPLY_HEADER_BYTES + pattern.messageLength(1, CONNECTION_ID_BYTES);
    }

    /** @return the finish length for {@code pattern} (three-message patterns only) */
    static int finishBytes(final HandshakePattern pattern) {
        return REPLY_HEADER_BYTES + pattern.messageLength(2, 0);
    }

    /**
     * The Noise prologue binds the cleartext initiation header (pattern and the initiator's id) into the handshake
     * hash, so tampering with either makes the handshake fail.
     */
    static byte[] prologue(final int patternId, final long initiatorId) {
        final byte[] p = new byte[LABEL.length + 1 + CONNECTION_ID_BYTES];
        System.arraycopy(LABEL, 0, p, 0, LABEL.length);
        p[LABEL.length] = (byte) patternId;
        PacketProtection.putLong(p, LABEL.length + 1, initiatorId);
        return p;
    }

    /**
     * mac1's key: BLAKE2s("shoal-mac1" || responder's static key) when the initiator knows that key (IK), else
     * over 32 zero bytes (XX). Checking mac1 costs one hash, so garbage is dropped before any Diffie-Hellman.
     */
    static byte[] mac1Key(final PeerKey responderKey) {
        final Blake2sDigest d = new Blake2sDigest(256);
        d.update(MAC1_LABEL, 0, MAC1_LABEL.length);
        final byte[] k = responderKey == null ? new byte[32] : responderKey.bytes();
        d.update(k, 0, k.length);
        final byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    /** @return 16-byte keyed BLAKE2s of {@code len} bytes of {@code data} from {@code from} */
    static byte[] mac(final byte[] key, final byte[] data, final int from, final int len) {
        final Blake2sDigest d = new Blake2sDigest(key, MAC_BYTES, null, null);
        d.update(data, from, len);
        final byte[] out = new byte[MAC_BYTES];
        d.doFinal(out, 0);
        return out;
    }

    /** @return the big-endian long at {@code off} */
    static long getLong(final byte[] b, final int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[off + i] & 0xFF);
        }
        return v;
    }

    /** @return 16-byte keyed BLAKE2s of {@code len} bytes of {@code buf} from absolute index {@code from} */
    static byte[] mac(final byte[] key, final ByteBuf buf, final int from, final int len) {
        final Blake2sDigest d = new Blake2sDigest(key, MAC_BYTES, null, null);
        for (int i = 0; i < len; i++) {
            d.update(buf.getByte(from + i));
        }
        final byte[] out = new byte[MAC_BYTES];
        d.doFinal(out, 0);
        return out;
    }
}
