package io.shoal.rudp.crypto;

import io.netty.util.concurrent.FastThreadLocal;

import java.util.Arrays;

/**
 * ChaCha20-Poly1305 (RFC 8439 section 2.8) with a 64-bit counter nonce encoded the Noise way: four zero bytes, then
 * the counter little-endian (Noise spec section 12.3). Built on our own {@link ChaCha20} (keystream XORed a word at a
 * time straight from locals) and {@link Poly1305Mac} (blocks read in place, the AEAD's padding as whole blocks),
 * which together take about half the time of BouncyCastle's block function and MAC, most of the secure profile's
 * CPU (see {@code rudp/README.md}). The tag is verified before anything is decrypted, and nothing is allocated per
 * message. {@code ChaChaPolyAeadTest} checks every length up to 2000 bytes against BouncyCastle's
 * {@code ChaCha20Poly1305} mode, and the RFC 8439 vectors.
 *
 * <p>An instance holds only its key (32 bytes of words): the cipher, MAC and tag buffers are per-thread scratch,
 * used within one call and never across calls, because a server holds four of these per connection and most
 * connections are idle. One thread at a time per instance.
 */
public final class ChaChaPolyAead implements Aead {

    /** Working state of one seal or open, one per thread: a connection keeps only its key (see the class comment). */
    private static final FastThreadLocal<Scratch> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected Scratch initialValue() {
            return new Scratch();
        }
    };

    /** The key as eight little-endian words (ChaCha20 state words 4-11); null until {@link #setKey}. */
    private int[] key;

    @Override
    public void setKey(final byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 key must be 32 bytes, got " + key.length);
        }
        this.key = ChaCha20.keyWords(key, this.key == null ? new int[8] : this.key);
    }

    @Override
    public boolean hasKey() {
        return key != null;
    }

    @Override
    public int seal(final long counter, final byte[] ad, final int adOff, final int adLen,
                    final byte[] in, final int inOff, final int len, final byte[] out, final int outOff) {
        return seal(0, (int) counter, (int) (counter >>> 32), ad, adOff, adLen, in, inOff, len, out, outOff);
    }

    @Override
    public int sealPacket(final int nonceByte, final long counter, final byte[] in, final int inOff, final int len,
                          final byte[] out, final int outOff) {
        return seal(nonceByte & 0xFF, (int) counter, (int) (counter >>> 32), in, 0, 0, in, inOff, len, out, outOff);
    }

    /** {@link #seal} with any 96-bit nonce as three little-endian words (the RFC 8439 vectors use such nonces). */
    int seal(final int nonce0, final int nonce1, final int nonce2, final byte[] ad, final int adOff, final int adLen,
             final byte[] in, final int inOff, final int len, final byte[] out, final int outOff) {
        final Scratch s = start(nonce0, nonce1, nonce2);
        s.chacha.xor(1, in, inOff, len, out, outOff);
        s.mac(ad, adOff, adLen, out, outOff, len);
        s.poly.finish(out, outOff + len);
        return len + TAG_BYTES;
    }

    /** {@inheritDoc} Nothing at all is written to {@code out} when authentication fails. */
    @Override
    public int open(final long counter, final byte[] ad, final int adOff, final int adLen,
                    final byte[] in, final int inOff, final int len, final byte[] out, final int outOff) {
        return open(0, (int) counter, (int) (counter >>> 32), ad, adOff, adLen, in, inOff, len, out, outOff);
    }

    /** {@inheritDoc} Nothing at all is written to {@code out} when authentication fails. */
    @Override
    public int openPacket(final int nonceByte, final long counter, final byte[] in, final int inOff, final int len,
                          final byte[] out, final int outOff) {
        return open(nonceByte & 0xFF, (int) counter, (int) (counter >>> 32), in, 0, 0, in, inOff, len, out, outOff);
    }

    /** {@link #open} with any 96-bit nonce as three little-endian words. */
    int open(final int nonce0, final int nonce1, final int nonce2, final byte[] ad, final int adOff, final int adLen,
             final byte[] in, final int inOff, final int len, final byte[] out, final int outOff) {
        if (len < TAG_BYTES) {
            return -1;
        }
        final int ctLen = len - TAG_BYTES;
        final Scratch s = start(nonce0, nonce1, nonce2);
        s.mac(ad, adOff, adLen, in, inOff, ctLen);
        s.poly.finish(s.tag, 0);
        int diff = 0;
        for (int i = 0; i < TAG_BYTES; i++) {
            diff |= s.tag[i] ^ in[inOff + ctLen + i];
        }
        if (diff != 0) {
            return -1;
        }
        s.chacha.xor(1, in, inOff, ctLen, out, outOff);
        return ctLen;
    }

    /** Loads this key and the nonce into the thread's cipher, keys Poly1305 with block 0; data starts at block 1. */
    private Scratch start(final int nonce0, final int nonce1, final int nonce2) {
        if (key == null) {
            throw new IllegalStateException("no key installed");
        }
        final Scratch s = SCRATCH.get();
        s.chacha.start(key, nonce0, nonce1, nonce2);
        s.chacha.keystream(0, s.block0, 0);
        s.poly.init(s.block0, 0);
        Arrays.fill(s.block0, (byte) 0);
        return s;
    }

    /** One thread's working buffers; each call overwrites them from its own key, so nothing carries over. */
    private static final class Scratch {
        final ChaCha20 chacha = new ChaCha20();
        final Poly1305Mac poly = new Poly1305Mac();
        final byte[] block0 = new byte[ChaCha20.BLOCK_BYTES];
        final byte[] tag = new byte[TAG_BYTES];

        /** Poly1305 over {@code ad || pad16 || ciphertext || pad16 || len(ad) || len(ciphertext)}. */
        void mac(final byte[] ad, final int adOff, final int adLen, final byte[] ct, final int ctOff,
                 final int ctLen) {
            poly.updatePadded(ad, adOff, adLen);
            poly.updatePadded(ct, ctOff, ctLen);
            poly.updateLengths(adLen, ctLen);
        }
    }
}
