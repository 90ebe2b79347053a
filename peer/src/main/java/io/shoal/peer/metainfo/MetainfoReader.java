package io.shoal.peer.metainfo;

import io.shoal.tracker.bencode.BencodeDict;
import io.shoal.tracker.bencode.BencodeFieldException;
import io.shoal.tracker.bencode.BencodeScanner;
import io.shoal.tracker.bencode.BencodeSpan;
import io.shoal.peer.storage.PathSanitizer;
import io.shoal.peer.storage.StoredFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads v1 {@code .torrent} files (BEP 3). The whole file is validated by {@link BencodeScanner} first (depth, sizes,
 * integer form); the info hash is the SHA-1 of the {@code info} value's raw bytes as found, so a torrent with keys out
 * of order or unusual extra keys keeps the hash every other client computes.
 *
 * <p>Rejected, with a one-line {@link MetainfoException} ("bad .torrent: ..."): anything over
 * {@link #MAX_FILE_BYTES}, a non-positive or over-large piece length, a {@code pieces} string whose length is not 20
 * per piece of the total, both or neither of {@code length}/{@code files}, negative lengths, more than
 * {@link #MAX_FILES} files or {@link #MAX_PIECES} pieces, and any unsafe path ({@link PathSanitizer}).
 */
public final class MetainfoReader {
    /** Largest {@code .torrent} read (libtorrent caps metadata at about 30 MiB). */
    public static final int MAX_FILE_BYTES = 32 << 20;
    /** Most files in one torrent. */
    public static final int MAX_FILES = 1 << 20;
    /** Most pieces in one torrent (libtorrent's {@code max_piece_count}). */
    public static final int MAX_PIECES = 0x200000;
    /** Largest piece length accepted. */
    public static final int MAX_PIECE_LENGTH = 256 << 20;
    private static final int MAX_TOKENS = 8_000_000;

    private MetainfoReader() {
    }

    /** Reads and checks the {@code .torrent} at {@code file}. */
    public static Metainfo read(Path file) throws IOException, MetainfoException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new MetainfoException("bad .torrent: " + size + " bytes, more than " + MAX_FILE_BYTES);
        }
        return parse(Files.readAllBytes(file));
    }

    /** Parses and checks a whole {@code .torrent}; borrows {@code data}. */
    public static Metainfo parse(byte[] data) throws MetainfoException {
        if (data.length > MAX_FILE_BYTES) {
            throw bad(data.length + " bytes, more than " + MAX_FILE_BYTES);
        }
        BencodeScanner scanner = new BencodeScanner(data, data.length, MAX_TOKENS);
        BencodeSpan whole = scanner.scanWholeDictionary();
        if (whole == null) {
            throw bad(scanner.error());
        }
        BencodeSpan info = scanner.valueOf(whole, "info");
        if (info == null) {
            throw bad("no 'info' dictionary");
        }
        if (data[info.offset()] != 'd') {
            throw bad("'info' is not a dictionary");
        }
        try {
            BencodeDict top = BencodeDict.decode(data, 0, data.length, MAX_TOKENS);
            return build(Arrays.copyOfRange(data, info.offset(), info.end()), top);
        } catch (BencodeFieldException e) {
            throw bad(e.getMessage());
        }
    }

    private static Metainfo build(byte[] rawInfo, BencodeDict top) throws BencodeFieldException, MetainfoException {
        BencodeDict info = top.dict("info");
        String name = info.has("name.utf-8") ? info.utf8("name.utf-8") : info.utf8("name");
        checkSafe(List.of(name));
        long pieceLength = info.integer("piece length");
        if (pieceLength <= 0 || pieceLength > MAX_PIECE_LENGTH) {
            throw bad("piece length " + pieceLength);
        }
        byte[] pieces = info.bytes("pieces");
        boolean single = info.has("length");
        if (single == info.has("files")) {
            throw bad(single ? "both 'length' and 'files'" : "neither 'length' nor 'files'");
        }
        List<StoredFile> files = single ? List.of(new StoredFile(List.of(name), length(info)))
            : multiFile(name, info.list("files"));
        long total = 0;
        for (StoredFile f : files) {
            total += f.length();
            if (total < 0) {
                throw bad("total length overflows");
            }
        }
        long pieceCount = (total + pieceLength - 1) / pieceLength;
        if (pieceCount > MAX_PIECES) {
            throw bad(pieceCount + " pieces, more than " + MAX_PIECES);
        }
        if (pieces.length != pieceCount * InfoHash.BYTES) {
            throw bad("'pieces' has " + pieces.length + " bytes, expected 20 for each of " + pieceCount + " pieces");
        }
        return new Metainfo(rawInfo, name, (int) pieceLength, pieces, files, single, tiers(top),
            info.integerOr("private", 0) == 1, lenientText(top, "comment"), lenientText(top, "created by"),
            top.integerOr("creation date", -1));
    }

    private static long length(BencodeDict file) throws BencodeFieldException, MetainfoException {
        long length = file.integer("length");
        if (length < 0) {
            throw bad("negative file length " + length);
        }
        return length;
    }

    private static List<StoredFile> multiFile(String name, List<Object> entries)
        throws BencodeFieldException, MetainfoException {
        if (entries.isEmpty() || entries.size() > MAX_FILES) {
            throw bad(entries.size() + " files");
        }
        List<StoredFile> files = new ArrayList<>(entries.size());
        for (Object o : entries) {
            BencodeDict entry = BencodeDict.asDict(o, "files");
            String key = entry.has("path.utf-8") ? "path.utf-8" : "path";
            List<Object> parts = entry.list(key);
            if (parts.isEmpty()) {
                throw bad("a file with an empty 'path'");
            }
            List<String> path = new ArrayList<>(parts.size() + 1);
            path.add(name);
            for (Object part : parts) {
                path.add(BencodeDict.asUtf8(part, key));
            }
            checkSafe(path);
            files.add(new StoredFile(path, length(entry)));
        }
        return files;
    }

    private static List<List<String>> tiers(BencodeDict top) throws BencodeFieldException {
        List<List<String>> tiers = new ArrayList<>();
        List<Object> list = top.listOrNull("announce-list");
        if (list != null) {
            for (Object tier : list) {
                List<String> urls = new ArrayList<>();
                for (Object url : BencodeDict.asList(tier, "announce-list")) {
                    urls.add(BencodeDict.asUtf8(url, "announce-list"));
                }
                if (!urls.isEmpty()) {
                    tiers.add(urls);
                }
            }
        }
        String announce = top.utf8OrNull("announce");
        if (tiers.isEmpty() && announce != null && !announce.isEmpty()) {
            tiers.add(List.of(announce));
        }
        return tiers;
    }

    /** Comments from old clients may be in another encoding: drop what is not UTF-8 rather than refuse the file. */
    private static String lenientText(BencodeDict top, String key) {
        try {
            return top.utf8OrNull(key);
        } catch (BencodeFieldException e) {
            return null;
        }
    }

    private static void checkSafe(List<String> path) throws MetainfoException {
        String why = PathSanitizer.checkPath(path);
        if (why != null) {
            throw bad("unsafe file path: " + why);
        }
    }

    private static MetainfoException bad(String what) {
        return new MetainfoException("bad .torrent: " + what);
    }
}
