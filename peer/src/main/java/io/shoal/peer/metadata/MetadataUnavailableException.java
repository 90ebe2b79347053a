package io.shoal.peer.metadata;

import java.io.IOException;

/** No peer delivered a magnet's info dictionary (none known, none answered in time, or all hung up); one line. */
public final class MetadataUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    public MetadataUnavailableException(String message) {
        super(message);
    }
}
