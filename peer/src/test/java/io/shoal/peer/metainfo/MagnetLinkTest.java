package io.shoal.peer.metainfo;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MagnetLinkTest {
    private static final String HEX = "c9e15763f722f23e98a29decdfae341b98d53056";

    @Test
    void shouldParseHexAndBase32ToTheSameHash() throws Exception {
        InfoHash h = InfoHash.parse(HEX);
        MagnetLink hex = MagnetLink.parse("magnet:?xt=urn:btih:" + HEX.toUpperCase());
        MagnetLink b32 = MagnetLink.parse("magnet:?xt=urn:btih:" + h.base32().toLowerCase());
        assertEquals(h, hex.infoHash());
        assertEquals(h, b32.infoHash());
        assertNull(hex.displayName());
    }

    @Test
    void shouldDecodeNameTrackersAndPeers() throws Exception {
        MagnetLink m = MagnetLink.parse("magnet:?xt=urn:btih:" + HEX + "&dn=Big+Buck%20Bunny%C3%A9&foo=bar"
            + "&tr=udp%3A%2F%2Ft1%3A80&tr=http://t2/a?x=1&x.pe=10.0.0.1:6881&x.pe=%5B%3A%3A1%5D:7000");
        assertEquals("Big Buck Bunny\u00e9", m.displayName());
        assertEquals(List.of("udp://t1:80", "http://t2/a?x=1"), m.trackers());
        assertEquals(List.of("10.0.0.1:6881", "[::1]:7000"), m.peers());
        assertEquals("caf\u00e9 \ud83c\udfb5", MagnetLink.parse("magnet:?xt=urn:btih:" + HEX
            + "&dn=caf\u00e9+\ud83c\udfb5").displayName());
    }

    @Test
    void shouldRoundTripThroughFormat() throws Exception {
        MagnetLink m = new MagnetLink(InfoHash.parse(HEX), "a b&c=d/\u00e9", List.of("udp://t:1/x?y=1&z"),
            List.of("1.2.3.4:5"));
        String text = m.format();
        assertTrue(text.startsWith("magnet:?xt=urn:btih:" + HEX + "&dn=a%20b%26c%3Dd%2F%C3%A9&tr="), text);
        assertEquals(m, MagnetLink.parse(text));
    }

    @Test
    void shouldRejectBadLinks() {
        String[] bad = {"http://x", "magnet:?dn=x", "magnet:?xt=urn:btih:1234", "magnet:?xt=urn:btih:" + HEX
            + "&dn=%zz", "magnet:?xt=urn:btih:" + HEX + "&dn=%C3", "magnet:?xt=urn:btmh:1220" + HEX,
            "magnet:?xt=urn:btih:" + HEX + "&tr=%", "magnet:?" + "a=b&".repeat(300) + "xt=urn:btih:" + HEX,
            "magnet:?xt=urn:btih:" + "x".repeat(MagnetLink.MAX_LENGTH)};
        for (String link : bad) {
            MetainfoException e = assertThrows(MetainfoException.class, () -> MagnetLink.parse(link), link);
            assertTrue(e.getMessage().startsWith("bad magnet link: "), e.getMessage());
        }
    }
}
