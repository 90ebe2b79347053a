package io.shoal.rudp.packet;

/**
 * Secure-profile packet types and the first byte that carries them. Every secure packet's first byte lies in
 * {@code 0xE0..0xEF}: {@code 1110 TTT K}, three type bits and the key-phase bit (used by key-protected types, zero
 * otherwise). The range avoids everything else that may share the socket: STUN's first two bits are zero
 * ({@code 0x00..0x3F}), BEP 15 tracker packets start with a zero byte, and bencoded DHT messages start with
 * {@code 'd'} (0x64). See {@code rudp/PROTOCOL.md}.
 */
public enum SecurePacketType {
    /** Handshake message 1, client to server; padded, with mac1/mac2. */
    INITIATION(0, false),
    /** Handshake message 2, server to client. */
    RESPONSE(1, false),
    /** Stateless cookie reply to an initiation from an unproven address. */
    COOKIE_REPLY(2, false),
    /** Handshake message 3 of XX, client to server. */
    FINISH(3, false),
    /** KCP segments under AEAD. */
    DATA(4, true),
    /** Path validation challenge (8 random bytes) under AEAD. */
    PATH_CHALLENGE(5, true),
    /** Echo of a path challenge under AEAD. */
    PATH_RESPONSE(6, true),
    /** Authenticated close, with an optional reason, under AEAD. */
    CLOSE(7, true);

    /** Lowest first byte of a secure packet. */
    public static final int FIRST_BYTE_MIN = 0xE0;
    /** Highest first byte of a secure packet. */
    public static final int FIRST_BYTE_MAX = 0xEF;

    private static final SecurePacketType[] BY_CODE = values();

    private final int code;
    private final boolean keyProtected;

    SecurePacketType(final int code, final boolean keyProtected) {
        this.code = code;
        this.keyProtected = keyProtected;
    }

    /** @return the 3-bit type code */
    public int code() {
        return code;
    }

    /** @return whether packets of this type are sealed by {@link PacketProtection} */
    public boolean keyProtected() {
        return keyProtected;
    }

    /** @return the first byte for this type and key phase (0 or 1) */
    public int firstByte(final int keyPhase) {
        return FIRST_BYTE_MIN | code << 1 | (keyPhase & 1);
    }

    /** @return whether {@code firstByte} (0..255) is in the secure range */
    public static boolean isSecure(final int firstByte) {
        return (firstByte & 0xF0) == FIRST_BYTE_MIN;
    }

    /** @return the type of a secure first byte; call only when {@link #isSecure} holds */
    public static SecurePacketType of(final int firstByte) {
        return BY_CODE[(firstByte >>> 1) & 7];
    }

    /** @return the key-phase bit of a first byte */
    public static int keyPhase(final int firstByte) {
        return firstByte & 1;
    }
}
