package io.shoal.tracker.wire;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class HttpAnnounceQueryTest {
    private static final String HASH = "%12%34%56%78%9a%bc%de%f1%23%45%67%89%ab%cd%ef%124Vx%9a";

    @Test
    void shouldDecodeRawBytesWhenInfoHashIsPercentEncoded() {
        AnnounceRequest r = new AnnounceRequest();
        String problem = HttpAnnounceQuery.parseAnnounce("info_hash=" + HASH
            + "&peer_id=-AR1360-%ff%00abcdefghij&port=6881&uploaded=1&downloaded=2&left=3&event=started"
            + "&numwant=5000&compact=0&no_peer_id=1&key=x", r);
        assertNull(problem);
        assertArrayEquals(new byte[] {0x12, 0x34, 0x56, 0x78, (byte) 0x9a, (byte) 0xbc, (byte) 0xde, (byte) 0xf1,
            0x23, 0x45, 0x67, (byte) 0x89, (byte) 0xab, (byte) 0xcd, (byte) 0xef, 0x12, '4', 'V', 'x',
            (byte) 0x9a}, r.infoHash);
        assertEquals((byte) 0xff, r.peerId[8]);
        assertEquals(6881, r.port);
        assertEquals(3, r.left);
        assertEquals(AnnounceEvent.STARTED, r.event);
        assertEquals(1000, r.numwant);
        assertFalse(r.compact);
    }

    @Test
    void shouldReportReasonWhenQueryIsBad() {
        AnnounceRequest r = new AnnounceRequest();
        assertEquals("missing info_hash", HttpAnnounceQuery.parseAnnounce("peer_id=aaaaaaaaaaaaaaaaaaaa&port=1", r));
        assertEquals("invalid info_hash", HttpAnnounceQuery.parseAnnounce("info_hash=%zz", r));
        assertEquals("invalid info_hash", HttpAnnounceQuery.parseAnnounce("info_hash=" + HASH + "%00", r));
        assertEquals("invalid info_hash", HttpAnnounceQuery.parseAnnounce("info_hash=%1", r));
        assertEquals("invalid port", HttpAnnounceQuery.parseAnnounce("info_hash=" + HASH
            + "&peer_id=aaaaaaaaaaaaaaaaaaaa&port=70000", r));
        assertEquals("invalid event", HttpAnnounceQuery.parseAnnounce("info_hash=" + HASH
            + "&peer_id=aaaaaaaaaaaaaaaaaaaa&port=1&event=boom", r));
        assertEquals("invalid left", HttpAnnounceQuery.parseAnnounce("info_hash=" + HASH
            + "&peer_id=aaaaaaaaaaaaaaaaaaaa&left=99999999999999999999999", r));
        assertEquals("missing port", HttpAnnounceQuery.parseAnnounce("info_hash=" + HASH
            + "&peer_id=aaaaaaaaaaaaaaaaaaaa&left=9", r));
        assertEquals("request too long", HttpAnnounceQuery.parseAnnounce("x".repeat(5000), r));
    }

    @Test
    void shouldBoundScrapeHashesWhenTooMany() {
        byte[][] out = new byte[2][20];
        assertEquals(2, HttpAnnounceQuery.parseScrape("info_hash=" + HASH + "&info_hash=" + HASH, out));
        assertEquals(-1, HttpAnnounceQuery.parseScrape("info_hash=" + HASH + "&info_hash=" + HASH
            + "&info_hash=" + HASH, out));
        assertEquals(0, HttpAnnounceQuery.parseScrape("", out));
    }
}
