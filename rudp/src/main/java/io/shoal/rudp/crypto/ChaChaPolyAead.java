package io.shoal.rudp.crypto;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

import java.util.Arrays;

/**
 * ChaCha20-Poly1305 (RFC 8439) with a 64-bit counter nonce encoded the Noise way: four zero bytes, then the counter
 * little-endian (Noise spec section 12.3). One key, one direction: an instance only seals or only opens, so
 * BouncyCastle's nonce-reuse guard never trips across directions. The key and nonce buffers are reused, so this
 * class allocates nothing per message (BouncyCastle itself allocates two small arrays per message internally).
 */
public final class ChaChaPolyAead {
    /** Key length in bytes. */
    public static final int KEY_BYTES = 32;
    /** Authentication tag length in bytes. */
    public static final int TAG_BYTES = 16;

    private final ChaCha20Poly1305 aead = new ChaCha20Poly1305();
    private final ParametersWithIV nonceOnly = new ParametersWithIV(null, new byte[12]);
    // ParametersWithIV copies the array it is given but hands out its own through getIV(): writing the counter
    // there re-initialises the cipher for a new nonce without allocating parameters per message. The vector tests
    // fail at once if a BouncyCastle upgrade changes that.
    private final byte[] nonce = nonceOnly.getIV();
    private boolean keyed;

    /** Installs a key (copied). Must be called before the first seal or open. */
    public void setKey(final byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 key must be 32 bytes, got " + key.length);
        }
        // A distinct marker nonce plus decrypt mode: loading a key never counts as an encryption with nonce 0.
        Arrays.fill(nonce, (byte) 0xff);
        aead.init(false, new ParametersWithIV(new KeyParameter(key), nonce));
        keyed = true;
    }

    /** @return whether a key is installed */
    public boolean hasKey() {
        return keyed;
    }

    /** Forgets the key. */
    public void clearKey() {
        keyed = false;
    }

    /**
     * Encrypts {@code in[inOff, inOff+len)} into {@code out} at {@code outOff}, appending the 16-byte tag.
     * {@code in} and {@code out} may be the same array at the same offset.
     *
     * @return bytes written: {@code len + TAG_BYTES}
     */
    public int seal(final long counter, final byte[] ad, final int adOff, final int adLen,
                    final byte[] in, final int inOff, final int len, final byte[] out, final int outOff) {
        init(true, counter);
        aead.processAADBytes(ad, adOff, adLen);
        final int n = aead.processBytes(in, inOff, len, out, outOff);
        try {
            return n + aead.doFinal(out, outOff + n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("encryption cannot fail authentication", e);
        }
    }

    /**
     * Decrypts and authenticates {@code in[inOff, inOff+len)} (ciphertext plus tag) into {@code out}.
     *
     * @return plaintext bytes written, or -1 if the input is shorter than a tag or fails authentication
     */
    public int open(final long counter, final byte[] ad, final int adOff, final int adLen,
                    final byte[] in, final int inOff, final int len, final byte[] out, final int outOff) {
        if (len < TAG_BYTES) {
            return -1;
        }
        init(false, counter);
        aead.processAADBytes(ad, adOff, adLen);
        final int n = aead.processBytes(in, inOff, len, out, outOff);
        try {
            return n + aead.doFinal(out, outOff + n);
        } catch (InvalidCipherTextException e) {
            return -1;
        }
    }

    private void init(final boolean forEncryption, final long counter) {
        if (!keyed) {
            throw new IllegalStateException("no key installed");
        }
        nonce[0] = 0;
        nonce[1] = 0;
        nonce[2] = 0;
        nonce[3] = 0;
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (counter >>> (8 * i));
        }
        aead.init(forEncryption, nonceOnly);
    }
}
