package io.shoal.tracker.bencode;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BencodeScannerTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String errorOf(String s) {
        BencodeScanner scanner = BencodeScanner.of(b(s));
        assertNull(scanner.scanWholeDictionary(), s);
        return scanner.error();
    }

    @Test
    void shouldFindRawSpanOfValueWhenKeysAreUnsorted() {
        String info = "d4:zzzzi1e1:ai-5ee";
        byte[] data = b("d8:announce3:url4:info" + info + "3:zzz0:e");
        BencodeScanner scanner = BencodeScanner.of(data);
        BencodeSpan whole = scanner.scanWholeDictionary();
        assertNotNull(whole, scanner.error());
        BencodeSpan span = scanner.valueOf(whole, "info");
        assertEquals(info, new String(data, span.offset(), span.length(), StandardCharsets.ISO_8859_1));
        assertNull(scanner.valueOf(whole, "missing"));
    }

    @Test
    void shouldRejectMalformedIntegers() {
        assertTrue(errorOf("d1:ai-0ee").contains("-0"));
        assertTrue(errorOf("d1:ai03ee").contains("leading zero"));
        assertTrue(errorOf("d1:aiee").contains("without digits"));
        assertTrue(errorOf("d1:ai+3ee").contains("not terminated"));
        assertTrue(errorOf("d1:ai9223372036854775808ee").contains("64-bit"));
        assertNotNull(BencodeScanner.of(b("d1:ai9223372036854775807e1:bi-9223372036854775808ee"))
            .scanWholeDictionary());
    }

    @Test
    void shouldRejectStringsLongerThanTheData() {
        assertTrue(errorOf("d1:a99999999999999999999:xe").contains("beyond the end"));
        assertTrue(errorOf("d1:a5:abce").contains("beyond the end"));
        assertTrue(errorOf("d1:a01:xe").contains("leading zero"));
    }

    @Test
    void shouldRejectNestingDeeperThanTheLimit() {
        String deep = "d1:a" + "l".repeat(BencodeScanner.MAX_DEPTH) + "e".repeat(BencodeScanner.MAX_DEPTH) + "e";
        assertTrue(errorOf(deep).contains("nested deeper"));
        String ok = "d1:a" + "l".repeat(BencodeScanner.MAX_DEPTH - 1) + "e".repeat(BencodeScanner.MAX_DEPTH - 1) + "e";
        assertNotNull(BencodeScanner.of(b(ok)).scanWholeDictionary());
    }

    @Test
    void shouldRejectTooManyValuesTrailingBytesAndNonStringKeys() {
        byte[] many = b("l" + "i1e".repeat(100) + "e");
        BencodeScanner capped = new BencodeScanner(many, many.length, 50);
        assertNull(capped.scan(0));
        assertTrue(capped.error().contains("more than 50 values"));
        assertTrue(errorOf("d1:ai1eex").contains("trailing"));
        assertTrue(errorOf("di1ei2ee").contains("key is not a string"));
        assertTrue(errorOf("d1:a").contains("truncated"));
        assertTrue(errorOf("l1:ae").contains("not a bencoded dictionary"));
    }

    @Test
    void shouldNeverThrowOnRandomInput() {
        long seed = Long.getLong("shoal.seed", 6L);
        Random random = new Random(seed);
        byte[] alphabet = b("dlie0123456789:-x");
        for (int i = 0; i < 20_000; i++) {
            byte[] data = new byte[random.nextInt(40)];
            for (int j = 0; j < data.length; j++) {
                data[j] = alphabet[random.nextInt(alphabet.length)];
            }
            BencodeScanner scanner = BencodeScanner.of(data);
            BencodeSpan span = scanner.scanWholeDictionary();
            assertTrue(span != null || scanner.error() != null, "seed " + seed);
        }
    }
    @Test
    void shouldRejectBombsAndGarbageWhenScanningATrackerReply() {
        String[] bad = {
            "d1:a" + "l".repeat(100_000) + "e".repeat(100_001), // deep nesting
            "d1:al" + "i1e".repeat(200_000) + "ee",              // token flood under a 100k cap
            "d5:peers2147483647:xe",                              // length beyond the input
            "d5:peers99999999999999:xe",                          // length overflow
            "d1:ai12",                                            // truncated integer
            "d1:aiee",                                            // empty integer
            "d1:ai1e",                                            // unclosed dictionary
            "d1:ai1eei2e",                                        // trailing value
            "<html>",                                             // not bencode
            "",                                                   // empty
        };
        for (String s : bad) {
            byte[] data = b(s);
            BencodeScanner scanner = new BencodeScanner(data, data.length, 100_000);
            assertNull(scanner.scanWholeDictionary(), s.length() > 40 ? s.substring(0, 40) : s);
            assertNotNull(scanner.error());
        }
        byte[] good = b("d8:intervali1800e5:peers6:abcdefe");
        assertNotNull(new BencodeScanner(good, good.length, 100_000).scanWholeDictionary());
    }
}
