package io.shoal.rudp.crypto;

import io.netty.util.concurrent.FastThreadLocal;
import org.bouncycastle.crypto.engines.ChaChaEngine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * ChaCha20-Poly1305 (RFC 8439 section 2.8) with a 64-bit counter nonce encoded the Noise way: four zero bytes, then
 * the counter little-endian (Noise spec section 12.3). Built from BouncyCastle's ChaCha20 block function and
 * Poly1305 rather than its {@code ChaCha20Poly1305} mode, which goes byte by byte and allocates several arrays per
 * message: here the keystream is applied a 32-bit word at a time (about twice as fast), the tag is verified before
 * anything is decrypted, and nothing is allocated per message. {@code ChaChaPolyAeadTest} checks every length
 * against BouncyCastle's mode.
 *
 * <p>An instance holds only its key (32 bytes of words): the ChaCha20 state, keystream block, Poly1305 and tag
 * buffers are per-thread scratch, used within one call and never across calls, because a server holds four of these
 * per connection and most connections are idle. One thread at a time per instance.
 */
public final class ChaChaPolyAead {
    /** Key length in bytes. */
    public static final int KEY_BYTES = 32;
    /** Authentication tag length in bytes. */
    public static final int TAG_BYTES = 16;
    private static final byte[] ZEROS = new byte[16];
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** "expand 32-byte k", RFC 8439 section 2.3. */
    private static final int[] SIGMA = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};

    /** Working state of one seal or open, one per thread: a connection keeps only its key (see the class comment). */
    private static final FastThreadLocal<Scratch> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected Scratch initialValue() {
            return new Scratch();
        }
    };

    /** The key as eight little-endian words (ChaCha20 state words 4-11); null until {@link #setKey}. */
    private int[] key;

    /** Installs a key (copied). Must be called before the first seal or open. */
    public void setKey(final byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("ChaCha20-Poly1305 key must be 32 bytes, got " + key.length);
        }
        final int[] words = this.key == null ? new int[8] : this.key;
        for (int i = 0; i < 8; i++) {
            words[i] = (int) LE_INT.get(key, 4 * i);
        }
        this.key = words;
    }

    /** @return whether a key is installed */
    public boolean hasKey() {
        return key != null;
    }

    /**
     * Encrypts {@code in[inOff, inOff+len)} into {@code out} at {@code outOff}, appending the 16-byte tag.
     * {@code in} and {@code out} may be the same array at the same offset.
     *
     * @return bytes written: {@code len + TAG_BYTES}
     */
    public int seal(final long counter, final byte[] ad, final int adOff, final int adLen,
                    final byte[] in, final int inOff, final int len, final byte[] out, final int outOff) {
        final Scratch s = start(counter);
        s.xorKeystream(in, inOff, len, out, outOff);
        s.mac(ad, adOff, adLen, out, outOff, len);
        s.poly.doFinal(out, outOff + len);
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
        final Scratch s = start(counter);
        s.mac(ad, adOff, adLen, in, inOff, ctLen);
        s.poly.doFinal(s.tag, 0);
        int diff = 0;
        for (int i = 0; i < TAG_BYTES; i++) {
            diff |= s.tag[i] ^ in[inOff + ctLen + i];
        }
        if (diff != 0) {
            return -1;
        }
        s.xorKeystream(in, inOff, ctLen, out, outOff);
        return ctLen;
    }

    /** Loads this key and the nonce into the thread's scratch, keys Poly1305 with block 0; data starts at block 1. */
    private Scratch start(final long counter) {
        if (key == null) {
            throw new IllegalStateException("no key installed");
        }
        final Scratch s = SCRATCH.get();
        final int[] state = s.state;
        System.arraycopy(SIGMA, 0, state, 0, 4);
        System.arraycopy(key, 0, state, 4, 8);
        state[12] = 0;
        state[13] = 0;
        state[14] = (int) counter;
        state[15] = (int) (counter >>> 32);
        ChaChaEngine.chachaCore(20, state, s.keystream);
        for (int i = 0; i < 8; i++) {
            LE_INT.set(s.polyKeyBytes, 4 * i, s.keystream[i]);
        }
        s.poly.init(s.polyKey);
        Arrays.fill(s.polyKeyBytes, (byte) 0);
        state[12] = 1;
        return s;
    }

    /**
     * One thread's working buffers. Each call overwrites them from its own key, so nothing carries over from one
     * connection's call to the next; the keystream block is wiped after use, as before the buffers were shared.
     */
    private static final class Scratch {
        final int[] state = new int[16];
        final int[] keystream = new int[16];
        final Poly1305 poly = new Poly1305();
        // KeyParameter.getKey() is the parameter's own array: Poly1305's one-time key is written there, so keying
        // the MAC allocates nothing. The vector tests fail at once if a BouncyCastle upgrade changes that.
        final KeyParameter polyKey = new KeyParameter(new byte[KEY_BYTES]);
        final byte[] polyKeyBytes = polyKey.getKey();
        final byte[] lengths = new byte[16];
        final byte[] tag = new byte[TAG_BYTES];

        void xorKeystream(final byte[] in, final int inOff, final int len, final byte[] out, final int outOff) {
            int pos = 0;
            while (len - pos >= 64) {
                ChaChaEngine.chachaCore(20, state, keystream);
                state[12]++;
                for (int i = 0; i < 16; i++) {
                    LE_INT.set(out, outOff + pos + 4 * i, (int) LE_INT.get(in, inOff + pos + 4 * i) ^ keystream[i]);
                }
                pos += 64;
            }
            if (pos < len) {
                ChaChaEngine.chachaCore(20, state, keystream);
                state[12]++;
                for (int j = 0; pos < len; j++, pos++) {
                    out[outOff + pos] = (byte) (in[inOff + pos] ^ (keystream[j >>> 2] >>> (8 * (j & 3))));
                }
            }
            Arrays.fill(keystream, 0);
        }

        /** Poly1305 over {@code ad || pad16 || ciphertext || pad16 || len(ad) || len(ciphertext)}, lengths LE. */
        void mac(final byte[] ad, final int adOff, final int adLen, final byte[] ct, final int ctOff,
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
}
