package io.shoal.rudp.crypto;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The Noise CipherState rules, for every cipher function. */
class CipherStateTest {
    private static final byte[] AD = {1, 2, 3};

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void shouldPassDataThroughWhenNoKeyIsSet(final NoiseCipher cipher) throws NoiseException {
        final CipherState cs = new CipherState(cipher);
        final byte[] data = {9, 8, 7};
        assertSame(data, cs.encryptWithAd(AD, data));
        assertFalse(cs.hasKey());
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void shouldRefuseTheReservedNonceWhenCounterIsExhausted(final NoiseCipher cipher) throws NoiseException {
        final CipherState sender = keyed(cipher);
        sender.setNonce(CipherState.MAX_NONCE - 1);
        sender.encryptWithAd(AD, new byte[4]);
        assertEquals(CipherState.MAX_NONCE, sender.nonce());
        assertThrows(NoiseException.class, () -> sender.encryptWithAd(AD, new byte[4]));
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void shouldKeepTalkingWhenBothSidesRekey(final NoiseCipher cipher) throws NoiseException {
        final CipherState sender = keyed(cipher);
        final CipherState receiver = keyed(cipher);
        sender.rekey();
        receiver.rekey();
        final byte[] ct = sender.encryptWithAd(AD, new byte[] {42});
        assertArrayEquals(new byte[] {42}, receiver.decryptWithAd(AD, ct));
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void shouldFailAuthenticationWhenOnlyOneSideRekeys(final NoiseCipher cipher) throws NoiseException {
        final CipherState sender = keyed(cipher);
        final CipherState receiver = keyed(cipher);
        sender.rekey();
        final byte[] ct = sender.encryptWithAd(AD, new byte[] {42});
        assertThrows(NoiseException.class, () -> receiver.decryptWithAd(AD, ct));
        assertEquals(0, receiver.nonce(), "a failed decryption must not consume a nonce");
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void shouldRejectTamperedAssociatedData(final NoiseCipher cipher) throws NoiseException {
        final CipherState sender = keyed(cipher);
        final CipherState receiver = keyed(cipher);
        final byte[] ct = sender.encryptWithAd(AD, new byte[10]);
        assertThrows(NoiseException.class, () -> receiver.decryptWithAd(new byte[] {1, 2, 4}, ct));
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void shouldDeriveTheSameNextKeyWhenRekeyingOneKeyTwice(final NoiseCipher cipher) {
        // REKEY always encrypts under nonce 2^64-1; the JDK's AES-GCM refuses that twice on one Cipher instance.
        final byte[] key = keyed(cipher).keyCopy();
        assertArrayEquals(CipherState.nextKey(cipher, key), CipherState.nextKey(cipher, key));
    }

    @Test
    void shouldDeriveDifferentNextKeysWhenTheCiphersDiffer() {
        final byte[] key = new byte[32];
        assertFalse(Arrays.equals(CipherState.nextKey(NoiseCipher.AES_256_GCM, key),
                CipherState.nextKey(NoiseCipher.CHACHA20_POLY1305, key)));
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void shouldRekeyPacketKeysUnderThePacketAead(final NoiseCipher cipher) throws InvalidCipherTextException {
        final byte[] key = keyed(cipher).keyCopy();
        if (cipher != NoiseCipher.AES_128_GCM) {
            assertArrayEquals(CipherState.nextKey(cipher, key), CipherState.nextPacketKey(cipher, key));
            return;
        }
        // REKEY with AES-128-GCM under the key's first half: 32 zero bytes at nonce 0x00000000 || 2^64-1.
        final GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        final byte[] nonce = new byte[12];
        Arrays.fill(nonce, 4, 12, (byte) 0xFF);
        gcm.init(true, new AEADParameters(new KeyParameter(key, 0, 16), 128, nonce, new byte[0]));
        final byte[] out = new byte[48];
        gcm.doFinal(out, gcm.processBytes(new byte[32], 0, 32, out, 0));
        assertArrayEquals(Arrays.copyOf(out, 32), CipherState.nextPacketKey(cipher, key));
        assertFalse(Arrays.equals(CipherState.nextKey(cipher, key), CipherState.nextPacketKey(cipher, key)),
            "the handshake's REKEY stays AES-256");
    }

    private static CipherState keyed(final NoiseCipher cipher) {
        final CipherState cs = new CipherState(cipher);
        final byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) i;
        }
        cs.initializeKey(key);
        return cs;
    }
}
