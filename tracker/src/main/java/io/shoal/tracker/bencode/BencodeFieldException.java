package io.shoal.tracker.bencode;

/** A decoded bencode dictionary lacks a field or holds one of the wrong type or range; the message names it. */
public final class BencodeFieldException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message one readable line, such as {@code "'piece length' is missing"} */
    public BencodeFieldException(String message) {
        super(message);
    }
}
