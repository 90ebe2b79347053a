package io.shoal.rudp.crypto;

import org.bouncycastle.crypto.ExtendedDigest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The Noise {@code SymmetricState} (spec section 5.2): chaining key {@code ck}, handshake hash {@code h} and a
 * {@link CipherState}. HKDF is the spec's HMAC-based construction (section 4.3) over the chosen {@link NoiseHash}.
 */
public final class SymmetricState {
    private static final int HASH_LEN = NoiseHash.HASH_LEN;

    private final ExtendedDigest digest;
    private final HMac hmac;
    private final NoiseCipher cipherFunction;
    private final CipherState cipher;
    private final byte[] ck = new byte[HASH_LEN];
    private final byte[] h = new byte[HASH_LEN];

    /** {@code InitializeSymmetric(protocol_name)}; {@code cipherFunction} is the one the name names. */
    public SymmetricState(final NoiseHash hash, final NoiseCipher cipherFunction, final String protocolName) {
        this.cipherFunction = cipherFunction;
        this.cipher = new CipherState(cipherFunction);
        this.digest = hash.newDigest();
        this.hmac = new HMac(hash.newDigest());
        final byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
        if (name.length <= HASH_LEN) {
            System.arraycopy(name, 0, h, 0, name.length);
        } else {
            hash(name, h);
        }
        System.arraycopy(h, 0, ck, 0, HASH_LEN);
    }

    /** {@code MixKey(input_key_material)}. */
    public void mixKey(final byte[] ikm) {
        final byte[][] out = hkdf(ck, ikm, 2);
        System.arraycopy(out[0], 0, ck, 0, HASH_LEN);
        cipher.initializeKey(out[1]);
    }

    /** {@code MixHash(data)}: {@code h = HASH(h || data)}. */
    public void mixHash(final byte[] data) {
        digest.update(h, 0, HASH_LEN);
        digest.update(data, 0, data.length);
        digest.doFinal(h, 0);
    }

    /** {@code MixKeyAndHash(input_key_material)}, used by the {@code psk} token. */
    public void mixKeyAndHash(final byte[] ikm) {
        final byte[][] out = hkdf(ck, ikm, 3);
        System.arraycopy(out[0], 0, ck, 0, HASH_LEN);
        mixHash(out[1]);
        cipher.initializeKey(out[2]);
    }

    /** @return a copy of {@code h}: the handshake hash, usable as a channel binding once the handshake is done */
    public byte[] handshakeHash() {
        return h.clone();
    }

    /** @return whether the cipher has a key yet */
    public boolean hasKey() {
        return cipher.hasKey();
    }

    /** {@code EncryptAndHash(plaintext)}. */
    public byte[] encryptAndHash(final byte[] plaintext) throws NoiseException {
        final byte[] ct = cipher.encryptWithAd(h, plaintext);
        mixHash(ct);
        return ct;
    }

    /** {@code DecryptAndHash(ciphertext)}. */
    public byte[] decryptAndHash(final byte[] ciphertext) throws NoiseException {
        final byte[] pt = cipher.decryptWithAd(h, ciphertext);
        mixHash(ciphertext);
        return pt;
    }

    /** {@code Split()}: two keyed cipher states, the first for initiator-to-responder traffic. */
    public CipherState[] split() {
        final byte[][] out = hkdf(ck, new byte[0], 2);
        final CipherState c1 = new CipherState(cipherFunction);
        final CipherState c2 = new CipherState(cipherFunction);
        c1.initializeKey(out[0]);
        c2.initializeKey(out[1]);
        Arrays.fill(ck, (byte) 0);
        return new CipherState[] {c1, c2};
    }

    /** {@code HASH(data)} into {@code out}. */
    private void hash(final byte[] data, final byte[] out) {
        digest.update(data, 0, data.length);
        digest.doFinal(out, 0);
    }

    /** The Noise HKDF (spec section 4.3) with 2 or 3 outputs. */
    private byte[][] hkdf(final byte[] chainingKey, final byte[] ikm, final int outputs) {
        final byte[] tempKey = mac(chainingKey, ikm, 0);
        final byte[][] out = new byte[outputs][];
        byte[] previous = null;
        for (int i = 0; i < outputs; i++) {
            previous = mac(tempKey, previous == null ? new byte[0] : previous, i + 1);
            out[i] = previous;
        }
        return out;
    }

    /** HMAC-HASH(key, data || [counter]) where a zero counter means no counter byte. */
    private byte[] mac(final byte[] key, final byte[] data, final int counter) {
        hmac.init(new KeyParameter(key));
        hmac.update(data, 0, data.length);
        if (counter > 0) {
            hmac.update((byte) counter);
        }
        final byte[] out = new byte[HASH_LEN];
        hmac.doFinal(out, 0);
        return out;
    }
}
