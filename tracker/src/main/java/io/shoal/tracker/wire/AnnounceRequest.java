package io.shoal.tracker.wire;

import java.util.Arrays;

/**
 * One announce, as parsed from a BEP 15 datagram or a BEP 3 query string. Mutable and reused: a decoder fills it in
 * place so the hot path allocates nothing; {@link #reset()} restores the defaults before each parse. Owned by one
 * thread.
 *
 * <p>{@code ipv4} and {@code port} are the peer's endpoint as the tracker will store it (the source address of the
 * request, unless the caller chose otherwise); {@code sourcePort} is the UDP source port the announce came from, or 0
 * when it came over HTTP, and is what rendezvous introduces.
 */
public final class AnnounceRequest {
    /** The default {@code numwant} when the client does not say (BEP 15 uses -1 for "default"). */
    public static final int DEFAULT_NUMWANT = -1;

    public final byte[] infoHash = new byte[20];
    public final byte[] peerId = new byte[20];
    public long downloaded;
    public long left;
    public long uploaded;
    public AnnounceEvent event = AnnounceEvent.NONE;
    public int numwant = DEFAULT_NUMWANT;
    public int key;
    /** The announced listening port, 0-65535. */
    public int port;
    /** The IPv4 address as a big-endian int, valid when {@link #ipv6} is {@code null}. */
    public int ipv4;
    /** The IPv6 address (16 bytes), or {@code null} for an IPv4 peer. */
    public byte[] ipv6;
    /** The UDP source port of the request, 0 over HTTP. */
    public int sourcePort;
    /** HTTP only: the client asked for {@code compact=1} (or did not say; compact is our default). */
    public boolean compact = true;
    /** HTTP only: {@code no_peer_id=1}. */
    public boolean noPeerId;

    /** Restores every field to its default. */
    public void reset() {
        Arrays.fill(infoHash, (byte) 0);
        Arrays.fill(peerId, (byte) 0);
        downloaded = 0;
        left = 0;
        uploaded = 0;
        event = AnnounceEvent.NONE;
        numwant = DEFAULT_NUMWANT;
        key = 0;
        port = 0;
        ipv4 = 0;
        ipv6 = null;
        sourcePort = 0;
        compact = true;
        noPeerId = false;
    }

    /** True when this peer has the whole torrent ({@code left} is 0). */
    public boolean isSeeder() {
        return left == 0;
    }
}
