package io.shoal.tracker.wire;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * The BEP 15 UDP tracker wire format, both directions, plus shoal's rendezvous extension (see
 * {@link #ACTION_INTRODUCE}). Sans-IO and stateless: methods read from or append to a caller's {@link ByteBuf} and
 * never retain it. Readers do not move the buffer's reader index and never throw on short or malformed input; they
 * report it through their return value. All integers are big-endian, as BEP 15 says.
 */
public final class UdpTrackerCodec {
    /** The magic protocol id of a connect request. */
    public static final long PROTOCOL_ID = 0x41727101980L;
    public static final int ACTION_CONNECT = 0;
    public static final int ACTION_ANNOUNCE = 1;
    public static final int ACTION_SCRAPE = 2;
    public static final int ACTION_ERROR = 3;
    /**
     * shoal extension, not part of BEP 15: "introduce me to that peer of this swarm". The value spells {@code "SHO"}
     * then 1 in its top bytes, so it can never be confused with BEP 15's actions 0-3 (or a small future one); trackers
     * that do not know it answer with an error or ignore it.
     */
    public static final int ACTION_INTRODUCE = 0x53484F01;
    /** shoal extension: the tracker's unsolicited "peer X wants to meet you" to the introduced peer. */
    public static final int ACTION_INTRODUCED = 0x53484F02;

    public static final int CONNECT_REQUEST_BYTES = 16;
    public static final int CONNECT_RESPONSE_BYTES = 16;
    public static final int ANNOUNCE_REQUEST_BYTES = 98;
    public static final int ANNOUNCE_RESPONSE_HEADER_BYTES = 20;
    public static final int SCRAPE_REQUEST_HEADER_BYTES = 16;
    public static final int SCRAPE_RESPONSE_HEADER_BYTES = 8;
    public static final int INTRODUCE_REQUEST_BYTES = 44;
    /** An introduce reply and an introduced notice have the same shape. */
    public static final int INTRODUCTION_BYTES = 34;
    /** BEP 15 allows about 74 info hashes per scrape (what fits in one datagram). */
    public static final int MAX_SCRAPE_HASHES = 74;
    /** Longest error message we send, so an error reply stays smaller than the request it answers. */
    public static final int MAX_ERROR_MESSAGE_BYTES = 80;

    private UdpTrackerCodec() {
    }

    /** The action of a client request (at offset 8), or -1 if the datagram is too short to have one. */
    public static int requestAction(ByteBuf in) {
        return in.readableBytes() < CONNECT_REQUEST_BYTES ? -1 : in.getInt(in.readerIndex() + 8);
    }

    /** The connection id of a client request (offset 0); only meaningful when {@link #requestAction} is not -1. */
    public static long requestConnectionId(ByteBuf in) {
        return in.getLong(in.readerIndex());
    }

    /** The transaction id of a client request (offset 12). */
    public static int requestTransactionId(ByteBuf in) {
        return in.getInt(in.readerIndex() + 12);
    }

    /** True when {@code in} is a well-formed connect request (length and magic protocol id). */
    public static boolean isConnectRequest(ByteBuf in) {
        return in.readableBytes() >= CONNECT_REQUEST_BYTES && in.getLong(in.readerIndex()) == PROTOCOL_ID
            && in.getInt(in.readerIndex() + 8) == ACTION_CONNECT;
    }

    /**
     * Fills {@code out} from an announce request; the caller sets the address fields. Extra bytes after the 98 (BEP 41
     * options) are ignored.
     *
     * @return false when the datagram is too short or the event code is unknown
     */
    public static boolean readAnnounce(ByteBuf in, AnnounceRequest out) {
        if (in.readableBytes() < ANNOUNCE_REQUEST_BYTES) {
            return false;
        }
        int at = in.readerIndex();
        AnnounceEvent event = AnnounceEvent.ofUdpCode(in.getInt(at + 80));
        if (event == null) {
            return false;
        }
        in.getBytes(at + 16, out.infoHash);
        in.getBytes(at + 36, out.peerId);
        out.downloaded = in.getLong(at + 56);
        out.left = in.getLong(at + 64);
        out.uploaded = in.getLong(at + 72);
        out.event = event;
        out.key = in.getInt(at + 88);
        out.numwant = in.getInt(at + 92);
        out.port = in.getUnsignedShort(at + 96);
        return true;
    }

    /** How many info hashes a scrape request carries, or -1 when it has none or too many. */
    public static int scrapeHashCount(ByteBuf in) {
        int body = in.readableBytes() - SCRAPE_REQUEST_HEADER_BYTES;
        if (body < 20) {
            return -1;
        }
        int n = body / 20;
        return n > MAX_SCRAPE_HASHES ? -1 : n;
    }

    /** Copies the {@code i}-th info hash of a scrape request into {@code hash}. */
    public static void readScrapeHash(ByteBuf in, int i, byte[] hash) {
        in.getBytes(in.readerIndex() + SCRAPE_REQUEST_HEADER_BYTES + 20 * i, hash);
    }

    public static void writeConnectResponse(ByteBuf out, int transactionId, long connectionId) {
        out.writeInt(ACTION_CONNECT).writeInt(transactionId).writeLong(connectionId);
    }

    /** The 20-byte announce reply header; the peers (6 or 18 bytes each) follow. */
    public static void writeAnnounceHeader(ByteBuf out, int transactionId, int intervalSec, int leechers,
                                           int seeders) {
        out.writeInt(ACTION_ANNOUNCE).writeInt(transactionId).writeInt(intervalSec).writeInt(leechers)
            .writeInt(seeders);
    }

    public static void writeScrapeHeader(ByteBuf out, int transactionId) {
        out.writeInt(ACTION_SCRAPE).writeInt(transactionId);
    }

    public static void writeScrapeEntry(ByteBuf out, int seeders, int completed, int leechers) {
        out.writeInt(seeders).writeInt(completed).writeInt(leechers);
    }

    /** An error reply; the message is cut to {@link #MAX_ERROR_MESSAGE_BYTES} bytes of ASCII. */
    public static void writeError(ByteBuf out, int transactionId, String message) {
        byte[] text = message.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(ACTION_ERROR).writeInt(transactionId)
            .writeBytes(text, 0, Math.min(text.length, MAX_ERROR_MESSAGE_BYTES));
    }

    /** An introduce reply ({@link #ACTION_INTRODUCE}) or notice ({@link #ACTION_INTRODUCED}). */
    public static void writeIntroduction(ByteBuf out, int action, int transactionId, byte[] infoHash, int ipv4,
                                         int port) {
        out.writeInt(action).writeInt(transactionId).writeBytes(infoHash, 0, 20).writeInt(ipv4).writeShort(port);
    }

    // ---- client side ----

    public static void writeConnectRequest(ByteBuf out, int transactionId) {
        out.writeLong(PROTOCOL_ID).writeInt(ACTION_CONNECT).writeInt(transactionId);
    }

    /** An announce request from {@code a}; {@code a.ipv4} goes in the IP field (0: "use the source address"). */
    public static void writeAnnounceRequest(ByteBuf out, long connectionId, int transactionId, AnnounceRequest a) {
        out.writeLong(connectionId).writeInt(ACTION_ANNOUNCE).writeInt(transactionId)
            .writeBytes(a.infoHash).writeBytes(a.peerId)
            .writeLong(a.downloaded).writeLong(a.left).writeLong(a.uploaded)
            .writeInt(a.event.udpCode()).writeInt(a.ipv4).writeInt(a.key).writeInt(a.numwant).writeShort(a.port);
    }

    public static void writeScrapeRequest(ByteBuf out, long connectionId, int transactionId, byte[]... hashes) {
        out.writeLong(connectionId).writeInt(ACTION_SCRAPE).writeInt(transactionId);
        for (byte[] h : hashes) {
            out.writeBytes(h, 0, 20);
        }
    }

    /**
     * An introduce request (44 bytes): connection id, action, transaction id, info hash, the target's address and
     * announced port as listed in an announce reply, then the asker's own announced port (so the tracker finds the
     * asker's entry and checks it was announced from this very socket).
     */
    public static void writeIntroduceRequest(ByteBuf out, long connectionId, int transactionId, byte[] infoHash,
                                             int targetIpv4, int targetPort, int ownPort) {
        out.writeLong(connectionId).writeInt(ACTION_INTRODUCE).writeInt(transactionId).writeBytes(infoHash, 0, 20)
            .writeInt(targetIpv4).writeShort(targetPort).writeShort(ownPort);
    }

    /** The action of a tracker reply (offset 0), or -1 when shorter than a reply header (8 bytes). */
    public static int responseAction(ByteBuf in) {
        return in.readableBytes() < 8 ? -1 : in.getInt(in.readerIndex());
    }

    /** The transaction id of a tracker reply (offset 4). */
    public static int responseTransactionId(ByteBuf in) {
        return in.getInt(in.readerIndex() + 4);
    }

    /** The message of an error reply, decoded leniently as ASCII/UTF-8. */
    public static String readErrorMessage(ByteBuf in) {
        int n = Math.max(0, in.readableBytes() - 8);
        return in.toString(in.readerIndex() + 8, Math.min(n, 512), StandardCharsets.UTF_8);
    }
}
