package io.shoal.peer.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import io.shoal.peer.metainfo.InfoHash;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** One sample of every message kind, random message sequences, and a decode-everything helper for wire tests. */
final class WireMessages {
    static final int PIECES = 1001;

    private WireMessages() {
    }

    static Handshake handshake() {
        byte[] hash = new byte[20];
        byte[] id = "-SH0001-abcdefghijkl".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        hash[3] = 7;
        return new Handshake(Handshake.reservedBits(true, true, false), InfoHash.of(hash), id);
    }

    static ExtendedHandshake extendedHandshake() {
        return new ExtendedHandshake(Map.of("ut_metadata", 3, "ut_pex", 1), 6881, "shoal 0.1", new byte[] {1, 2, 3, 4},
            250, 7000, 31_235);
    }

    /** One of each kind (a fresh Piece buffer each call). */
    static List<PeerMessage> everyKind() {
        byte[] bits = new byte[(PIECES + 7) / 8];
        bits[0] = (byte) 0x80;
        bits[bits.length - 1] = (byte) 0x80;
        return List.of(PeerMessage.KeepAlive.INSTANCE, PeerMessage.Choke.INSTANCE, PeerMessage.Unchoke.INSTANCE,
            PeerMessage.Interested.INSTANCE, PeerMessage.NotInterested.INSTANCE, new PeerMessage.Have(999),
            new PeerMessage.Bitfield(bits), new PeerMessage.Request(1, 16384, 16384),
            new PeerMessage.Piece(2, 32768, Unpooled.wrappedBuffer(new byte[] {9, 8, 7})),
            new PeerMessage.Cancel(1, 16384, 16384), new PeerMessage.Port(6881), new PeerMessage.Suggest(5),
            PeerMessage.HaveAll.INSTANCE, PeerMessage.HaveNone.INSTANCE, new PeerMessage.Reject(3, 0, 16384),
            new PeerMessage.AllowedFast(4), new PeerMessage.ExtendedHandshakeMessage(extendedHandshake()),
            new PeerMessage.Extended(3, new byte[] {'d', 'e'}));
    }

    /** A seeded random message; pieces carry up to 16 KiB of random bytes. */
    static PeerMessage random(Random r) {
        int kind = r.nextInt(8);
        switch (kind) {
            case 0:
                return new PeerMessage.Have(r.nextInt(PIECES));
            case 1:
                return new PeerMessage.Request(r.nextInt(PIECES), r.nextInt(64) * 16384, 1 + r.nextInt(16384));
            case 2: {
                byte[] block = new byte[1 + r.nextInt(16384)];
                r.nextBytes(block);
                return new PeerMessage.Piece(r.nextInt(PIECES), r.nextInt(64) * 16384, Unpooled.wrappedBuffer(block));
            }
            case 3:
                return new PeerMessage.Extended(1 + r.nextInt(255), new byte[r.nextInt(100)]);
            case 4:
                return PeerMessage.KeepAlive.INSTANCE;
            case 5:
                return new PeerMessage.Reject(r.nextInt(PIECES), 0, 16384);
            case 6:
                return PeerMessage.Unchoke.INSTANCE;
            default:
                return new PeerMessage.AllowedFast(r.nextInt(PIECES));
        }
    }

    /** Encodes all messages into one new heap buffer (the caller releases it). */
    static ByteBuf encodeAll(List<PeerMessage> messages) {
        ByteBuf out = Unpooled.buffer();
        for (PeerMessage m : messages) {
            PeerWireEncoder.encode(m, out);
        }
        return out;
    }

    /** Releases every Piece in the list. */
    static void releaseAll(List<PeerMessage> messages) {
        messages.forEach(ReferenceCountUtil::release);
    }

    /** Drains a decoder. */
    static List<PeerMessage> drain(PeerWireDecoder d) {
        List<PeerMessage> out = new ArrayList<>();
        for (PeerMessage m = d.poll(); m != null; m = d.poll()) {
            out.add(m);
        }
        return out;
    }

    static PeerWireDecoder decoder() {
        return new PeerWireDecoder(PeerWireLimits.defaults(PIECES), ByteBufAllocator.DEFAULT, false);
    }
}
