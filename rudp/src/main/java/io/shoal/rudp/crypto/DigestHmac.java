package io.shoal.rudp.crypto;

import org.bouncycastle.crypto.ExtendedDigest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * {@link NoiseMac} on BouncyCastle's {@link HMac}, for hashes other than BLAKE2s (SHA-256). {@link HMac#init} saves
 * the digest's state after each key pad and {@link HMac#doFinal} restores it, so keying once and reusing the
 * {@code HMac} is what saves the pads (SHA-256 compresses a full block as soon as it has one).
 */
final class DigestHmac implements NoiseMac {
    private final HMac hmac;

    DigestHmac(final ExtendedDigest digest) {
        this.hmac = new HMac(digest);
    }

    @Override
    public void setKey(final byte[] key) {
        hmac.init(new KeyParameter(key));
    }

    @Override
    public void mac(final byte[] data, final int len, final int counter, final byte[] out) {
        hmac.update(data, 0, len);
        if (counter > 0) {
            hmac.update((byte) counter);
        }
        hmac.doFinal(out, 0);
    }
}
