package io.shoal.peer.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.DefaultByteBufHolder;

import java.util.Arrays;

/**
 * One peer wire message after the handshake (BEP 3, BEP 5 {@code port}, BEP 6, BEP 10). Consumers dispatch with
 * {@code instanceof} or a switch over {@link #kind()}. Only {@link Piece} holds a reference-counted buffer: whoever
 * consumes it last releases it.
 */
public sealed interface PeerMessage {
    /** Which message this is. */
    enum Kind {
        KEEP_ALIVE, CHOKE, UNCHOKE, INTERESTED, NOT_INTERESTED, HAVE, BITFIELD, REQUEST, PIECE, CANCEL, PORT,
        SUGGEST, HAVE_ALL, HAVE_NONE, REJECT, ALLOWED_FAST, EXTENDED_HANDSHAKE, EXTENDED
    }

    /** Which message this is. */
    Kind kind();

    /** A zero-length frame: keeps the connection alive (sent about every two minutes). */
    record KeepAlive() implements PeerMessage {
        /** The one instance. */
        public static final KeepAlive INSTANCE = new KeepAlive();

        @Override
        public Kind kind() {
            return Kind.KEEP_ALIVE;
        }
    }

    /** The sender will not answer requests (id 0). */
    record Choke() implements PeerMessage {
        /** The one instance. */
        public static final Choke INSTANCE = new Choke();

        @Override
        public Kind kind() {
            return Kind.CHOKE;
        }
    }

    /** The sender will answer requests (id 1). */
    record Unchoke() implements PeerMessage {
        /** The one instance. */
        public static final Unchoke INSTANCE = new Unchoke();

        @Override
        public Kind kind() {
            return Kind.UNCHOKE;
        }
    }

    /** The sender wants pieces the receiver has (id 2). */
    record Interested() implements PeerMessage {
        /** The one instance. */
        public static final Interested INSTANCE = new Interested();

        @Override
        public Kind kind() {
            return Kind.INTERESTED;
        }
    }

    /** The sender wants nothing from the receiver (id 3). */
    record NotInterested() implements PeerMessage {
        /** The one instance. */
        public static final NotInterested INSTANCE = new NotInterested();

        @Override
        public Kind kind() {
            return Kind.NOT_INTERESTED;
        }
    }

    /** The sender now has piece {@code piece} (id 4). */
    record Have(int piece) implements PeerMessage {
        @Override
        public Kind kind() {
            return Kind.HAVE;
        }
    }

    /**
     * The pieces the sender has (id 5): bit 7 of byte 0 is piece 0; spare bits at the end are zero.
     *
     * @param bits the bitmap, {@code ceil(pieceCount / 8)} bytes (not copied; do not change it)
     */
    record Bitfield(byte[] bits) implements PeerMessage {
        /** True when the bitmap marks piece {@code piece}. */
        public boolean has(int piece) {
            return (bits[piece >>> 3] & (0x80 >>> (piece & 7))) != 0;
        }

        @Override
        public Kind kind() {
            return Kind.BITFIELD;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bitfield b && Arrays.equals(bits, b.bits);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bits);
        }

        @Override
        public String toString() {
            return "Bitfield[" + bits.length + " bytes]";
        }
    }

    /** Asks for {@code length} bytes at {@code begin} of piece {@code piece} (id 6). */
    record Request(int piece, int begin, int length) implements PeerMessage {
        @Override
        public Kind kind() {
            return Kind.REQUEST;
        }
    }

    /** Withdraws a {@link Request} with the same fields (id 8). */
    record Cancel(int piece, int begin, int length) implements PeerMessage {
        @Override
        public Kind kind() {
            return Kind.CANCEL;
        }
    }

    /** BEP 6: the sender will not answer this request (id 0x10). */
    record Reject(int piece, int begin, int length) implements PeerMessage {
        @Override
        public Kind kind() {
            return Kind.REJECT;
        }
    }

    /** BEP 5: the sender's DHT node listens on UDP port {@code port} (id 9). */
    record Port(int port) implements PeerMessage {
        @Override
        public Kind kind() {
            return Kind.PORT;
        }
    }

    /** BEP 6: the sender suggests downloading piece {@code piece} (id 0x0D). */
    record Suggest(int piece) implements PeerMessage {
        @Override
        public Kind kind() {
            return Kind.SUGGEST;
        }
    }

    /** BEP 6: the sender has every piece, in place of a bitfield (id 0x0E). */
    record HaveAll() implements PeerMessage {
        /** The one instance. */
        public static final HaveAll INSTANCE = new HaveAll();

        @Override
        public Kind kind() {
            return Kind.HAVE_ALL;
        }
    }

    /** BEP 6: the sender has no piece, in place of a bitfield (id 0x0F). */
    record HaveNone() implements PeerMessage {
        /** The one instance. */
        public static final HaveNone INSTANCE = new HaveNone();

        @Override
        public Kind kind() {
            return Kind.HAVE_NONE;
        }
    }

    /** BEP 6: the receiver may request piece {@code piece} even while choked (id 0x11). */
    record AllowedFast(int piece) implements PeerMessage {
        @Override
        public Kind kind() {
            return Kind.ALLOWED_FAST;
        }
    }

    /** BEP 10: the extension handshake (id 20, extended id 0). */
    record ExtendedHandshakeMessage(ExtendedHandshake handshake) implements PeerMessage {
        @Override
        public Kind kind() {
            return Kind.EXTENDED_HANDSHAKE;
        }
    }

    /**
     * BEP 10: an extension message (id 20) with the extended id the receiver advertised for it.
     *
     * @param extendedId 1..255
     * @param payload    the extension's bytes (not copied; do not change them)
     */
    record Extended(int extendedId, byte[] payload) implements PeerMessage {
        @Override
        public Kind kind() {
            return Kind.EXTENDED;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Extended e && e.extendedId == extendedId && Arrays.equals(payload, e.payload);
        }

        @Override
        public int hashCode() {
            return 31 * extendedId + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Extended[" + extendedId + ", " + payload.length + " bytes]";
        }
    }

    /**
     * A block of piece data (id 7). Holds its buffer: the last consumer releases it.
     */
    final class Piece extends DefaultByteBufHolder implements PeerMessage {
        private final int piece;
        private final int begin;

        /** Takes ownership of {@code block}. */
        public Piece(int piece, int begin, ByteBuf block) {
            super(block);
            this.piece = piece;
            this.begin = begin;
        }

        /** Piece index. */
        public int piece() {
            return piece;
        }

        /** Offset of the block within the piece, in bytes. */
        public int begin() {
            return begin;
        }

        /** Block length in bytes. */
        public int length() {
            return content().readableBytes();
        }

        @Override
        public Kind kind() {
            return Kind.PIECE;
        }

        @Override
        public ByteBufHolder replace(ByteBuf content) {
            return new Piece(piece, begin, content);
        }

        @Override
        public String toString() {
            return "Piece[" + piece + ", " + begin + ", " + length() + " bytes]";
        }
    }
}
