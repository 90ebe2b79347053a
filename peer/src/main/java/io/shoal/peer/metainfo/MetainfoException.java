package io.shoal.peer.metainfo;

/** A {@code .torrent} file or magnet link is invalid; the message is one readable line ("bad .torrent: ..."). */
public final class MetainfoException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message one line saying what is wrong */
    public MetainfoException(String message) {
        super(message);
    }
}
