package io.shoal.rudp.packet;

import io.netty.buffer.ByteBuf;
import io.shoal.rudp.crypto.NoiseCipher;

import java.util.Set;

/**
 * The CIPHER_REFUSAL packet: a responder's stateless answer to an initiation whose cipher it refuses (see
 * {@code rudp/PROTOCOL.md} section 3), saying which ciphers it accepts, like QUIC's Version Negotiation.
 *
 * <pre>
 * CIPHER_REFUSAL  E5 | receiver id (8) | refused suite byte (1) | accepted ciphers (1) | the initiation's mac1 (16)
 * </pre>
 *
 * <p>27 bytes. The eight type codes are all taken, so it is a COOKIE_REPLY with the key-phase bit set (handshake
 * types always send that bit clear): the demultiplexer and the endpoint's routing by receiver id treat it as a
 * COOKIE_REPLY, and only the initiator tells them apart, by first byte and length. The accepted-ciphers byte has
 * bit {@code i} set for the cipher with wire id {@code i}. Echoing the suite byte and the 16-byte mac1 binds the
 * refusal to one initiation (mac1 covers its fresh ephemeral key), so an off-path attacker cannot forge one and a
 * refusal of an earlier attempt never matches a later one. Nothing authenticates it: an on-path attacker can forge
 * one, which is why a fallback is bound into the retried handshake's prologue (the suite byte's fallback flag).
 */
public final class CipherRefusal {
    /** The first byte: COOKIE_REPLY's type code with the key-phase bit set. */
    public static final int FIRST_BYTE = SecurePacketType.COOKIE_REPLY.firstByte(1);
    /** Length of every refusal: far below the 160-byte minimum initiation, so it never amplifies. */
    public static final int BYTES = HandshakeCodec.REPLY_HEADER_BYTES + 2 + HandshakeCodec.MAC_BYTES;
    private static final int SUITE_AT = HandshakeCodec.REPLY_HEADER_BYTES;
    private static final int MASK_AT = SUITE_AT + 1;
    private static final int MAC1_AT = MASK_AT + 1;

    private CipherRefusal() {
    }

    /** @return the accepted-ciphers byte for {@code ciphers}: bit {@code wireId} per cipher */
    public static int mask(final Set<NoiseCipher> ciphers) {
        int m = 0;
        for (final NoiseCipher c : ciphers) {
            m |= 1 << c.wireId();
        }
        return m;
    }

    /** @return whether {@code mask} lists {@code cipher} */
    public static boolean lists(final int mask, final NoiseCipher cipher) {
        return (mask >>> cipher.wireId() & 1) != 0;
    }

    /** @return the ciphers {@code mask} lists, for people: e.g. {@code CHACHA20_POLY1305}, unknown ids as numbers */
    public static String describe(final int mask) {
        final StringBuilder b = new StringBuilder();
        for (int id = 0; id < 8; id++) {
            if ((mask >>> id & 1) != 0) {
                final NoiseCipher c = NoiseCipher.ofWireId(id);
                b.append(b.length() == 0 ? "" : ", ").append(c == null ? "cipher id " + id : c.name());
            }
        }
        return b.toString();
    }

    /**
     * Appends the refusal of {@code initiation} (borrowed, readable bytes: a whole initiation whose length and mac1
     * were checked) to {@code out}, listing {@code acceptedMask}.
     */
    public static void write(final ByteBuf initiation, final int acceptedMask, final ByteBuf out) {
        final int r = initiation.readerIndex();
        final int mac1At = r + initiation.readableBytes() - 2 * HandshakeCodec.MAC_BYTES;
        out.writeByte(FIRST_BYTE);
        out.writeLong(initiation.getLong(r + 2));
        out.writeByte(initiation.getUnsignedByte(r + 1));
        out.writeByte(acceptedMask);
        out.writeBytes(initiation, mac1At, HandshakeCodec.MAC_BYTES);
    }

    /**
     * Reads a refusal (borrowed) meant for {@code initiation}, the exact bytes of the initiation this side sent last.
     *
     * @return the accepted-ciphers byte (0..255), or -1 when it is not a well-formed refusal of that initiation (wrong
     *         length, receiver id, suite byte or mac1 echo, or an empty list)
     */
    static int acceptedMask(final ByteBuf refusal, final byte[] initiation) {
        final int r = refusal.readerIndex();
        if (refusal.readableBytes() != BYTES || refusal.getUnsignedByte(r) != FIRST_BYTE
                || refusal.getLong(r + 1) != HandshakeCodec.getLong(initiation, 2)
                || refusal.getByte(r + SUITE_AT) != initiation[1]) {
            return -1;
        }
        final int mac1At = initiation.length - 2 * HandshakeCodec.MAC_BYTES;
        for (int i = 0; i < HandshakeCodec.MAC_BYTES; i++) {
            if (refusal.getByte(r + MAC1_AT + i) != initiation[mac1At + i]) {
                return -1;
            }
        }
        final int mask = refusal.getUnsignedByte(r + MASK_AT);
        return mask == 0 ? -1 : mask;
    }
}
