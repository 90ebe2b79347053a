package io.shoal.peer.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

/**
 * The child process of {@link ResumeAfterKillTest}: downloads (writes) pieces one by one, saving resume data after
 * each verified piece, then half-writes one more piece and waits on stdin to be killed with SIGKILL.
 */
final class CrashingWriter {
    static final int PIECE = 16 << 10;
    static final int PIECES = 12;
    static final int VERIFIED_BEFORE_KILL = 7;
    static final List<StoredFile> FILES = List.of(new StoredFile(List.of("t", "a"), 5L * PIECE + 100),
        new StoredFile(List.of("t", "b"), 7L * PIECE - 100));

    private CrashingWriter() {
    }

    /** The torrent's content as one stream. */
    static byte[] content() {
        byte[] data = new byte[PIECES * PIECE];
        new Random(77).nextBytes(data);
        return data;
    }

    /** SHA-1 of every piece of {@link #content()}. */
    static byte[] hashes() throws Exception {
        byte[] data = content();
        byte[] out = new byte[PIECES * 20];
        for (int i = 0; i < PIECES; i++) {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(data, i * PIECE, PIECE);
            System.arraycopy(sha1.digest(), 0, out, i * 20, 20);
        }
        return out;
    }

    /** Arguments: download root, resume file. */
    public static void main(String[] args) throws Exception {
        byte[] data = content();
        byte[] hashes = hashes();
        Path resume = Path.of(args[1]);
        BitSet verified = new BitSet();
        ByteBuffer buffer = ByteBuffer.allocate(PIECE);
        try (FileStorage s = FileStorage.create(Path.of(args[0]), FILES, PIECE)) {
            for (int p = 0; p < VERIFIED_BEFORE_KILL; p++) {
                s.writeBlock(p, 0, ByteBuffer.wrap(data, p * PIECE, PIECE));
                if (s.verifyPiece(p, hashes, buffer)) {
                    verified.set(p);
                    ResumeData.capture(new byte[20], verified, s).save(resume);
                }
            }
            s.writeBlock(VERIFIED_BEFORE_KILL, 0, ByteBuffer.wrap(data, VERIFIED_BEFORE_KILL * PIECE, PIECE / 2));
            System.out.println("ready");
            System.out.flush();
            System.in.read();
        } catch (IOException e) {
            System.out.println("failed " + e);
        }
    }
}
