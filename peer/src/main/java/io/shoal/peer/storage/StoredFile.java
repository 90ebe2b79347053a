package io.shoal.peer.storage;

import java.util.List;

/**
 * One file of a torrent as storage sees it.
 *
 * @param path   relative path components, each already accepted by {@link PathSanitizer#checkComponent}
 * @param length size in bytes, zero or more
 */
public record StoredFile(List<String> path, long length) {
    /** Copies {@code path} and checks the length. */
    public StoredFile {
        path = List.copyOf(path);
        if (path.isEmpty() || length < 0) {
            throw new IllegalArgumentException("file " + path + " of length " + length);
        }
    }

    /** The components joined with {@code '/'}, for messages and listings. */
    public String displayPath() {
        return String.join("/", path);
    }
}
