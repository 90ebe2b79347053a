package io.shoal.peer.metadata;

import com.dampcake.bencode.Bencode;
import io.shoal.peer.metainfo.Metainfo;
import io.shoal.peer.metainfo.MetainfoException;
import io.shoal.peer.metainfo.MetainfoReader;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Turns a fetched info dictionary into a {@link Metainfo}: wraps the raw bytes, unchanged, in a {@code .torrent}
 * with the magnet link's trackers (each its own tier, BEP 12) and reads it back with every check
 * {@link MetainfoReader} makes, so a magnet download is held to the same rules as a {@code .torrent} one.
 */
public final class MetadataTorrent {
    private static final Bencode BENCODE = new Bencode(true);

    private MetadataTorrent() {
    }

    /** The {@code .torrent} bytes: {@code announce} and {@code announce-list} when there are trackers, then info. */
    public static byte[] torrentBytes(byte[] rawInfo, List<String> trackers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(rawInfo.length + 256);
        out.write('d');
        if (!trackers.isEmpty()) {
            out.writeBytes(BENCODE.encode("announce"));
            out.writeBytes(BENCODE.encode(trackers.get(0)));
            out.writeBytes(BENCODE.encode("announce-list"));
            out.writeBytes(BENCODE.encode(trackers.stream().map(List::of).toList()));
        }
        out.writeBytes(BENCODE.encode("info"));
        out.writeBytes(rawInfo);
        out.write('e');
        return out.toByteArray();
    }

    /** Reads the wrapped bytes back; the message says what is wrong with the info dictionary. */
    public static Metainfo toMetainfo(byte[] rawInfo, List<String> trackers) throws MetainfoException {
        return MetainfoReader.parse(torrentBytes(rawInfo, trackers));
    }
}
