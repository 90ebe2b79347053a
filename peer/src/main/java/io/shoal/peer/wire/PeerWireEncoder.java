package io.shoal.peer.wire;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Writes the handshake and messages in BEP 3 framing (4-byte big-endian length, id, payload) into a buffer the caller
 * owns. Stateless; every method borrows its message (a {@link PeerMessage.Piece}'s block is copied and its reader
 * index left alone, so the caller still releases it).
 */
public final class PeerWireEncoder {
    private static final byte[] PROTOCOL = Handshake.PROTOCOL.getBytes(StandardCharsets.US_ASCII);

    private PeerWireEncoder() {
    }

    /** Writes the 68-byte handshake. */
    public static void encodeHandshake(Handshake h, ByteBuf out) {
        out.writeByte(PROTOCOL.length).writeBytes(PROTOCOL).writeBytes(h.reserved()).writeBytes(h.infoHash().bytes())
            .writeBytes(h.peerId());
    }

    /** Writes one message, framed. */
    public static void encode(PeerMessage m, ByteBuf out) {
        switch (m.kind()) {
            case KEEP_ALIVE -> out.writeInt(0);
            case CHOKE -> bare(out, MessageId.CHOKE);
            case UNCHOKE -> bare(out, MessageId.UNCHOKE);
            case INTERESTED -> bare(out, MessageId.INTERESTED);
            case NOT_INTERESTED -> bare(out, MessageId.NOT_INTERESTED);
            case HAVE_ALL -> bare(out, MessageId.HAVE_ALL);
            case HAVE_NONE -> bare(out, MessageId.HAVE_NONE);
            case HAVE -> index(out, MessageId.HAVE, ((PeerMessage.Have) m).piece());
            case SUGGEST -> index(out, MessageId.SUGGEST, ((PeerMessage.Suggest) m).piece());
            case ALLOWED_FAST -> index(out, MessageId.ALLOWED_FAST, ((PeerMessage.AllowedFast) m).piece());
            case REQUEST -> {
                PeerMessage.Request r = (PeerMessage.Request) m;
                triple(out, MessageId.REQUEST, r.piece(), r.begin(), r.length());
            }
            case CANCEL -> {
                PeerMessage.Cancel c = (PeerMessage.Cancel) m;
                triple(out, MessageId.CANCEL, c.piece(), c.begin(), c.length());
            }
            case REJECT -> {
                PeerMessage.Reject r = (PeerMessage.Reject) m;
                triple(out, MessageId.REJECT, r.piece(), r.begin(), r.length());
            }
            case BITFIELD -> {
                byte[] bits = ((PeerMessage.Bitfield) m).bits();
                out.writeInt(1 + bits.length).writeByte(MessageId.BITFIELD).writeBytes(bits);
            }
            case PIECE -> {
                PeerMessage.Piece p = (PeerMessage.Piece) m;
                ByteBuf block = p.content();
                out.writeInt(9 + block.readableBytes()).writeByte(MessageId.PIECE).writeInt(p.piece())
                    .writeInt(p.begin()).writeBytes(block, block.readerIndex(), block.readableBytes());
            }
            case PORT -> out.writeInt(3).writeByte(MessageId.PORT).writeShort(((PeerMessage.Port) m).port());
            case EXTENDED_HANDSHAKE -> extended(out, 0,
                ((PeerMessage.ExtendedHandshakeMessage) m).handshake().encode());
            case EXTENDED -> {
                PeerMessage.Extended e = (PeerMessage.Extended) m;
                extended(out, e.extendedId(), e.payload());
            }
        }
    }

    /**
     * Writes only the 13-byte header of a piece message carrying {@code blockLength} bytes, so a shell can send the
     * block itself from a file region or another buffer without copying it.
     */
    public static void encodePieceHeader(int piece, int begin, int blockLength, ByteBuf out) {
        out.writeInt(9 + blockLength).writeByte(MessageId.PIECE).writeInt(piece).writeInt(begin);
    }

    private static void bare(ByteBuf out, int id) {
        out.writeInt(1).writeByte(id);
    }

    private static void index(ByteBuf out, int id, int piece) {
        out.writeInt(5).writeByte(id).writeInt(piece);
    }

    private static void triple(ByteBuf out, int id, int a, int b, int c) {
        out.writeInt(13).writeByte(id).writeInt(a).writeInt(b).writeInt(c);
    }

    private static void extended(ByteBuf out, int extendedId, byte[] payload) {
        out.writeInt(2 + payload.length).writeByte(MessageId.EXTENDED).writeByte(extendedId).writeBytes(payload);
    }
}
