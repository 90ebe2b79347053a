package io.shoal.rudp.packet;

import io.netty.buffer.ByteBuf;
import io.shoal.rudp.crypto.HandshakePattern;
import io.shoal.rudp.crypto.NoiseCipher;
import io.shoal.rudp.crypto.PeerKey;
import org.bouncycastle.crypto.digests.Blake2sDigest;

import java.nio.charset.StandardCharsets;

/**
 * Byte layouts of the handshake packets (see {@code rudp/PROTOCOL.md}) and the MACs around them. All multi-byte
 * integers are big-endian.
 *
 * <pre>
 * INITIATION   E0 | suite (1) | sender id (8) | Noise message 1 | zero padding | mac1 (16) | mac2 (16)
 * RESPONSE     E2 | receiver id (8) | Noise message 2 (payload: the responder's id, 8)
 * COOKIE_REPLY E4 | receiver id (8) | cookie (16)
 * CIPHER_REFUSAL E5 | receiver id (8) | refused suite (1) | accepted ciphers (1) | mac1 echo (16), see {@link CipherRefusal}
 * FINISH       E6 | receiver id (8) | Noise message 3 (XX only, empty payload)
 * </pre>
 *
 * <p>The suite byte is {@code fallback << 7 | cipher id << 4 | pattern id}: the low nibble the
 * {@link HandshakePattern} (0 XX, 1 IK, 2 XXpsk3, 3 IKpsk2), bits 4-6 the proposed {@link NoiseCipher}
 * (0 ChaChaPoly, 1 AESGCM), bit 7 the fallback flag: set when the initiator proposes this cipher because a
 * {@link CipherRefusal} refused its first choice. ChaChaPoly initiations without a fallback keep the bytes they had
 * before ciphers were negotiable.
 */
final class HandshakeCodec {
    /** Every initiation is padded to at least this size, so nothing the server answers with is larger. */
    static final int INITIATION_MIN_BYTES = 160;
    static final int MAC_BYTES = 16;
    static final int INITIATION_HEADER_BYTES = 10;
    static final int REPLY_HEADER_BYTES = 9;
    static final int COOKIE_REPLY_BYTES = REPLY_HEADER_BYTES + CookieValidator.COOKIE_BYTES;
    static final int CONNECTION_ID_BYTES = 8;
    /** The suite byte's fallback flag (bit 7). */
    static final int FALLBACK_FLAG = 0x80;
    private static final byte[] LABEL = "shoal-secure-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAC1_LABEL = "shoal-mac1".getBytes(StandardCharsets.US_ASCII);
    private static final HandshakePattern[] PATTERNS = HandshakePattern.values();

    private HandshakeCodec() {
    }

    /** @return the pattern in a suite byte's low nibble, or null for an unknown one */
    static HandshakePattern pattern(final int suiteByte) {
        final int id = suiteByte & 0x0F;
        return id < PATTERNS.length ? PATTERNS[id] : null;
    }

    /** @return the cipher in a suite byte's bits 4-6, or null for an unknown one */
    static NoiseCipher cipher(final int suiteByte) {
        return NoiseCipher.ofWireId((suiteByte & 0x70) >>> 4);
    }

    /** @return whether a suite byte carries the fallback flag */
    static boolean isFallback(final int suiteByte) {
        return (suiteByte & FALLBACK_FLAG) != 0;
    }

    /** @return the suite byte of a first initiation proposing {@code cipher} for {@code pattern} */
    static int suiteByte(final HandshakePattern pattern, final NoiseCipher cipher) {
        return suiteByte(pattern, cipher, false);
    }

    /** @return the suite byte proposing {@code cipher} for {@code pattern}, flagged as a fallback or not */
    static int suiteByte(final HandshakePattern pattern, final NoiseCipher cipher, final boolean fallback) {
        return (fallback ? FALLBACK_FLAG : 0) | cipher.wireId() << 4 | pattern.ordinal();
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
     * The Noise prologue binds the cleartext initiation header (the suite byte: pattern, cipher and fallback flag,
     * and the initiator's id) into the handshake hash, so tampering with either makes the handshake fail: a cipher
     * changed on the wire, or a fallback flag stripped, included.
     */
    static byte[] prologue(final int suiteByte, final long initiatorId) {
        final byte[] p = new byte[LABEL.length + 1 + CONNECTION_ID_BYTES];
        System.arraycopy(LABEL, 0, p, 0, LABEL.length);
        p[LABEL.length] = (byte) suiteByte;
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
        if (buf.hasArray()) {
            return mac(key, buf.array(), buf.arrayOffset() + from, len);
        }
        // One bulk copy: a byte at a time through getByte (bounds and reference checks each) cost more than it.
        final byte[] copy = new byte[len];
        buf.getBytes(from, copy);
        return mac(key, copy, 0, len);
    }
}
