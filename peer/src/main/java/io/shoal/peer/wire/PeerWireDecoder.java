package io.shoal.peer.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.shoal.tracker.bencode.BencodeFieldException;
import io.shoal.peer.metainfo.InfoHash;

import java.nio.charset.StandardCharsets;

/**
 * Incremental decoder for one peer's byte stream: {@link #feed} bytes as they arrive, in chunks of any size, then
 * call {@link #pollHandshake()} once (when constructed to expect one) and {@link #poll()} until it returns
 * {@code null}. Bad input is never thrown: the decoder stops, {@link #error()} says why, and the connection should
 * be closed. Unknown message ids are skipped (and counted), as BEP 3 clients do for forward compatibility.
 *
 * <p>Buffers: {@link #feed} borrows its chunk (copies what it needs). A returned {@link PeerMessage.Piece} owns a
 * buffer from the allocator, released by whoever consumes it last. Call {@link #release()} when done with the
 * decoder. Single-threaded, like the connection it serves.
 */
public final class PeerWireDecoder {
    private static final int COMPACT_AFTER_BYTES = 64 << 10;
    private static final byte[] PROTOCOL = Handshake.PROTOCOL.getBytes(StandardCharsets.US_ASCII);

    private final ByteBufAllocator alloc;
    private PeerWireLimits limits;
    private ByteBuf cumulation;
    private boolean awaitingHandshake;
    private PeerWireError error;
    private long ignoredMessages;

    /**
     * @param expectHandshake true when the stream starts with the 68-byte BEP 3 handshake
     */
    public PeerWireDecoder(PeerWireLimits limits, ByteBufAllocator alloc, boolean expectHandshake) {
        this.limits = limits;
        this.alloc = alloc;
        this.awaitingHandshake = expectHandshake;
    }

    /** Replaces the limits, for instance with the piece count once a magnet's metadata has arrived. */
    public void limits(PeerWireLimits newLimits) {
        this.limits = newLimits;
    }

    /** Appends the readable bytes of {@code chunk} (borrowed; its reader index is not moved). Ignored after an error. */
    public void feed(ByteBuf chunk) {
        if (error != null || !chunk.isReadable()) {
            return;
        }
        if (cumulation == null) {
            cumulation = alloc.heapBuffer(Math.max(256, chunk.readableBytes()));
        }
        cumulation.writeBytes(chunk, chunk.readerIndex(), chunk.readableBytes());
    }

    /** The peer's handshake once all 68 bytes are in, else {@code null} (more bytes needed, error, or already read). */
    public Handshake pollHandshake() {
        if (!awaitingHandshake || error != null || cumulation == null || cumulation.readableBytes() < 1) {
            return null;
        }
        int pstrlen = cumulation.getUnsignedByte(cumulation.readerIndex());
        if (pstrlen != PROTOCOL.length) {
            return fail(PeerWireError.Reason.BAD_HANDSHAKE, "protocol string length " + pstrlen);
        }
        if (cumulation.readableBytes() < Handshake.LENGTH) {
            return null;
        }
        for (int i = 0; i < PROTOCOL.length; i++) {
            if (cumulation.getByte(cumulation.readerIndex() + 1 + i) != PROTOCOL[i]) {
                return fail(PeerWireError.Reason.BAD_HANDSHAKE, "not the BitTorrent protocol string");
            }
        }
        cumulation.skipBytes(1 + PROTOCOL.length);
        byte[] reserved = new byte[8];
        byte[] hash = new byte[InfoHash.BYTES];
        byte[] peerId = new byte[20];
        cumulation.readBytes(reserved).readBytes(hash).readBytes(peerId);
        awaitingHandshake = false;
        compact();
        return new Handshake(reserved, InfoHash.of(hash), peerId);
    }

    /**
     * The next complete message, or {@code null} when more bytes are needed, the handshake has not been polled yet,
     * or the stream broke the protocol (see {@link #error()}).
     */
    public PeerMessage poll() {
        while (!awaitingHandshake && error == null && cumulation != null && cumulation.readableBytes() >= 4) {
            long length = cumulation.getUnsignedInt(cumulation.readerIndex());
            if (length > limits.maxMessageBytes()) {
                return fail(PeerWireError.Reason.MESSAGE_TOO_LONG, length + " bytes, limit "
                    + limits.maxMessageBytes());
            }
            if (cumulation.readableBytes() < 4 + length) {
                return null;
            }
            cumulation.skipBytes(4);
            int end = cumulation.readerIndex() + (int) length;
            PeerMessage m = length == 0 ? PeerMessage.KeepAlive.INSTANCE : decodeBody((int) length);
            if (error != null) {
                return null;
            }
            cumulation.readerIndex(end);
            compact();
            if (m != null) {
                return m;
            }
            ignoredMessages++;
        }
        return null;
    }

    /** Why decoding stopped, or {@code null} while the stream is valid. */
    public PeerWireError error() {
        return error;
    }

    /** Messages skipped because their id is unknown. */
    public long ignoredMessages() {
        return ignoredMessages;
    }

    /** Frees the internal buffer; the decoder must not be used afterwards. */
    public void release() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }

    /** Decodes a message of {@code length} bytes (id included) at the reader index; null for an unknown id. */
    private PeerMessage decodeBody(int length) {
        int id = cumulation.readUnsignedByte();
        return switch (id) {
            case MessageId.CHOKE -> fixed(length, 1, PeerMessage.Choke.INSTANCE);
            case MessageId.UNCHOKE -> fixed(length, 1, PeerMessage.Unchoke.INSTANCE);
            case MessageId.INTERESTED -> fixed(length, 1, PeerMessage.Interested.INSTANCE);
            case MessageId.NOT_INTERESTED -> fixed(length, 1, PeerMessage.NotInterested.INSTANCE);
            case MessageId.HAVE_ALL -> fixed(length, 1, PeerMessage.HaveAll.INSTANCE);
            case MessageId.HAVE_NONE -> fixed(length, 1, PeerMessage.HaveNone.INSTANCE);
            case MessageId.HAVE, MessageId.SUGGEST, MessageId.ALLOWED_FAST -> pieceIndexMessage(id, length);
            case MessageId.REQUEST, MessageId.CANCEL, MessageId.REJECT -> requestMessage(id, length);
            case MessageId.BITFIELD -> bitfield(length - 1);
            case MessageId.PIECE -> piece(length);
            case MessageId.PORT -> length != 3 ? badLength(id, length) : new PeerMessage.Port(
                cumulation.readUnsignedShort());
            case MessageId.EXTENDED -> extended(length);
            default -> null;
        };
    }

    private PeerMessage fixed(int length, int expected, PeerMessage message) {
        return length == expected ? message : badLength(cumulation.getUnsignedByte(cumulation.readerIndex() - 1),
            length);
    }

    private PeerMessage pieceIndexMessage(int id, int length) {
        if (length != 5) {
            return badLength(id, length);
        }
        int piece = cumulation.readInt();
        if (!validPiece(piece)) {
            return null;
        }
        return id == MessageId.HAVE ? new PeerMessage.Have(piece)
            : id == MessageId.SUGGEST ? new PeerMessage.Suggest(piece) : new PeerMessage.AllowedFast(piece);
    }

    private PeerMessage requestMessage(int id, int length) {
        if (length != 13) {
            return badLength(id, length);
        }
        int piece = cumulation.readInt();
        int begin = cumulation.readInt();
        int blockLength = cumulation.readInt();
        int max = id == MessageId.REQUEST ? limits.maxRequestBytes() : limits.maxBlockBytes();
        if (!validPiece(piece)) {
            return null;
        }
        if (begin < 0 || blockLength <= 0 || blockLength > max) {
            return fail(PeerWireError.Reason.BLOCK_TOO_LONG, "message " + id + ": begin " + begin + ", length "
                + Integer.toUnsignedString(blockLength) + ", limit " + max);
        }
        return id == MessageId.REQUEST ? new PeerMessage.Request(piece, begin, blockLength)
            : id == MessageId.CANCEL ? new PeerMessage.Cancel(piece, begin, blockLength)
            : new PeerMessage.Reject(piece, begin, blockLength);
    }

    private PeerMessage bitfield(int bytes) {
        byte[] bits = new byte[bytes];
        cumulation.readBytes(bits);
        String problem = limits.bitfieldProblem(bits);
        if (problem != null) {
            return fail(PeerWireError.Reason.BAD_BITFIELD, problem);
        }
        return new PeerMessage.Bitfield(bits);
    }

    private PeerMessage piece(int length) {
        if (length < 9) {
            return badLength(MessageId.PIECE, length);
        }
        int piece = cumulation.readInt();
        int begin = cumulation.readInt();
        int block = length - 9;
        if (!validPiece(piece)) {
            return null;
        }
        if (begin < 0 || block == 0 || block > limits.maxBlockBytes()) {
            return fail(PeerWireError.Reason.BLOCK_TOO_LONG, "piece block of " + block + " bytes at " + begin
                + ", limit " + limits.maxBlockBytes());
        }
        ByteBuf data = alloc.buffer(block);
        data.writeBytes(cumulation, block);
        return new PeerMessage.Piece(piece, begin, data);
    }

    private PeerMessage extended(int length) {
        if (length < 2) {
            return badLength(MessageId.EXTENDED, length);
        }
        int extendedId = cumulation.readUnsignedByte();
        byte[] payload = new byte[length - 2];
        cumulation.readBytes(payload);
        if (extendedId != 0) {
            return new PeerMessage.Extended(extendedId, payload);
        }
        try {
            return new PeerMessage.ExtendedHandshakeMessage(ExtendedHandshake.decode(payload));
        } catch (BencodeFieldException e) {
            return fail(PeerWireError.Reason.BAD_EXTENDED, "extension handshake: " + e.getMessage());
        }
    }

    private boolean validPiece(int piece) {
        if (!limits.validPiece(piece)) {
            fail(PeerWireError.Reason.BAD_PIECE_INDEX, "piece " + Integer.toUnsignedString(piece) + " of "
                + limits.pieceCount());
            return false;
        }
        return true;
    }

    private PeerMessage badLength(int id, int length) {
        return fail(PeerWireError.Reason.BAD_LENGTH, "message " + id + " with length " + length);
    }

    private <T> T fail(PeerWireError.Reason reason, String detail) {
        error = new PeerWireError(reason, detail);
        return null;
    }

    private void compact() {
        if (!cumulation.isReadable()) {
            cumulation.clear();
        } else if (cumulation.readerIndex() > COMPACT_AFTER_BYTES) {
            cumulation.discardReadBytes();
        }
    }
}
