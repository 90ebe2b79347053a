package io.shoal.peer.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;

/**
 * Hashes pieces with SHA-1 on a fixed pool of threads, several cores at once. At most two pieces per thread are in
 * flight, so memory stays bounded (a piece is at most 16 MiB) however large the torrent. Pieces that
 * {@link FileStorage#readsAsZeros read as zeros} (a file created just now) are checked against the hash of zeros of
 * their size, computed once, and not read: an empty download folder costs nothing to check.
 *
 * <p>Thread-safe; close it to stop its threads.
 */
public final class PieceVerifier implements AutoCloseable {
    private static final int SHA1_BYTES = 20;

    private final int threads;
    private final ExecutorService pool;
    private final ThreadLocal<ByteBuffer> buffers = new ThreadLocal<>();
    private final LongAdder piecesRead = new LongAdder();

    /** A verifier with {@code threads} hashing threads (daemon threads, so a forgotten close never blocks exit). */
    public PieceVerifier(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads " + threads);
        }
        this.threads = threads;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "shoal-hash");
            t.setDaemon(true);
            return t;
        });
    }

    /** One thread per core, at most eight (SHA-1 is CPU-bound; the disk is the limit beyond that). */
    public static int defaultThreads() {
        return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * SHA-1 of every piece, concatenated (20 bytes per piece, the metainfo {@code pieces} string).
     *
     * @param progress told each finished piece's index, from the calling thread
     */
    public byte[] hashAll(FileStorage storage, IntConsumer progress) throws IOException {
        int n = storage.layout().pieceCount();
        byte[] out = new byte[n * SHA1_BYTES];
        BitSet all = new BitSet(n);
        all.set(0, n);
        run(storage, all, (piece, hash) -> {
            System.arraycopy(hash, 0, out, piece * SHA1_BYTES, SHA1_BYTES);
            progress.accept(piece);
        });
        return out;
    }

    /**
     * Checks the pieces in {@code which} against {@code hashes} (20 bytes per piece).
     *
     * @return the pieces of {@code which} whose data on disk matches
     */
    public BitSet verify(FileStorage storage, byte[] hashes, BitSet which, IntConsumer progress) throws IOException {
        BitSet good = new BitSet(storage.layout().pieceCount());
        HashSink check = (piece, hash) -> {
            if (Arrays.equals(hash, 0, SHA1_BYTES, hashes, piece * SHA1_BYTES, piece * SHA1_BYTES + SHA1_BYTES)) {
                good.set(piece);
            }
            progress.accept(piece);
        };
        BitSet toRead = (BitSet) which.clone();
        ZeroPieceHashes zeros = new ZeroPieceHashes();
        for (int piece = which.nextSetBit(0); piece >= 0; piece = which.nextSetBit(piece + 1)) {
            if (storage.readsAsZeros(piece)) {
                toRead.clear(piece);
                check.accept(piece, zeros.of(storage.layout().pieceSize(piece)));
            }
            if (piece == Integer.MAX_VALUE) {
                break;
            }
        }
        run(storage, toRead, check);
        return good;
    }

    /** Pieces read from disk and hashed since this verifier was made (not those known to read as zeros). */
    public long piecesRead() {
        return piecesRead.sum();
    }

    /**
     * What can be trusted on start: pieces the resume data vouches for (files unchanged since it was written), plus
     * every other piece that verifies now.
     *
     * @param resume resume data for this torrent, or {@code null} when there is none
     */
    public BitSet recheck(FileStorage storage, byte[] hashes, ResumeData resume) throws IOException {
        int n = storage.layout().pieceCount();
        BitSet trusted = resume == null ? new BitSet(n) : resume.trustedPieces(storage);
        BitSet rest = new BitSet(n);
        rest.set(0, n);
        rest.andNot(trusted);
        trusted.or(verify(storage, hashes, rest, piece -> { }));
        return trusted;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    private interface HashSink {
        void accept(int piece, byte[] sha1);
    }

    private record Hashed(int piece, byte[] sha1) {
    }

    private void run(FileStorage storage, BitSet which, HashSink sink) throws IOException {
        int maxPiece = storage.layout().pieceLength();
        ExecutorCompletionService<Hashed> done = new ExecutorCompletionService<>(pool);
        int inFlight = 0;
        int next = which.nextSetBit(0);
        try {
            while (next >= 0 || inFlight > 0) {
                while (next >= 0 && inFlight < threads * 2) {
                    int piece = next;
                    done.submit(() -> {
                        piecesRead.increment();
                        return new Hashed(piece, storage.hashPiece(piece, buffer(maxPiece)));
                    });
                    inFlight++;
                    next = next == Integer.MAX_VALUE ? -1 : which.nextSetBit(next + 1);
                }
                Hashed h = done.take().get();
                inFlight--;
                sink.accept(h.piece(), h.sha1());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while hashing", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    private ByteBuffer buffer(int size) {
        ByteBuffer b = buffers.get();
        if (b == null || b.capacity() < size) {
            b = ByteBuffer.allocate(size);
            buffers.set(b);
        }
        return b;
    }
}
