package io.shoal.rudp.crypto;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The cpuinfo parsing behind {@link CipherSuite#AUTO}, and AUTO's choice on this machine. */
class CpuFeaturesTest {

    @Test
    void shouldFindAesInAnX86FlagsLine() {
        assertTrue(CpuFeatures.listsAes(List.of("processor\t: 0", "model name\t: AMD EPYC",
                "flags\t\t: fpu vme sse2 pclmulqdq aes avx2")));
    }

    @Test
    void shouldFindAesInAnAarch64FeaturesLine() {
        assertTrue(CpuFeatures.listsAes(List.of("processor\t: 0", "Features\t: fp asimd evtstrm aes pmull sha1")));
    }

    @Test
    void shouldNotMistakeSimilarFlagsForAes() {
        assertFalse(CpuFeatures.listsAes(List.of("flags\t\t: fpu vaes_missing aesni sse2", "model name\t: aes",
                "Features: fp asimd")));
        assertFalse(CpuFeatures.listsAes(List.of()));
    }

    @Test
    void shouldResolveAutoByTheCpuAndTheOthersToThemselves() throws IOException {
        final Path cpuinfo = Path.of("/proc/cpuinfo");
        assumeTrue(Files.isReadable(cpuinfo), "no /proc/cpuinfo here: AUTO falls back to ChaCha20-Poly1305");
        final boolean aes = CpuFeatures.listsAes(Files.readAllLines(cpuinfo));
        assertEquals(aes, CpuFeatures.hasAesInstructions());
        assertEquals(aes ? NoiseCipher.AES_128_GCM : NoiseCipher.CHACHA20_POLY1305, CipherSuite.AUTO.resolve());
        assertEquals(NoiseCipher.AES_128_GCM, CipherSuite.AES_128_GCM.resolve());
        assertEquals(NoiseCipher.AES_256_GCM, CipherSuite.AES_256_GCM.resolve());
        assertEquals(NoiseCipher.CHACHA20_POLY1305, CipherSuite.CHACHA20_POLY1305.resolve());
    }
}
