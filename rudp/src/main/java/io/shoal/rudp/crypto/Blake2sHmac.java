package io.shoal.rudp.crypto;

import java.util.Arrays;

/**
 * HMAC-BLAKE2s-256 (RFC 2104 over {@link Blake2s256}) with its key pads compressed once per key: {@link #setKey}
 * compresses {@code K xor ipad} and {@code K xor opad} as the first, non-final block of the inner and outer hashes
 * and keeps the two chaining values, so each {@link #mac} compresses only the message and the inner hash (two
 * compressions for Noise's messages of at most 64 bytes, against four). BouncyCastle's {@code HMac} saves its pad
 * states too, but its BLAKE2s keeps a full block uncompressed until more input arrives, so each of its messages
 * still compresses both pads.
 *
 * <p>The one message the chaining values cannot serve is the empty one (Noise's {@code Split} runs
 * {@code HMAC(ck, "")}): there the inner pad is the final block and must be compressed with BLAKE2s's last-block
 * flag, so it is hashed from the saved pad bytes. One thread at a time.
 */
final class Blake2sHmac implements NoiseMac {
    private static final byte IPAD = 0x36;
    private static final byte OPAD = 0x5c;

    private final Blake2s256 digest = new Blake2s256();
    private final byte[] innerPad = new byte[Blake2s256.BLOCK_BYTES];
    private final byte[] outerPad = new byte[Blake2s256.BLOCK_BYTES];
    private final int[] innerChain = new int[8];
    private final int[] outerChain = new int[8];
    private final byte[] innerHash = new byte[Blake2s256.DIGEST_BYTES];
    private boolean keyed;

    @Override
    public void setKey(final byte[] key) {
        byte[] k = key;
        if (k.length > Blake2s256.BLOCK_BYTES) {
            k = new byte[Blake2s256.DIGEST_BYTES];
            digest.update(key, 0, key.length);
            digest.doFinal(k, 0);
        }
        Arrays.fill(innerPad, IPAD);
        Arrays.fill(outerPad, OPAD);
        for (int i = 0; i < k.length; i++) {
            innerPad[i] ^= k[i];
            outerPad[i] ^= k[i];
        }
        digest.chainAfterBlock(innerPad, 0, innerChain);
        digest.chainAfterBlock(outerPad, 0, outerChain);
        keyed = true;
    }

    @Override
    public void mac(final byte[] data, final int len, final int counter, final byte[] out) {
        if (!keyed) {
            throw new IllegalStateException("no key");
        }
        if (len == 0 && counter == 0) {
            digest.reset();
            digest.update(innerPad, 0, innerPad.length);
        } else {
            digest.resumeAfterBlock(innerChain);
            digest.update(data, 0, len);
            if (counter > 0) {
                digest.update((byte) counter);
            }
        }
        digest.doFinal(innerHash, 0);
        digest.resumeAfterBlock(outerChain);
        digest.update(innerHash, 0, innerHash.length);
        digest.doFinal(out, 0);
    }
}
