package io.shoal.peer.metainfo;

import io.shoal.peer.storage.PieceVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link TorrentBuilder#only}: several paths of one folder shared as that folder's torrent, nothing else in it. */
class TorrentBuilderSelectionTest {
    @TempDir
    Path tmp;

    @Test
    void shouldIncludeOnlySelectedChildrenWhenOnlyGiven() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("photos"));
        Files.writeString(folder.resolve("a.jpg"), "aaaa");
        Files.writeString(Files.createDirectories(folder.resolve("trip")).resolve("b.jpg"), "bbbbbb");
        Files.writeString(folder.resolve("secret.txt"), "not shared");
        Metainfo m;
        try (PieceVerifier v = new PieceVerifier(1)) {
            m = TorrentBuilder.of(folder).only(List.of("a.jpg", "trip", "a.jpg")).build(v, p -> { });
        }
        assertEquals("photos", m.name());
        assertEquals(List.of("photos/a.jpg", "photos/trip/b.jpg"), m.files().stream()
            .map(f -> String.join("/", f.path())).toList());
        assertEquals(10, m.totalLength());
    }

    @Test
    void shouldRefuseWhenSelectedChildMissing() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("photos"));
        Files.writeString(folder.resolve("a.jpg"), "aaaa");
        try (PieceVerifier v = new PieceVerifier(1)) {
            IOException e = assertThrows(IOException.class,
                () -> TorrentBuilder.of(folder).only(List.of("a.jpg", "gone.jpg")).build(v, p -> { }));
            assertEquals("cannot share '" + folder.resolve("gone.jpg") + "': no such file or folder", e.getMessage());
        }
    }
}
