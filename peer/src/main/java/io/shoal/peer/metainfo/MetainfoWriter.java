package io.shoal.peer.metainfo;

import com.dampcake.bencode.Bencode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes {@code .torrent} files. The {@code info} dictionary is copied byte for byte from {@link Metainfo#rawInfo()}
 * (never re-encoded, so the info hash cannot change); the top-level keys around it are written in sorted order as
 * BEP 3 requires.
 */
public final class MetainfoWriter {
    private static final Bencode BENCODE = new Bencode();

    private MetainfoWriter() {
    }

    /** The whole {@code .torrent} for {@code metainfo}. */
    public static byte[] toBytes(Metainfo metainfo) {
        return encode(metainfo.rawInfo(), metainfo.announceTiers(), metainfo.comment(), metainfo.createdBy(),
            metainfo.creationDateSec());
    }

    /** Writes {@code metainfo} to {@code file} through a temporary file and a rename, so readers never see half. */
    public static void write(Metainfo metainfo, Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        Files.write(tmp, toBytes(metainfo));
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * A top-level dictionary around {@code rawInfo}.
     *
     * @param tiers           tracker tiers; the first URL also becomes {@code announce}; empty for none
     * @param comment         or {@code null}
     * @param createdBy       or {@code null}
     * @param creationDateSec seconds since the epoch, or negative for none
     */
    static byte[] encode(byte[] rawInfo, List<List<String>> tiers, String comment, String createdBy,
        long creationDateSec) {
        Map<String, byte[]> entries = new TreeMap<>();
        if (!tiers.isEmpty()) {
            entries.put("announce", BENCODE.encode(tiers.get(0).get(0)));
            if (tiers.size() > 1 || tiers.get(0).size() > 1) {
                entries.put("announce-list", BENCODE.encode(tiers));
            }
        }
        if (comment != null) {
            entries.put("comment", BENCODE.encode(comment));
        }
        if (createdBy != null) {
            entries.put("created by", BENCODE.encode(createdBy));
        }
        if (creationDateSec >= 0) {
            entries.put("creation date", BENCODE.encode(creationDateSec));
        }
        entries.put("info", rawInfo);
        ByteArrayOutputStream out = new ByteArrayOutputStream(rawInfo.length + 512);
        out.write('d');
        // All keys are ASCII, so String order is the raw byte order BEP 3 asks for.
        entries.forEach((key, value) -> {
            out.writeBytes(BENCODE.encode(key));
            out.writeBytes(value);
        });
        out.write('e');
        return out.toByteArray();
    }
}
