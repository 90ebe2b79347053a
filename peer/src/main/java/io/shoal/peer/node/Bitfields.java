package io.shoal.peer.node;

import java.util.BitSet;

/** BEP 3 bitfield bytes: piece 0 is the high bit of byte 0; spare bits at the end are zero. */
final class Bitfields {
    private Bitfields() {
    }

    static byte[] toWire(BitSet have, int pieceCount) {
        byte[] bits = new byte[(pieceCount + 7) / 8];
        for (int p = have.nextSetBit(0); p >= 0 && p < pieceCount; p = have.nextSetBit(p + 1)) {
            bits[p >>> 3] |= (byte) (0x80 >>> (p & 7));
        }
        return bits;
    }
}
