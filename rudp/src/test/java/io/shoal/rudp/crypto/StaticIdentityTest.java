package io.shoal.rudp.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class StaticIdentityTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    void shouldSaveOwnerOnlyAndLoadTheSameKey(@TempDir final Path dir) throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "needs a POSIX file system");
        final Path file = dir.resolve("identity.key");
        final StaticIdentity id = StaticIdentity.loadOrCreate(file, random);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(id.publicKey(), StaticIdentity.load(file).publicKey());
        assertEquals(id.publicKey(), StaticIdentity.loadOrCreate(file, random).publicKey());
        assertThrows(FileAlreadyExistsException.class, () -> id.save(file));
    }

    @Test
    void shouldRejectAFileWithoutAKey(@TempDir final Path dir) throws IOException {
        final Path file = Files.writeString(dir.resolve("bad.key"), "# nothing\nnot base64!\n");
        assertThrows(IOException.class, () -> StaticIdentity.load(file));
    }

    @Test
    void shouldParsePublicKeysAsBase64OrHex() {
        final PeerKey key = StaticIdentity.generate(random).publicKey();
        assertEquals(key, PeerKey.parse(key.toBase64()));
        assertEquals(key, PeerKey.parse(key.toHex()));
        assertThrows(IllegalArgumentException.class, () -> PeerKey.parse("AAAA"));
    }

    @Test
    void shouldApplyEachPeerKeyPolicy() {
        final PeerKey a = StaticIdentity.generate(random).publicKey();
        final PeerKey b = StaticIdentity.generate(random).publicKey();
        assertTrue(PeerKeyPolicy.pinned(a).accepts("x", a));
        assertFalse(PeerKeyPolicy.pinned(a).accepts("x", b));
        assertTrue(PeerKeyPolicy.allowList(Set.of(a, b)).accepts("y", b));
        assertNull(PeerKeyPolicy.allowList(Set.of(a, b)).expectedKey("y"));
        final Map<String, PeerKey> known = new HashMap<>();
        final PeerKeyPolicy tofu = PeerKeyPolicy.learnOnFirstUse(known);
        assertNull(tofu.expectedKey("peer"));
        assertTrue(tofu.accepts("peer", a));
        assertEquals(a, known.get("peer"));
        assertEquals(a, tofu.expectedKey("peer"));
        assertFalse(tofu.accepts("peer", b));
        assertTrue(tofu.accepts("other", b));
        assertTrue(PeerKeyPolicy.acceptAny().accepts("z", b));
    }
}
