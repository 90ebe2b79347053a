package io.shoal.peer.metainfo;

import io.shoal.peer.storage.StoredFile;

import java.util.Arrays;
import java.util.List;

/**
 * A parsed v1 {@code .torrent} (BEP 3, with BEP 12 tiers and the BEP 27 private flag). Immutable; arrays are copied
 * in and out. Built only by {@link MetainfoReader}, so every instance has passed its checks: file paths are safe
 * ({@link io.shoal.peer.storage.PathSanitizer}), the piece count matches the total length, the info hash is the
 * SHA-1 of {@link #rawInfo()}.
 */
public final class Metainfo {
    private final InfoHash infoHash;
    private final byte[] rawInfo;
    private final String name;
    private final int pieceLength;
    private final byte[] pieceHashes;
    private final List<StoredFile> files;
    private final boolean singleFile;
    private final long totalLength;
    private final List<List<String>> announceTiers;
    private final boolean privateFlag;
    private final String comment;
    private final String createdBy;
    private final long creationDateSec;

    Metainfo(byte[] rawInfo, String name, int pieceLength, byte[] pieceHashes, List<StoredFile> files,
        boolean singleFile, List<List<String>> announceTiers, boolean privateFlag, String comment, String createdBy,
        long creationDateSec) {
        this.infoHash = InfoHash.sha1Of(rawInfo, 0, rawInfo.length);
        this.rawInfo = rawInfo.clone();
        this.name = name;
        this.pieceLength = pieceLength;
        this.pieceHashes = pieceHashes.clone();
        this.files = List.copyOf(files);
        this.singleFile = singleFile;
        this.totalLength = files.stream().mapToLong(StoredFile::length).sum();
        this.announceTiers = announceTiers.stream().map(List::copyOf).toList();
        this.privateFlag = privateFlag;
        this.comment = comment;
        this.createdBy = createdBy;
        this.creationDateSec = creationDateSec;
    }

    /** SHA-1 of the raw {@code info} bytes. */
    public InfoHash infoHash() {
        return infoHash;
    }

    /** A copy of the {@code info} dictionary's bytes exactly as in the file (what BEP 9 serves as metadata). */
    public byte[] rawInfo() {
        return rawInfo.clone();
    }

    /** Suggested name of the file (single-file) or folder (multi-file). */
    public String name() {
        return name;
    }

    /** Bytes per piece. */
    public int pieceLength() {
        return pieceLength;
    }

    /** Number of pieces. */
    public int pieceCount() {
        return pieceHashes.length / InfoHash.BYTES;
    }

    /** All piece SHA-1s concatenated, 20 bytes each (a copy). */
    public byte[] pieceHashes() {
        return pieceHashes.clone();
    }

    /** SHA-1 of piece {@code piece} (a copy). */
    public byte[] pieceHash(int piece) {
        return Arrays.copyOfRange(pieceHashes, piece * InfoHash.BYTES, (piece + 1) * InfoHash.BYTES);
    }

    /**
     * The files in torrent order. Each path starts with {@link #name()} for a multi-file torrent (the folder) and is
     * just the name for a single-file torrent, so storage can place all of them under one download root.
     */
    public List<StoredFile> files() {
        return files;
    }

    /** True for a single-file torrent (the {@code length} form of {@code info}). */
    public boolean singleFile() {
        return singleFile;
    }

    /** Sum of all file lengths, in bytes. */
    public long totalLength() {
        return totalLength;
    }

    /** Tracker URLs by tier (BEP 12), or one tier holding {@code announce}; empty when there is none. */
    public List<List<String>> announceTiers() {
        return announceTiers;
    }

    /** The BEP 27 private flag: only the torrent's trackers may be used to find peers. */
    public boolean isPrivate() {
        return privateFlag;
    }

    /** Free-text comment, or {@code null}. */
    public String comment() {
        return comment;
    }

    /** The program that made the file, or {@code null}. */
    public String createdBy() {
        return createdBy;
    }

    /** Creation time in seconds since the epoch, or -1 when absent. */
    public long creationDateSec() {
        return creationDateSec;
    }

    /** A magnet link for this torrent: info hash, name and every tracker. */
    public MagnetLink magnet() {
        return new MagnetLink(infoHash, name, announceTiers.stream().flatMap(List::stream).distinct().toList(),
            List.of());
    }
}
