package io.shoal.peer.metadata;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetadataCodecTest {
    private static MetadataCodec.Decoded decode(String text) {
        return MetadataCodec.decode(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void shouldRoundTripEveryMessageType() {
        MetadataMessage[] all = {new MetadataMessage.Request(3), new MetadataMessage.Reject(0),
            new MetadataMessage.Data(1, 20_000, new byte[20_000 - MetadataCodec.PIECE_BYTES])};
        for (MetadataMessage m : all) {
            MetadataCodec.Decoded d = MetadataCodec.decode(MetadataCodec.encode(m));
            assertNull(d.error());
            assertEquals(m, d.message());
        }
    }

    @Test
    void shouldEncodeRequestAsBep9Example() {
        assertArrayEquals("d8:msg_typei0e5:piecei0ee".getBytes(StandardCharsets.US_ASCII),
            MetadataCodec.encode(new MetadataMessage.Request(0)));
    }

    @Test
    void shouldDecodeDataWithTrailingBytes() {
        MetadataCodec.Decoded d = decode("d8:msg_typei1e5:piecei0e10:total_sizei5eexxxxx");
        MetadataMessage.Data data = (MetadataMessage.Data) d.message();
        assertEquals(5, data.totalSize());
        assertArrayEquals("xxxxx".getBytes(StandardCharsets.US_ASCII), data.data());
    }

    @Test
    void shouldRefuseMalformedPayloadsWithOneLineReason() {
        String[] bad = {"", "i1e", "d8:msg_typei0ee", "d8:msg_typei7e5:piecei0ee", "d8:msg_typei0e5:piecei-1ee",
            "d8:msg_typei0e5:piecei999999ee", "d8:msg_typei0e5:piecei0eeEXTRA",
            "d8:msg_typei1e5:piecei0e10:total_sizei0eex", "d8:msg_typei1e5:piecei0e10:total_sizei99999999999ee",
            "d8:msg_typei1e5:piecei0e10:total_sizei5ee", "d8:msg_typei1e5:piecei0e",
            "d8:msg_type1:x5:piecei0ee"};
        for (String text : bad) {
            MetadataCodec.Decoded d = decode(text);
            assertNull(d.message(), text);
            assertTrue(d.error().startsWith("bad ut_metadata message: ") && !d.error().contains("\n"), d.error());
        }
    }

    @Test
    void shouldRefuseDataPieceLongerThan16KiB() {
        byte[] head = "d8:msg_typei1e5:piecei0e10:total_sizei99999ee".getBytes(StandardCharsets.US_ASCII);
        byte[] payload = new byte[head.length + MetadataCodec.PIECE_BYTES + 1];
        System.arraycopy(head, 0, payload, 0, head.length);
        assertNull(MetadataCodec.decode(payload).message());
    }
}
