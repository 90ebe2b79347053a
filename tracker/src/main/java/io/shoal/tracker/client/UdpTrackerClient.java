package io.shoal.tracker.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shoal.tracker.wire.AnnounceRequest;
import io.shoal.tracker.wire.UdpTrackerCodec;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A blocking BEP 15 client over one {@link DatagramSocket}: connect, then announce, scrape or shoal's introduce.
 * Retransmission follows BEP 15: wait {@code baseTimeoutMs * 2^n} for a reply, n from 0 up to {@code maxRetries}
 * (the BEP's 15 s and 8 give up after about an hour; tests use shorter), and a connection id is reused for at most
 * one minute. Replies from other addresses or with another transaction id are ignored. Use from one thread at a time.
 */
public final class UdpTrackerClient implements AutoCloseable {
    /** BEP 15: "a client can use a connection ID until one minute after it has received it". */
    private static final long CONNECTION_ID_LIFETIME_NS = TimeUnit.MINUTES.toNanos(1);
    private static final int MAX_DATAGRAM = 2048;

    private final DatagramSocket socket;
    private final boolean ownsSocket;
    private final long baseTimeoutMs;
    private final int maxRetries;
    private final SplittableRandom random = new SplittableRandom();
    private final byte[] sendBytes = new byte[MAX_DATAGRAM];
    private final byte[] receiveBytes = new byte[MAX_DATAGRAM];
    private InetSocketAddress connectedTo;
    private long connectionId;
    private long connectionIdAtNs;

    /** A client on {@code socket}, which the caller keeps owning (e.g. a peer's one UDP socket). */
    public UdpTrackerClient(DatagramSocket socket, long baseTimeoutMs, int maxRetries) {
        this(socket, false, baseTimeoutMs, maxRetries);
    }

    private UdpTrackerClient(DatagramSocket socket, boolean owns, long baseTimeoutMs, int maxRetries) {
        this.socket = socket;
        this.ownsSocket = owns;
        this.baseTimeoutMs = baseTimeoutMs;
        this.maxRetries = maxRetries;
    }

    /** A client on a socket of its own, with BEP 15's timing (15 s, 8 retries). */
    public static UdpTrackerClient open() throws IOException {
        return open(15_000, 8);
    }

    public static UdpTrackerClient open(long baseTimeoutMs, int maxRetries) throws IOException {
        return new UdpTrackerClient(new DatagramSocket(), true, baseTimeoutMs, maxRetries);
    }

    /** Announces {@code r}; {@code r.ipv4} is sent as the IP field (0: "use my source address"). */
    public AnnounceResult announce(URI tracker, AnnounceRequest r) throws IOException {
        ByteBuf reply = exchange(tracker, UdpTrackerCodec.ACTION_ANNOUNCE,
            (out, ids) -> UdpTrackerCodec.writeAnnounceRequest(out, ids[0], (int) ids[1], r));
        if (reply.readableBytes() < UdpTrackerCodec.ANNOUNCE_RESPONSE_HEADER_BYTES) {
            throw new TrackerException("short announce reply from " + tracker);
        }
        int interval = reply.getInt(8);
        int leechers = reply.getInt(12);
        int seeders = reply.getInt(16);
        boolean v6 = connectedTo.getAddress().getAddress().length == 16;
        List<InetSocketAddress> peers = CompactPeers.parse(reply, 20, reply.writerIndex(), v6);
        return new AnnounceResult(interval, seeders, leechers, peers, null, null);
    }

    public List<ScrapeResult> scrape(URI tracker, byte[]... hashes) throws IOException {
        if (hashes.length == 0 || hashes.length > UdpTrackerCodec.MAX_SCRAPE_HASHES) {
            throw new IllegalArgumentException("scrape 1 to " + UdpTrackerCodec.MAX_SCRAPE_HASHES + " hashes");
        }
        ByteBuf reply = exchange(tracker, UdpTrackerCodec.ACTION_SCRAPE,
            (out, ids) -> UdpTrackerCodec.writeScrapeRequest(out, ids[0], (int) ids[1], hashes));
        if (reply.readableBytes() < 8 + 12 * hashes.length) {
            throw new TrackerException("short scrape reply from " + tracker);
        }
        List<ScrapeResult> results = new ArrayList<>(hashes.length);
        for (int i = 0; i < hashes.length; i++) {
            int at = 8 + 12 * i;
            results.add(new ScrapeResult(reply.getInt(at), reply.getInt(at + 4), reply.getInt(at + 8)));
        }
        return results;
    }

    /**
     * shoal rendezvous: asks the tracker to introduce us (announced with {@code ownPort} from this socket) to
     * {@code target} as listed in an announce reply. Returns the target's public UDP endpoint; the target is told
     * ours at the same moment.
     */
    public InetSocketAddress introduce(URI tracker, byte[] infoHash, InetSocketAddress target, int ownPort)
        throws IOException {
        int targetIp = CompactPeers.ipv4(target.getAddress());
        ByteBuf reply = exchange(tracker, UdpTrackerCodec.ACTION_INTRODUCE,
            (out, ids) -> UdpTrackerCodec.writeIntroduceRequest(out, ids[0], (int) ids[1], infoHash, targetIp,
                target.getPort(), ownPort));
        if (reply.readableBytes() < UdpTrackerCodec.INTRODUCTION_BYTES) {
            throw new TrackerException("short introduce reply from " + tracker);
        }
        return CompactPeers.parse(reply, 28, 34, false).get(0);
    }

    /**
     * One request/reply with retransmission. The writer gets the buffer and {connection id, transaction id}. Returns
     * a buffer over the receive array, valid until the next call.
     */
    private ByteBuf exchange(URI tracker, int action, BiConsumer<ByteBuf, long[]> writer) throws IOException {
        TrackerUrls.check(tracker);
        InetSocketAddress server = resolve(tracker);
        if (!server.equals(connectedTo)) {
            connectedTo = server;
            connectionIdAtNs = 0;
        }
        long[] ids = new long[2];
        for (int attempt = 0; attempt <= maxRetries; attempt++) {
            long timeoutMs = baseTimeoutMs << Math.min(attempt, 8);
            if (connectionIdAtNs == 0 || System.nanoTime() - connectionIdAtNs > CONNECTION_ID_LIFETIME_NS) {
                int tx = random.nextInt();
                ByteBuf reply = sendAndAwait(server, tx, timeoutMs,
                    out -> UdpTrackerCodec.writeConnectRequest(out, tx));
                if (reply == null) {
                    continue;
                }
                checkAction(reply, UdpTrackerCodec.ACTION_CONNECT, tracker);
                if (reply.readableBytes() < UdpTrackerCodec.CONNECT_RESPONSE_BYTES) {
                    throw new TrackerException("short connect reply from " + tracker);
                }
                connectionId = reply.getLong(8);
                connectionIdAtNs = System.nanoTime();
            }
            ids[0] = connectionId;
            ids[1] = random.nextInt();
            ByteBuf reply = sendAndAwait(server, (int) ids[1], timeoutMs, out -> writer.accept(out, ids));
            if (reply != null) {
                checkAction(reply, action, tracker);
                return reply;
            }
            // No answer: maybe our connection id is no longer accepted; get a fresh one next time.
            connectionIdAtNs = 0;
        }
        throw new TrackerException("no reply from " + tracker + " after " + (maxRetries + 1) + " attempts");
    }

    private interface Writer {
        void write(ByteBuf out);
    }

    /** Sends, then waits up to {@code timeoutMs} for a reply with {@code tx} from {@code server}; null on timeout. */
    private ByteBuf sendAndAwait(InetSocketAddress server, int tx, long timeoutMs, Writer writer) throws IOException {
        ByteBuf out = Unpooled.wrappedBuffer(sendBytes).clear();
        writer.write(out);
        socket.send(new DatagramPacket(sendBytes, out.writerIndex(), server));
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        DatagramPacket in = new DatagramPacket(receiveBytes, receiveBytes.length);
        while (true) {
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
            if (leftMs <= 0) {
                return null;
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMs));
            try {
                socket.receive(in);
            } catch (SocketTimeoutException e) {
                return null;
            }
            ByteBuf reply = Unpooled.wrappedBuffer(receiveBytes, 0, in.getLength());
            if (server.equals(in.getSocketAddress()) && UdpTrackerCodec.responseAction(reply) >= 0
                && UdpTrackerCodec.responseTransactionId(reply) == tx) {
                return reply;
            }
            in.setLength(receiveBytes.length);
        }
    }

    private static void checkAction(ByteBuf reply, int expected, URI tracker) throws TrackerException {
        int action = UdpTrackerCodec.responseAction(reply);
        if (action == UdpTrackerCodec.ACTION_ERROR) {
            throw new TrackerException("tracker " + tracker + " said: " + UdpTrackerCodec.readErrorMessage(reply));
        }
        if (action != expected) {
            throw new TrackerException("unexpected reply action " + action + " from " + tracker);
        }
    }

    private static InetSocketAddress resolve(URI tracker) throws TrackerException {
        try {
            return new InetSocketAddress(InetAddress.getByName(tracker.getHost()), tracker.getPort());
        } catch (UnknownHostException e) {
            throw new TrackerException("cannot resolve tracker host " + tracker.getHost(), e);
        }
    }

    @Override
    public void close() {
        if (ownsSocket) {
            socket.close();
        }
    }
}
