package io.shoal.rudp.packet;

/**
 * Limits for one direction's packet protection. Immutable; {@link #defaults()} or {@link #builder()}.
 *
 * @param keyUpdatePackets packets sealed under one key before the sender moves to the next key
 * @param keyUpdateBytes plaintext bytes sealed under one key before the sender moves to the next key
 * @param oldKeyRetainNs how long a receiver keeps the previous key after the peer switched, for reordered packets
 * @param maxPacketNumber the last packet number a sender may use; past it, sealing refuses and a new handshake is
 *                        needed (the nonce is the packet number, so it must never wrap)
 * @param maxDatagramBytes largest datagram sealed or opened; larger input is dropped
 */
public record PacketProtectionConfig(long keyUpdatePackets, long keyUpdateBytes, long oldKeyRetainNs,
                                     long maxPacketNumber, int maxDatagramBytes) {
    /**
     * A key must cover at least this many packet numbers, so that any packet inside the replay window was sealed
     * under the receiver's previous, current or next key and the one-bit key phase is never ambiguous.
     */
    public static final long MIN_PACKETS_PER_KEY = ReplayWindow.SIZE_BITS;

    /** Checks ranges. */
    public PacketProtectionConfig {
        if (keyUpdatePackets < MIN_PACKETS_PER_KEY) {
            throw new IllegalArgumentException("keyUpdatePackets must be >= " + MIN_PACKETS_PER_KEY);
        }
        if (keyUpdateBytes < 1) {
            throw new IllegalArgumentException("keyUpdateBytes must be positive");
        }
        if (oldKeyRetainNs < 0) {
            throw new IllegalArgumentException("oldKeyRetainNs must be >= 0");
        }
        if (maxPacketNumber < 1 || maxPacketNumber > 1L << 62) {
            throw new IllegalArgumentException("maxPacketNumber must be in 1..2^62");
        }
        if (maxDatagramBytes < PacketProtection.OVERHEAD_BYTES + 1 || maxDatagramBytes > 65507) {
            throw new IllegalArgumentException("maxDatagramBytes must be in " + (PacketProtection.OVERHEAD_BYTES + 1)
                    + "..65507");
        }
    }

    /**
     * 2^30 packets or 2^36 bytes (64 GiB) per key, well inside ChaCha20-Poly1305's limits (RFC 9001 section 6.6);
     * the previous key lives 3 s; packet numbers up to 2^62; datagrams up to 1500 bytes.
     */
    public static PacketProtectionConfig defaults() {
        return builder().build();
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Fluent builder; each setter is named after its field. */
    public static final class Builder {
        private long keyUpdatePackets = 1L << 30;
        private long keyUpdateBytes = 1L << 36;
        private long oldKeyRetainNs = 3_000_000_000L;
        private long maxPacketNumber = 1L << 62;
        private int maxDatagramBytes = 1500;

        private Builder() {
        }

        /** @return this */
        public Builder keyUpdatePackets(final long v) {
            keyUpdatePackets = v;
            return this;
        }

        /** @return this */
        public Builder keyUpdateBytes(final long v) {
            keyUpdateBytes = v;
            return this;
        }

        /** @return this */
        public Builder oldKeyRetainNs(final long v) {
            oldKeyRetainNs = v;
            return this;
        }

        /** @return this */
        public Builder maxPacketNumber(final long v) {
            maxPacketNumber = v;
            return this;
        }

        /** @return this */
        public Builder maxDatagramBytes(final int v) {
            maxDatagramBytes = v;
            return this;
        }

        /** @return the checked configuration */
        public PacketProtectionConfig build() {
            return new PacketProtectionConfig(keyUpdatePackets, keyUpdateBytes, oldKeyRetainNs, maxPacketNumber,
                    maxDatagramBytes);
        }
    }
}
