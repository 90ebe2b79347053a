package io.shoal.rudp.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Test helper: one DATA packet each way between two established protections, checked byte for byte. */
final class PacketRoundTrip {
    private PacketRoundTrip() {
    }

    /** Seals at {@code a}, opens at {@code b}, then the other way. */
    static void both(final PacketProtection a, final PacketProtection b) {
        one(a, b);
        one(b, a);
    }

    private static void one(final PacketProtection from, final PacketProtection to) {
        final ByteBuf plain = Unpooled.copiedBuffer(new byte[] {1, 2, 3, 4, 5});
        final ByteBuf wire = Unpooled.buffer();
        final ByteBuf back = Unpooled.buffer();
        try {
            assertEquals(SealResult.SEALED, from.seal(SecurePacketType.DATA, plain, wire));
            assertEquals(OpenResult.OPENED, to.open(wire, back, 0));
            assertEquals(plain, back);
        } finally {
            plain.release();
            wire.release();
            back.release();
        }
    }
}
