package io.shoal.rudp.crypto;

import org.bouncycastle.crypto.ExtendedDigest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The Noise {@code SymmetricState} (spec section 5.2): chaining key {@code ck}, handshake hash {@code h} and a
 * {@link CipherState}. HKDF is the spec's HMAC-based construction (section 4.3) over the chosen {@link NoiseHash}.
 */
public final class SymmetricState {
    private static final int HASH_LEN = NoiseHash.HASH_LEN;

    private final ExtendedDigest digest;
    private final NoiseMac mac;
    private final NoiseCipher cipherFunction;
    private final CipherState cipher;
    private final byte[] ck = new byte[HASH_LEN];
    private final byte[] h = new byte[HASH_LEN];

    /** {@code InitializeSymmetric(protocol_name)}; {@code cipherFunction} is the one the name names. */
    public SymmetricState(final NoiseHash hash, final NoiseCipher cipherFunction, final String protocolName) {
        this.cipherFunction = cipherFunction;
        this.cipher = new CipherState(cipherFunction);
        this.digest = hash.newDigest();
        this.mac = hash.newMac();
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

    /**
     * The Noise HKDF (spec section 4.3) with 2 or 3 outputs: {@code temp_key = HMAC(ck, ikm)}, then
     * {@code out1 = HMAC(temp_key, 0x01)} and {@code out(i) = HMAC(temp_key, out(i-1) || i)}. The MAC is keyed once
     * with {@code temp_key} for all its outputs ({@link NoiseMac}).
     */
    private byte[][] hkdf(final byte[] chainingKey, final byte[] ikm, final int outputs) {
        final byte[] tempKey = new byte[HASH_LEN];
        mac.setKey(chainingKey);
        mac.mac(ikm, ikm.length, 0, tempKey);
        mac.setKey(tempKey);
        // Row by row: a two-dimensional new goes through the JIT's slow multianewarray path.
        final byte[][] out = new byte[outputs][];
        for (int i = 0; i < outputs; i++) {
            out[i] = new byte[HASH_LEN];
            mac.mac(i == 0 ? tempKey : out[i - 1], i == 0 ? 0 : HASH_LEN, i + 1, out[i]);
        }
        Arrays.fill(tempKey, (byte) 0);
        return out;
    }
}
