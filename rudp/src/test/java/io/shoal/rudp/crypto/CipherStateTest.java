package io.shoal.rudp.crypto;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CipherStateTest {
    private static final byte[] AD = {1, 2, 3};

    @Test
    void shouldPassDataThroughWhenNoKeyIsSet() throws NoiseException {
        final CipherState cs = new CipherState();
        final byte[] data = {9, 8, 7};
        assertSame(data, cs.encryptWithAd(AD, data));
        assertFalse(cs.hasKey());
    }

    @Test
    void shouldRefuseTheReservedNonceWhenCounterIsExhausted() throws NoiseException {
        final CipherState sender = keyed();
        sender.setNonce(CipherState.MAX_NONCE - 1);
        sender.encryptWithAd(AD, new byte[4]);
        assertEquals(CipherState.MAX_NONCE, sender.nonce());
        assertThrows(NoiseException.class, () -> sender.encryptWithAd(AD, new byte[4]));
    }

    @Test
    void shouldKeepTalkingWhenBothSidesRekey() throws NoiseException {
        final CipherState sender = keyed();
        final CipherState receiver = keyed();
        sender.rekey();
        receiver.rekey();
        final byte[] ct = sender.encryptWithAd(AD, new byte[] {42});
        assertArrayEquals(new byte[] {42}, receiver.decryptWithAd(AD, ct));
    }

    @Test
    void shouldFailAuthenticationWhenOnlyOneSideRekeys() throws NoiseException {
        final CipherState sender = keyed();
        final CipherState receiver = keyed();
        sender.rekey();
        final byte[] ct = sender.encryptWithAd(AD, new byte[] {42});
        assertThrows(NoiseException.class, () -> receiver.decryptWithAd(AD, ct));
        assertEquals(0, receiver.nonce(), "a failed decryption must not consume a nonce");
    }

    @Test
    void shouldRejectTamperedAssociatedData() throws NoiseException {
        final CipherState sender = keyed();
        final CipherState receiver = keyed();
        final byte[] ct = sender.encryptWithAd(AD, new byte[10]);
        assertThrows(NoiseException.class, () -> receiver.decryptWithAd(new byte[] {1, 2, 4}, ct));
    }

    private static CipherState keyed() {
        final CipherState cs = new CipherState();
        final byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) i;
        }
        cs.initializeKey(key);
        return cs;
    }
}
