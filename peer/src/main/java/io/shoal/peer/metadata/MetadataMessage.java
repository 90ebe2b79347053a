package io.shoal.peer.metadata;

import java.util.Arrays;

/**
 * One BEP 9 {@code ut_metadata} message: the payload of a BEP 10 extended message whose id the receiver advertised
 * for {@code ut_metadata}. Pieces are {@link MetadataCodec#PIECE_BYTES} long except the last.
 */
public sealed interface MetadataMessage {
    /** The metadata piece this message is about. */
    int piece();

    /** {@code msg_type 0}: send me metadata piece {@code piece}. */
    record Request(int piece) implements MetadataMessage {
    }

    /**
     * {@code msg_type 1}: metadata piece {@code piece}; {@code totalSize} is the whole info dictionary's length.
     *
     * @param data the piece's bytes (not copied; do not change them)
     */
    record Data(int piece, long totalSize, byte[] data) implements MetadataMessage {
        @Override
        public boolean equals(Object o) {
            return o instanceof Data d && d.piece == piece && d.totalSize == totalSize && Arrays.equals(d.data, data);
        }

        @Override
        public int hashCode() {
            return 31 * piece + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Data[piece " + piece + ", total " + totalSize + ", " + data.length + " bytes]";
        }
    }

    /** {@code msg_type 2}: the sender will not send piece {@code piece} (it lacks the metadata, or rate limits). */
    record Reject(int piece) implements MetadataMessage {
    }
}
