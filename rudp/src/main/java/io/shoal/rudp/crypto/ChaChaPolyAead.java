package io.shoal.rudp.crypto;

import org.bouncycastle.crypto.engines.ChaCha7539Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

import java.util.Arrays;

/**
 * ChaCha20-Poly1305 (RFC 8439 section 2.8) with a 64-bit counter nonce encoded the Noise way: four zero bytes, then
 * the counter little-endian (Noise spec section 12.3). Built here from BouncyCastle's ChaCha20 and Poly1305
 * primitives rather than its {@code ChaCha20Poly1305} mode, which decrypts byte by byte and allocates several
 * arrays per message: this class works on whole blocks, reuses its buffers (keys and nonces included), verifies
 * the tag before decrypting anything, and allocates nothing per message. One thread only.
 */
public final class ChaChaPolyAead {
    /** Key length in bytes. */
    public static final int KEY_BYTES = 32;
    /** Authentication tag length in bytes. */
    public static final int TAG_BYTES = 16;
    private static final byte[] ZEROS = new byte[16];

    private final ChaCha7539Engine chacha = new ChaCha7539Engine();
    private final Poly1305 poly = new Poly1305();
    private final ParametersWithIV nonceOnly = new ParametersWithIV(null, new byte[12]);
    // ParametersWithIV copies the array it is given but hands out its own through getIV(): writing the counter
    // there re-initialises the cipher for a new nonce without allocating parameters per message. The vector tests
    // fail at once if a BouncyCastle upgrade changes that.
    private final byte[] nonce = nonceOnly.getIV();
    // Same idea for Poly1305's one-time key: KeyParameter.getKey() is the parameter's own array.
    private final KeyParameter polyKey = new KeyParameter(new byte[KEY_BYTES]);
    private final byte[] polyKeyBytes = polyKey.getKey();
    private final byte[] block = new byte[64];
    private final byte[] lengths = new byte[16];
    private final byte[] tag = new byte[TAG_BYTES];
    private boolean keyed;

    /** Installs a key (copied). Must be called before the first seal or open. */
    public void setKey(final byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 key must be 32 bytes, got " + key.length);
        }
        chacha.init(true, new ParametersWithIV(new KeyParameter(key), new byte[12]));
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
        start(counter);
        chacha.processBytes(in, inOff, len, out, outOff);
        mac(ad, adOff, adLen, out, outOff, len);
        poly.doFinal(out, outOff + len);
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
        if (len < TAG_BYTES) {
            return -1;
        }
        final int ctLen = len - TAG_BYTES;
        start(counter);
        mac(ad, adOff, adLen, in, inOff, ctLen);
        poly.doFinal(tag, 0);
        int diff = 0;
        for (int i = 0; i < TAG_BYTES; i++) {
            diff |= tag[i] ^ in[inOff + ctLen + i];
        }
        if (diff != 0) {
            return -1;
        }
        chacha.processBytes(in, inOff, ctLen, out, outOff);
        return ctLen;
    }

    /** Sets the nonce and keys Poly1305 with the first 32 bytes of keystream block 0; data starts at block 1. */
    private void start(final long counter) {
        if (!keyed) {
            throw new IllegalStateException("no key installed");
        }
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (counter >>> (8 * i));
        }
        chacha.init(true, nonceOnly);
        Arrays.fill(block, (byte) 0);
        chacha.processBytes(block, 0, block.length, block, 0);
        System.arraycopy(block, 0, polyKeyBytes, 0, KEY_BYTES);
        poly.init(polyKey);
        Arrays.fill(block, (byte) 0);
        Arrays.fill(polyKeyBytes, (byte) 0);
    }

    /** Poly1305 over {@code ad || pad16 || ciphertext || pad16 || len(ad) || len(ciphertext)}, lengths 64-bit LE. */
    private void mac(final byte[] ad, final int adOff, final int adLen, final byte[] ct, final int ctOff,
                     final int ctLen) {
        poly.update(ad, adOff, adLen);
        poly.update(ZEROS, 0, (16 - (adLen & 15)) & 15);
        poly.update(ct, ctOff, ctLen);
        poly.update(ZEROS, 0, (16 - (ctLen & 15)) & 15);
        for (int i = 0; i < 8; i++) {
            lengths[i] = (byte) ((long) adLen >>> (8 * i));
            lengths[8 + i] = (byte) ((long) ctLen >>> (8 * i));
        }
        poly.update(lengths, 0, lengths.length);
    }
}
