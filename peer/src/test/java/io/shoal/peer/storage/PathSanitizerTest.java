package io.shoal.peer.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PathSanitizerTest {
    @TempDir
    Path root;

    @Test
    void shouldRejectEveryAttackInTheTable() {
        Object[][] attacks = {
            {List.of(".."), "'..'"},
            {List.of("a", "..", "..", "etc"), "'..'"},
            {List.of("."), "'.'"},
            {List.of(""), "empty"},
            {List.of(), "empty path"},
            {List.of("/etc/passwd"), "separator"},
            {List.of("a/../../b"), "separator"},
            {List.of("..\\..\\win.ini"), "separator"},
            {List.of("C:"), "drive letter"},
            {List.of("c:evil"), "drive letter"},
            {List.of("nul\0.txt"), "control character"},
            {List.of("line\nbreak"), "control character"},
            {List.of("CON"), "reserved"},
            {List.of("con.txt"), "reserved"},
            {List.of("Lpt9.log"), "reserved"},
            {List.of("aux"), "reserved"},
            {List.of("x".repeat(256)), "longer than 255"},
            {List.of("\u00e9".repeat(128)), "longer than 255"},
            {java.util.Collections.nCopies(65, "d"), "deeper"},
        };
        for (Object[] attack : attacks) {
            @SuppressWarnings("unchecked")
            List<String> path = (List<String>) attack[0];
            String why = PathSanitizer.checkPath(path);
            assertTrue(why != null && why.contains((String) attack[1]), path + " -> " + why);
            IOException e = assertThrows(IOException.class, () -> PathSanitizer.resolve(root, path));
            assertTrue(e.getMessage().startsWith("unsafe path"), e.getMessage());
        }
    }

    @Test
    void shouldAcceptOrdinaryNamesUnderTheRoot() throws IOException {
        for (List<String> ok : List.of(List.of("a.txt"), List.of("dir", "sub", "file.bin"), List.of("...x"),
            List.of("CONSOLE.txt"), List.of("com10"), List.of("\u00e9t\u00e9 2024.mkv"), List.of("x".repeat(255)))) {
            assertNull(PathSanitizer.checkPath(ok), ok.toString());
            Path p = PathSanitizer.resolve(root, ok);
            assertTrue(p.startsWith(root.toAbsolutePath()), p.toString());
        }
    }

    @Test
    void shouldRefuseToWriteThroughSymbolicLinks() throws IOException {
        Path outside = Files.createDirectories(root.resolveSibling(root.getFileName() + "-outside"));
        Files.createSymbolicLink(root.resolve("link"), outside);
        IOException e = assertThrows(IOException.class, () -> PathSanitizer.resolve(root, List.of("link", "f")));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertThrows(IOException.class, () -> FileStorage.create(root, List.of(new StoredFile(List.of("link", "f"),
            10)), 16)).getMessage();
        assertEquals(0, Files.list(outside).count(), "nothing written outside the root");
    }
}
