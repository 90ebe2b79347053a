package io.shoal.rudp.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The ChaCha20 stream cipher (RFC 8439 section 2.4) with a 32-bit block counter and a 96-bit nonce, XORing the
 * keystream straight into the output: the 16 state words live in locals for the 20 rounds and each block is applied
 * as 16 little-endian int reads and writes, so no keystream array is written and read back per block (BouncyCastle's
 * {@code ChaChaEngine.chachaCore} fills an {@code int[]} that the caller then walks). Holds no key of its own, so
 * one instance per thread serves every connection. One thread only.
 */
final class ChaCha20 {
    static final int BLOCK_BYTES = 64;
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** "expand 32-byte k", RFC 8439 section 2.3. */
    private static final int S0 = 0x61707865;
    private static final int S1 = 0x3320646e;
    private static final int S2 = 0x79622d32;
    private static final int S3 = 0x6b206574;
    private static final byte[] ZERO_BLOCK = new byte[BLOCK_BYTES];

    private final byte[] tail = new byte[BLOCK_BYTES];
    private int[] key;
    private int n0;
    private int n1;
    private int n2;

    /** @return a 32-byte key as the eight little-endian words {@link #start} takes */
    static int[] keyWords(final byte[] k, final int[] into) {
        for (int i = 0; i < 8; i++) {
            into[i] = (int) LE_INT.get(k, 4 * i);
        }
        return into;
    }

    /**
     * Sets the key (eight words from {@link #keyWords}, used by reference until the next start: the caller keeps
     * it) and the three nonce words (state words 13 to 15).
     */
    void start(final int[] keyWords, final int nonce0, final int nonce1, final int nonce2) {
        key = keyWords;
        n0 = nonce0;
        n1 = nonce1;
        n2 = nonce2;
    }

    /** Writes keystream block {@code counter} (64 bytes) into {@code out} at {@code outOff}. */
    void keystream(final int counter, final byte[] out, final int outOff) {
        xorBlock(counter, ZERO_BLOCK, 0, out, outOff);
    }

    /**
     * XORs {@code in[inOff, inOff+len)} with the keystream starting at block {@code counter} into {@code out} at
     * {@code outOff}; the two ranges may be the same.
     */
    void xor(final int counter, final byte[] in, final int inOff, final int len, final byte[] out, final int outOff) {
        int block = counter;
        int pos = 0;
        while (len - pos >= BLOCK_BYTES) {
            xorBlock(block++, in, inOff + pos, out, outOff + pos);
            pos += BLOCK_BYTES;
        }
        if (pos < len) {
            keystream(block, tail, 0);
            for (int i = 0; pos < len; i++, pos++) {
                out[outOff + pos] = (byte) (in[inOff + pos] ^ tail[i]);
            }
            Arrays.fill(tail, (byte) 0);
        }
    }

    /** One block: the 20 rounds on locals, then the keystream XORed with 64 input bytes, a word at a time. */
    private void xorBlock(final int counter, final byte[] in, final int inOff, final byte[] out, final int outOff) {
        final int[] k = key;
        int x0 = S0;
        int x1 = S1;
        int x2 = S2;
        int x3 = S3;
        int x4 = k[0];
        int x5 = k[1];
        int x6 = k[2];
        int x7 = k[3];
        int x8 = k[4];
        int x9 = k[5];
        int x10 = k[6];
        int x11 = k[7];
        int x12 = counter;
        int x13 = n0;
        int x14 = n1;
        int x15 = n2;
        for (int round = 0; round < 10; round++) {
            // Column rounds: (0,4,8,12) (1,5,9,13) (2,6,10,14) (3,7,11,15).
            x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 16);
            x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 16);
            x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 16);
            x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 16);
            x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 12);
            x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 12);
            x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 12);
            x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 12);
            x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 8);
            x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 8);
            x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 8);
            x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 8);
            x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 7);
            x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 7);
            x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 7);
            x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 7);
            // Diagonal rounds: (0,5,10,15) (1,6,11,12) (2,7,8,13) (3,4,9,14).
            x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 16);
            x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 16);
            x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 16);
            x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 16);
            x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 12);
            x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 12);
            x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 12);
            x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 12);
            x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 8);
            x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 8);
            x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 8);
            x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 8);
            x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 7);
            x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 7);
            x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 7);
            x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 7);
        }
        put(in, inOff, out, outOff, 0, x0 + S0);
        put(in, inOff, out, outOff, 1, x1 + S1);
        put(in, inOff, out, outOff, 2, x2 + S2);
        put(in, inOff, out, outOff, 3, x3 + S3);
        put(in, inOff, out, outOff, 4, x4 + k[0]);
        put(in, inOff, out, outOff, 5, x5 + k[1]);
        put(in, inOff, out, outOff, 6, x6 + k[2]);
        put(in, inOff, out, outOff, 7, x7 + k[3]);
        put(in, inOff, out, outOff, 8, x8 + k[4]);
        put(in, inOff, out, outOff, 9, x9 + k[5]);
        put(in, inOff, out, outOff, 10, x10 + k[6]);
        put(in, inOff, out, outOff, 11, x11 + k[7]);
        put(in, inOff, out, outOff, 12, x12 + counter);
        put(in, inOff, out, outOff, 13, x13 + n0);
        put(in, inOff, out, outOff, 14, x14 + n1);
        put(in, inOff, out, outOff, 15, x15 + n2);
    }

    private static void put(final byte[] in, final int inOff, final byte[] out, final int outOff, final int word,
                            final int keystream) {
        LE_INT.set(out, outOff + 4 * word, (int) LE_INT.get(in, inOff + 4 * word) ^ keystream);
    }
}
