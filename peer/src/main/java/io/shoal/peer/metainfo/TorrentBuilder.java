package io.shoal.peer.metainfo;

import com.dampcake.bencode.Bencode;
import io.shoal.peer.storage.FileStorage;
import io.shoal.peer.storage.PathSanitizer;
import io.shoal.peer.storage.PieceVerifier;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * Makes a v1 torrent from a file or a folder. A folder is walked in a stable order (paths compared component by
 * component) taking regular files only, never following symbolic links; every name must pass
 * {@link PathSanitizer}, so what we publish others can safely download. Pieces are hashed on several cores by a
 * {@link PieceVerifier}. The result goes through {@link MetainfoReader}, so a built torrent obeys every rule a read
 * one does.
 *
 * <p>Mutable builder, one thread.
 */
public final class TorrentBuilder {
    private static final Bencode BENCODE = new Bencode(true);

    private final Path source;
    private final List<List<String>> tiers = new ArrayList<>();
    private int pieceLength;
    private boolean privateFlag;
    private String comment;
    private String createdBy = "shoal";
    private long creationDateSec = -1;
    /** Names of the folder's direct children to include, or null for all. */
    private Set<String> only;

    private TorrentBuilder(Path source) {
        this.source = source;
    }

    /** A builder for the file or folder at {@code source}. */
    public static TorrentBuilder of(Path source) {
        return new TorrentBuilder(source);
    }

    /** Adds a tier holding one tracker URL (each call a new tier, in order). */
    public TorrentBuilder tracker(String url) {
        tiers.add(List.of(url));
        return this;
    }

    /** Fixes the piece length (a power of two from 16 KiB to 16 MiB); 0, the default, chooses from the size. */
    public TorrentBuilder pieceLength(int bytes) {
        if (bytes != 0 && (Integer.bitCount(bytes) != 1 || bytes < PieceLengths.MIN || bytes > PieceLengths.MAX)) {
            throw new IllegalArgumentException("piece length must be a power of two from 16 KiB to 16 MiB: " + bytes);
        }
        this.pieceLength = bytes;
        return this;
    }

    /** Sets the BEP 27 private flag. */
    public TorrentBuilder privateFlag(boolean value) {
        this.privateFlag = value;
        return this;
    }

    /** Sets the comment, or {@code null} for none. */
    public TorrentBuilder comment(String text) {
        this.comment = text;
        return this;
    }

    /** Sets {@code created by}, or {@code null} for none; defaults to {@code shoal}. */
    public TorrentBuilder createdBy(String text) {
        this.createdBy = text;
        return this;
    }

    /**
     * For a folder: includes only these direct children (files or sub-folders, by name), so several paths of one
     * folder can be shared as that folder's torrent. Each must exist when {@link #build} runs.
     */
    public TorrentBuilder only(Collection<String> childNames) {
        this.only = Set.copyOf(new java.util.HashSet<>(childNames));
        return this;
    }

    /** Sets the creation date in seconds since the epoch, negative for none (the default, for reproducible files). */
    public TorrentBuilder creationDateSec(long seconds) {
        this.creationDateSec = seconds;
        return this;
    }

    /**
     * Walks, hashes and builds.
     *
     * @param progress told the index of each hashed piece, on the calling thread
     * @throws IOException       when the source cannot be read, is empty, or holds an unsafe name
     */
    public Metainfo build(PieceVerifier verifier, IntConsumer progress) throws IOException, MetainfoException {
        Path root = source.toAbsolutePath().normalize();
        String name = root.getFileName() == null ? "" : root.getFileName().toString();
        String nameProblem = PathSanitizer.checkComponent(name);
        if (nameProblem != null) {
            throw new IOException("cannot share '" + root + "': " + nameProblem);
        }
        boolean single = Files.isRegularFile(root, LinkOption.NOFOLLOW_LINKS);
        if (only != null) {
            for (String child : only) {
                if (!Files.exists(root.resolve(child), LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException("cannot share '" + root.resolve(child) + "': no such file or folder");
                }
            }
        }
        List<List<String>> relative = single ? List.of(List.of()) : walk(root, only);
        List<Path> paths = new ArrayList<>();
        long[] lengths = new long[relative.size()];
        long total = 0;
        for (int i = 0; i < lengths.length; i++) {
            Path p = root;
            for (String c : relative.get(i)) {
                p = p.resolve(c);
            }
            paths.add(p);
            lengths[i] = Files.size(p);
            total += lengths[i];
        }
        int length = pieceLength != 0 ? pieceLength : PieceLengths.choose(total);
        byte[] hashes;
        try (FileStorage storage = FileStorage.readOnly(paths, lengths, length)) {
            hashes = total == 0 ? new byte[0] : verifier.hashAll(storage, progress);
        }
        Map<String, Object> info = new TreeMap<>();
        info.put("name", name);
        info.put("piece length", length);
        info.put("pieces", ByteBuffer.wrap(hashes));
        if (privateFlag) {
            info.put("private", 1);
        }
        if (single) {
            info.put("length", lengths[0]);
        } else {
            List<Object> files = new ArrayList<>();
            for (int i = 0; i < lengths.length; i++) {
                files.add(Map.of("length", lengths[i], "path", relative.get(i)));
            }
            info.put("files", files);
        }
        byte[] raw = BENCODE.encode(info);
        return MetainfoReader.parse(MetainfoWriter.encode(raw, tiers, comment, createdBy, creationDateSec));
    }

    private static List<List<String>> walk(Path root, Set<String> only) throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("cannot share '" + root + "': not a regular file or folder");
        }
        List<List<String>> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                List<String> parts = new ArrayList<>();
                for (Path c : root.relativize(p)) {
                    parts.add(c.toString());
                }
                if (only != null && !only.contains(parts.get(0))) {
                    continue;
                }
                String why = PathSanitizer.checkPath(parts);
                if (why != null) {
                    throw new IOException("cannot share '" + p + "': " + why);
                }
                out.add(parts);
            }
        }
        if (out.isEmpty()) {
            throw new IOException("cannot share '" + root + "': no files in it");
        }
        out.sort(TorrentBuilder::compareComponents);
        return out;
    }

    private static int compareComponents(List<String> a, List<String> b) {
        Comparator<String> order = Comparator.naturalOrder();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = order.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
