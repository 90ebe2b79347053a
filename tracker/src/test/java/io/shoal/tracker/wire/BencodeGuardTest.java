package io.shoal.tracker.wire;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class BencodeGuardTest {
    private static String check(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return BencodeGuard.check(b, b.length);
    }

    @Test
    void shouldAcceptTrackerReplyWhenWellFormed() {
        assertNull(check("d8:intervali1800e5:peers6:abcdefe"));
        assertNull(check("li-3ei0ed1:alee4:spame"));
    }

    @Test
    void shouldRejectBombsAndGarbageWhenChecked() {
        assertNotNull(check("l".repeat(100_000) + "e".repeat(100_000)), "deep nesting");
        assertNotNull(check("l" + "i1e".repeat(200_000) + "e"), "token flood");
        assertNotNull(check("d5:peers2147483647:xe"), "length beyond input");
        assertNotNull(check("d5:peers99999999999999:xe"), "length overflow");
        assertNotNull(check("i12"), "truncated integer");
        assertNotNull(check("ie"), "empty integer");
        assertNotNull(check("d1:ai1e"), "unclosed dict");
        assertNotNull(check("i1ei2e"), "trailing value");
        assertNotNull(check("<html>"), "not bencode");
        assertNotNull(check(""), "empty");
    }
}
