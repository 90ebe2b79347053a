package io.shoal.peer.metadata;

import java.util.Arrays;

/**
 * Answers BEP 9 requests for one torrent's info dictionary: a data message for a piece that exists, a reject for
 * one that does not. Immutable and thread-safe; the raw bytes are copied in once.
 */
public final class MetadataServer {
    private final byte[] rawInfo;

    /**
     * Serves {@code rawInfo}, the info dictionary exactly as hashed.
     *
     * @throws IllegalArgumentException when it is empty or larger than {@link MetadataCodec#MAX_METADATA_BYTES}
     */
    public MetadataServer(byte[] rawInfo) {
        if (rawInfo.length == 0 || rawInfo.length > MetadataCodec.MAX_METADATA_BYTES) {
            throw new IllegalArgumentException("metadata of " + rawInfo.length + " bytes");
        }
        this.rawInfo = rawInfo.clone();
    }

    /** The {@code metadata_size} to put in our BEP 10 handshake. */
    public int sizeBytes() {
        return rawInfo.length;
    }

    /** The answer to a request for {@code piece}: its data, or a reject when there is no such piece. */
    public MetadataMessage respond(int piece) {
        if (piece < 0 || piece >= MetadataCodec.pieceCount(rawInfo.length)) {
            return new MetadataMessage.Reject(piece);
        }
        int from = piece * MetadataCodec.PIECE_BYTES;
        int to = Math.min(rawInfo.length, from + MetadataCodec.PIECE_BYTES);
        return new MetadataMessage.Data(piece, rawInfo.length, Arrays.copyOfRange(rawInfo, from, to));
    }
}
