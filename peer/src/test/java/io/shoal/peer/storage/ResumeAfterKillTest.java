package io.shoal.peer.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real {@code kill -9} in the middle of a download: what was verified before it survives, nothing else is trusted. */
@Timeout(120)
class ResumeAfterKillTest {
    @TempDir
    Path tmp;

    @Test
    void shouldKeepVerifiedPiecesAndRecheckTheRestAfterKill9() throws Exception {
        Path root = tmp.resolve("dl");
        Path resume = tmp.resolve("t.resume");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
            CrashingWriter.class.getName(), root.toString(), resume.toString())).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            String line = out.readLine();
            assertEquals("ready", line);
            // destroyForcibly is SIGKILL on Linux: no shutdown hooks, no close, no flush.
            child.destroyForcibly().waitFor();
        }
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
        byte[] hashes = CrashingWriter.hashes();
        try (FileStorage s = FileStorage.create(root, CrashingWriter.FILES, CrashingWriter.PIECE);
             PieceVerifier verifier = new PieceVerifier(2)) {
            ResumeData loaded = ResumeData.load(resume, new byte[20]);
            assertTrue(loaded != null, "resume data written before the kill is readable");
            BitSet expected = new BitSet();
            expected.set(0, CrashingWriter.VERIFIED_BEFORE_KILL);
            assertEquals(expected, loaded.verified());
            // File a (pieces 0-4 alone) did not change after the last save, so its pieces are trusted unread. File b
            // got half a piece after it; unless that write fell in the same coarse mtime tick, b's are re-checked.
            BitSet trusted = loaded.trustedPieces(s);
            BitSet outside = (BitSet) trusted.clone();
            outside.andNot(expected);
            assertTrue(outside.isEmpty(), "never trusts a piece that was not verified: " + trusted);
            BitSet aOnly = bitsBelow(5);
            aOnly.andNot(trusted);
            assertTrue(aOnly.isEmpty(), "trusts the unchanged file's pieces: " + trusted);
            assertEquals(expected, verifier.recheck(s, hashes, loaded));
        }
    }

    private static BitSet bitsBelow(int n) {
        BitSet b = new BitSet();
        b.set(0, n);
        return b;
    }
}
