package io.shoal.peer.node;

import io.netty.buffer.ByteBuf;
import io.shoal.peer.metainfo.Metainfo;
import io.shoal.peer.storage.FileStorage;
import io.shoal.peer.storage.PieceVerifier;
import io.shoal.peer.storage.ResumeData;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * A torrent's data on disk as the networked peer uses it: blocks written and read with positional I/O (on the event
 * loop: page-cache copies), pieces hashed on a worker pool off the loop, the start-up check (resume data first, then
 * hashing what it does not vouch for) and resume data saved next to the files as {@code .<info hash hex>.resume}.
 * Thread-safe as far as {@link FileStorage} is (positional I/O).
 */
final class PieceStore implements AutoCloseable {
    /** Result of hashing one piece, delivered on the caller's executor. */
    interface VerifyCallback {
        /**
         * @param data the piece's bytes as on disk when {@code passed} is false or they were asked for, else null
         */
        void verified(int piece, boolean passed, ByteBuffer data, IOException error);
    }

    private static final int SHA1_BYTES = 20;

    private final Metainfo metainfo;
    private final FileStorage storage;
    private final byte[] hashes;
    private final Path resumeFile;
    private final ExecutorService hashPool;
    private final ThreadLocal<ByteBuffer> pieceBuffers;

    PieceStore(Metainfo metainfo, Path directory, ExecutorService hashPool) throws IOException {
        this.metainfo = metainfo;
        // File paths start with the torrent's name (its folder for a multi-file torrent): the directory is the root.
        this.storage = FileStorage.create(directory, metainfo.files(), metainfo.pieceLength());
        this.hashes = metainfo.pieceHashes();
        this.resumeFile = directory.resolve("." + metainfo.infoHash().hex() + ".resume");
        this.hashPool = hashPool;
        int pieceLength = metainfo.pieceLength();
        this.pieceBuffers = ThreadLocal.withInitial(() -> ByteBuffer.allocate(pieceLength));
    }

    Path resumeFile() {
        return resumeFile;
    }

    /** The pieces we hold: those resume data vouches for plus every other one that verifies. Blocking. */
    BitSet check(int threads) throws IOException {
        ResumeData resume = ResumeData.load(resumeFile, metainfo.infoHash().bytes());
        try (PieceVerifier verifier = new PieceVerifier(threads)) {
            return verifier.recheck(storage, hashes, resume);
        }
    }

    /** Writes a received block; borrows {@code block}. */
    void write(int piece, int begin, ByteBuf block) throws IOException {
        storage.writeBlock(piece, begin, block.nioBuffer(block.readerIndex(), block.readableBytes()));
    }

    /**
     * Appends a block to {@code out} with positional reads straight into its memory (no copy through a heap array
     * when {@code out} is direct); {@code out} must have {@code length} writable bytes.
     */
    void read(ByteBuf out, int piece, int begin, int length) throws IOException {
        int at = out.writerIndex();
        storage.readBlock(piece, begin, out.nioBuffer(at, length));
        out.writerIndex(at + length);
    }

    /** Hashes {@code piece} on the worker pool; {@code callback} runs on {@code loop}. */
    void verify(int piece, boolean keepData, Executor loop, VerifyCallback callback) {
        hashPool.execute(() -> {
            ByteBuffer buffer = pieceBuffers.get();
            try {
                byte[] hash = storage.hashPiece(piece, buffer);
                boolean passed = Arrays.equals(hash, 0, SHA1_BYTES, hashes, piece * SHA1_BYTES,
                    piece * SHA1_BYTES + SHA1_BYTES);
                ByteBuffer data = null;
                if (!passed || keepData) {
                    buffer.rewind();
                    data = ByteBuffer.allocate(buffer.remaining()).put(buffer).flip();
                }
                ByteBuffer result = data;
                loop.execute(() -> callback.verified(piece, passed, result, null));
            } catch (IOException e) {
                loop.execute(() -> callback.verified(piece, false, null, e));
            }
        });
    }

    /** Forces the data to disk and records {@code verified} atomically. Blocking. */
    void saveResume(BitSet verified) throws IOException {
        ResumeData.capture(metainfo.infoHash().bytes(), verified, storage).save(resumeFile);
    }

    @Override
    public void close() throws IOException {
        storage.close();
    }
}
