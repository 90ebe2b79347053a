package io.shoal.peer.metadata;

import com.dampcake.bencode.Bencode;
import io.shoal.tracker.bencode.BencodeDict;
import io.shoal.tracker.bencode.BencodeFieldException;
import io.shoal.tracker.bencode.BencodeScanner;
import io.shoal.tracker.bencode.BencodeSpan;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes and decodes BEP 9 payloads: a bencoded dictionary ({@code msg_type}, {@code piece}, and for data
 * {@code total_size}) followed, for data, by the piece's bytes. Decoding never throws: a payload that is not one of
 * the three messages, names a piece outside {@link #MAX_METADATA_BYTES}, carries more than
 * {@link #PIECE_BYTES} bytes or has bytes after a request or reject is refused with a one-line reason.
 */
public final class MetadataCodec {
    /** The BEP 10 extension name. */
    public static final String EXTENSION = "ut_metadata";
    /** Bytes per metadata piece (BEP 9: 16 KiB, the last piece shorter). */
    public static final int PIECE_BYTES = 16 << 10;
    /** Largest info dictionary we fetch or serve (libtorrent allows about 30 MiB; 16 MiB holds 800k pieces). */
    public static final int MAX_METADATA_BYTES = 16 << 20;
    private static final int MAX_TOKENS = 16;
    private static final int MSG_REQUEST = 0;
    private static final int MSG_DATA = 1;
    private static final int MSG_REJECT = 2;
    private static final Bencode BENCODE = new Bencode(true);

    private MetadataCodec() {
    }

    /** A decoded message, or {@code null} with a reason. */
    public record Decoded(MetadataMessage message, String error) {
        static Decoded bad(String why) {
            return new Decoded(null, "bad ut_metadata message: " + why);
        }
    }

    /** How many pieces an info dictionary of {@code totalBytes} has. */
    public static int pieceCount(long totalBytes) {
        return (int) ((totalBytes + PIECE_BYTES - 1) / PIECE_BYTES);
    }

    /** The payload for {@code message} (the bytes that follow the extended id). */
    public static byte[] encode(MetadataMessage message) {
        Map<String, Object> d = new TreeMap<>();
        d.put("piece", message.piece());
        byte[] tail = new byte[0];
        if (message instanceof MetadataMessage.Request) {
            d.put("msg_type", MSG_REQUEST);
        } else if (message instanceof MetadataMessage.Reject) {
            d.put("msg_type", MSG_REJECT);
        } else {
            MetadataMessage.Data data = (MetadataMessage.Data) message;
            d.put("msg_type", MSG_DATA);
            d.put("total_size", data.totalSize());
            tail = data.data();
        }
        byte[] head = BENCODE.encode(d);
        byte[] out = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }

    /** Decodes a payload; borrows {@code payload} (a data message's bytes are copied out). */
    public static Decoded decode(byte[] payload) {
        BencodeScanner scanner = new BencodeScanner(payload, payload.length, MAX_TOKENS);
        if (payload.length == 0 || payload[0] != 'd') {
            return Decoded.bad("not a dictionary");
        }
        BencodeSpan dict = scanner.scan(0);
        if (dict == null) {
            return Decoded.bad(scanner.error());
        }
        long type;
        long piece;
        long total;
        try {
            BencodeDict d = BencodeDict.decode(payload, 0, dict.length(), MAX_TOKENS);
            type = d.integer("msg_type");
            piece = d.integer("piece");
            total = d.integerOr("total_size", -1);
        } catch (BencodeFieldException e) {
            return Decoded.bad(e.getMessage());
        }
        if (piece < 0 || piece >= pieceCount(MAX_METADATA_BYTES)) {
            return Decoded.bad("piece " + piece);
        }
        int tail = payload.length - dict.end();
        if (type == MSG_REQUEST || type == MSG_REJECT) {
            if (tail != 0) {
                return Decoded.bad(tail + " bytes after a " + (type == MSG_REQUEST ? "request" : "reject"));
            }
            return new Decoded(type == MSG_REQUEST ? new MetadataMessage.Request((int) piece)
                : new MetadataMessage.Reject((int) piece), null);
        }
        if (type != MSG_DATA) {
            return Decoded.bad("msg_type " + type);
        }
        if (total <= 0 || total > MAX_METADATA_BYTES) {
            return Decoded.bad("total_size " + total);
        }
        if (tail == 0 || tail > PIECE_BYTES) {
            return Decoded.bad("data piece of " + tail + " bytes");
        }
        return new Decoded(new MetadataMessage.Data((int) piece, total,
            Arrays.copyOfRange(payload, dict.end(), payload.length)), null);
    }
}
