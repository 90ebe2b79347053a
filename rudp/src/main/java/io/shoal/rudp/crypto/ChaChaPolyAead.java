package io.shoal.rudp.crypto;

import java.util.Arrays;

/**
 * ChaCha20-Poly1305 (RFC 8439 section 2.8) with a 64-bit counter nonce encoded the Noise way: four zero bytes, then
 * the counter little-endian (Noise spec section 12.3). Built on our own {@link ChaCha20} (keystream XORed a word at a
 * time straight from locals) and {@link Poly1305Mac} (blocks read in place, AEAD padding as whole blocks): about
 * twice as fast as BouncyCastle's block function and MAC, which were most of the secure profile's CPU time (see
 * {@code rudp/README.md}). The tag is verified before anything is decrypted, and nothing is allocated per message.
 * {@code ChaChaPolyAeadTest} checks it against BouncyCastle's {@code ChaCha20Poly1305} for every length up to 2000
 * bytes and against the RFC 8439 vectors. One thread only.
 */
public final class ChaChaPolyAead {
    /** Key length in bytes. */
    public static final int KEY_BYTES = 32;
    /** Authentication tag length in bytes. */
    public static final int TAG_BYTES = 16;

    private final ChaCha20 chacha = new ChaCha20();
    private final Poly1305Mac poly = new Poly1305Mac();
    private final byte[] block0 = new byte[ChaCha20.BLOCK_BYTES];
    private final byte[] tag = new byte[TAG_BYTES];
    private boolean keyed;

    /** Installs a key (copied). Must be called before the first seal or open. */
    public void setKey(final byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 key must be 32 bytes, got " + key.length);
        }
        chacha.setKey(key);
        keyed = true;
    }

    /** @return whether a key is installed */
    public boolean hasKey() {
        return keyed;
    }

    /**
     * Encrypts {@code in[inOff, inOff+len)} into {@code out} at {@code outOff}, appending the 16-byte tag.
     * {@code in} and {@code out} may be the same array at the same offset.
     *
     * @return bytes written: {@code len + TAG_BYTES}
     */
    public int seal(final long counter, final byte[] ad, final int adOff, final int adLen,
                    final byte[] in, final int inOff, final int len, final byte[] out, final int outOff) {
        return seal(0, (int) counter, (int) (counter >>> 32), ad, adOff, adLen, in, inOff, len, out, outOff);
    }

    /** {@link #seal} with any 96-bit nonce as three little-endian words (the RFC 8439 vectors use such nonces). */
    int seal(final int nonce0, final int nonce1, final int nonce2, final byte[] ad, final int adOff, final int adLen,
             final byte[] in, final int inOff, final int len, final byte[] out, final int outOff) {
        start(nonce0, nonce1, nonce2);
        chacha.xor(1, in, inOff, len, out, outOff);
        mac(ad, adOff, adLen, out, outOff, len);
        poly.finish(out, outOff + len);
        return len + TAG_BYTES;
    }

    /**
     * Authenticates, then decrypts, {@code in[inOff, inOff+len)} (ciphertext plus tag) into {@code out}. Nothing is
     * written to {@code out} when authentication fails.
     *
     * @return plaintext bytes written, or -1 if the input is shorter than a tag or fails authentication
     */
    public int open(final long counter, final byte[] ad, final int adOff, final int adLen,
                    final byte[] in, final int inOff, final int len, final byte[] out, final int outOff) {
        return open(0, (int) counter, (int) (counter >>> 32), ad, adOff, adLen, in, inOff, len, out, outOff);
    }

    /** {@link #open} with any 96-bit nonce as three little-endian words. */
    int open(final int nonce0, final int nonce1, final int nonce2, final byte[] ad, final int adOff, final int adLen,
             final byte[] in, final int inOff, final int len, final byte[] out, final int outOff) {
        if (len < TAG_BYTES) {
            return -1;
        }
        final int ctLen = len - TAG_BYTES;
        start(nonce0, nonce1, nonce2);
        mac(ad, adOff, adLen, in, inOff, ctLen);
        poly.finish(tag, 0);
        int diff = 0;
        for (int i = 0; i < TAG_BYTES; i++) {
            diff |= tag[i] ^ in[inOff + ctLen + i];
        }
        if (diff != 0) {
            return -1;
        }
        chacha.xor(1, in, inOff, ctLen, out, outOff);
        return ctLen;
    }

    /** Sets the nonce and keys Poly1305 with the first 32 bytes of keystream block 0; data starts at block 1. */
    private void start(final int nonce0, final int nonce1, final int nonce2) {
        if (!keyed) {
            throw new IllegalStateException("no key installed");
        }
        chacha.setNonce(nonce0, nonce1, nonce2);
        chacha.keystream(0, block0, 0);
        poly.init(block0, 0);
        Arrays.fill(block0, (byte) 0);
    }

    /** Poly1305 over {@code ad || pad16 || ciphertext || pad16 || len(ad) || len(ciphertext)}. */
    private void mac(final byte[] ad, final int adOff, final int adLen, final byte[] ct, final int ctOff,
                     final int ctLen) {
        poly.updatePadded(ad, adOff, adLen);
        poly.updatePadded(ct, ctOff, ctLen);
        poly.updateLengths(adLen, ctLen);
    }
}
