package io.shoal.peer.metadata;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import io.shoal.peer.metainfo.InfoHash;
import io.shoal.peer.wire.ExtendedHandshake;
import io.shoal.peer.wire.Handshake;
import io.shoal.peer.wire.PeerMessage;
import io.shoal.peer.wire.PeerWireDecoder;
import io.shoal.peer.wire.PeerWireEncoder;
import io.shoal.peer.wire.PeerWireLimits;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The I/O shell around {@link MetadataFetcher} for a magnet link: connects over TCP to every given peer at once
 * (BEP 3 handshake with the extension bit, then a BEP 10 handshake advertising {@code ut_metadata}), asks each for
 * metadata pieces as the fetcher says, and returns the verified info dictionary. Blocking sockets on one daemon
 * thread per peer: a magnet lists a handful of peers, and this runs once before the download starts.
 */
public final class MetadataDownloader {
    /** Most peers contacted at once. */
    public static final int MAX_PEERS = 16;
    private static final int LOCAL_ID = MetadataExtension.LOCAL_ID;
    private static final int CONNECT_TIMEOUT_MS = 3000;
    private static final int READ_TICK_MS = 250;
    private static final long REQUEST_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    private final InfoHash infoHash;
    private final byte[] peerId;
    private final MetadataFetcher fetcher;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile String lastProblem = "no peer answered";

    private MetadataDownloader(InfoHash infoHash, byte[] peerId) {
        this.infoHash = infoHash;
        this.peerId = peerId.clone();
        this.fetcher = new MetadataFetcher(infoHash, REQUEST_TIMEOUT_NS);
    }

    /**
     * Fetches the info dictionary of {@code infoHash} from {@code peers} within {@code timeout}.
     *
     * @param peerId our 20-byte peer id
     * @return the info dictionary's bytes, SHA-1 equal to {@code infoHash}
     * @throws IOException with a one-line message when no peer delivered it in time
     */
    public static byte[] fetch(InfoHash infoHash, byte[] peerId, List<InetSocketAddress> peers, Duration timeout)
        throws IOException, InterruptedException {
        if (peers.isEmpty()) {
            throw new IOException("no peers to fetch the metadata from (give --peer HOST:PORT or a tracker)");
        }
        MetadataDownloader d = new MetadataDownloader(infoHash, peerId);
        List<InetSocketAddress> targets = peers.stream().distinct().limit(MAX_PEERS).toList();
        ExecutorService pool = Executors.newFixedThreadPool(targets.size(), r -> {
            Thread t = new Thread(r, "shoal-metadata");
            t.setDaemon(true);
            return t;
        });
        CountDownLatch allGone = new CountDownLatch(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            int id = i;
            InetSocketAddress target = targets.get(i);
            pool.execute(() -> {
                try {
                    d.talk(id, target);
                } finally {
                    allGone.countDown();
                    if (allGone.getCount() == 0) {
                        d.done.countDown();
                    }
                }
            });
        }
        try {
            if (!d.done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("metadata not received within " + timeout.toSeconds() + " s ("
                    + d.lastProblem + ")");
            }
            synchronized (d.fetcher) {
                if (d.fetcher.isComplete()) {
                    return d.fetcher.metadata();
                }
            }
            throw new IOException("metadata not received: " + d.lastProblem);
        } finally {
            d.closed = true;
            pool.shutdownNow();
        }
    }

    /** One peer's connection, until the metadata is complete, the peer is useless, or the fetch is over. */
    private void talk(int id, InetSocketAddress target) {
        PeerWireDecoder decoder = new PeerWireDecoder(PeerWireLimits.defaults(0), ByteBufAllocator.DEFAULT, true);
        try (Socket socket = new Socket()) {
            socket.connect(target, CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(READ_TICK_MS);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            ByteBuf buf = Unpooled.buffer(256);
            try {
                PeerWireEncoder.encodeHandshake(new Handshake(Handshake.reservedBits(true, false, false), infoHash,
                    peerId), buf);
                ExtendedHandshake ours = new ExtendedHandshake(MetadataExtension.advertised(), 0,
                    "shoal", null, 0, 0, -1);
                PeerWireEncoder.encode(new PeerMessage.ExtendedHandshakeMessage(ours), buf);
                send(out, buf);
                converse(id, target, decoder, in, out, buf);
            } finally {
                buf.release();
            }
        } catch (IOException e) {
            lastProblem = target + ": " + e.getMessage();
        } finally {
            decoder.release();
            synchronized (fetcher) {
                fetcher.removePeer(id);
            }
        }
    }

    private void converse(int id, InetSocketAddress target, PeerWireDecoder decoder, InputStream in,
                          OutputStream out, ByteBuf buf) throws IOException {
        byte[] chunk = new byte[16 << 10];
        int remoteId = 0;
        boolean handshaken = false;
        while (!closed && done.getCount() > 0) {
            int n;
            try {
                n = in.read(chunk);
            } catch (SocketTimeoutException e) {
                n = 0;
            }
            if (n < 0) {
                lastProblem = target + " closed the connection";
                return;
            }
            decoder.feed(Unpooled.wrappedBuffer(chunk, 0, n));
            if (!handshaken) {
                Handshake h = decoder.pollHandshake();
                if (h != null && (!h.infoHash().equals(infoHash) || !h.supportsExtensions())) {
                    lastProblem = target + (h.supportsExtensions() ? " serves another torrent"
                        : " does not support extensions (BEP 10)");
                    return;
                }
                handshaken = h != null;
            }
            for (PeerMessage m = decoder.poll(); m != null; m = decoder.poll()) {
                remoteId = onMessage(id, target, m, remoteId);
                if (remoteId < 0) {
                    return;
                }
            }
            if (decoder.error() != null) {
                lastProblem = target + ": " + decoder.error();
                return;
            }
            if (remoteId > 0 && requestMore(id, remoteId, buf)) {
                send(out, buf);
            }
        }
    }

    /** Handles one message; returns the peer's ut_metadata id (0 while unknown), or -1 to hang up. */
    private int onMessage(int id, InetSocketAddress target, PeerMessage m, int remoteId) {
        try {
            if (m instanceof PeerMessage.ExtendedHandshakeMessage hs) {
                Integer theirs = hs.handshake().extensions().get(MetadataCodec.EXTENSION);
                long size = hs.handshake().metadataSize();
                boolean usable;
                synchronized (fetcher) {
                    usable = theirs != null && theirs > 0 && fetcher.addPeer(id, size);
                }
                if (!usable) {
                    lastProblem = target + " offers no usable metadata (ut_metadata "
                        + (theirs == null ? "absent" : theirs) + ", metadata_size " + size + ")";
                    return -1;
                }
                return theirs;
            }
            if (m instanceof PeerMessage.Extended ext && ext.extendedId() == LOCAL_ID) {
                MetadataCodec.Decoded d = MetadataCodec.decode(ext.payload());
                if (d.message() == null) {
                    lastProblem = target + ": " + d.error();
                    return -1;
                }
                synchronized (fetcher) {
                    MetadataFetcher.Outcome o = fetcher.onMessage(id, d.message(), System.nanoTime());
                    if (o == MetadataFetcher.Outcome.COMPLETE) {
                        done.countDown();
                    } else if (o == MetadataFetcher.Outcome.HASH_MISMATCH) {
                        lastProblem = "metadata from " + target + " does not match the info hash";
                    }
                }
            }
            return remoteId;
        } finally {
            ReferenceCountUtil.release(m);
        }
    }

    /** Encodes every request the fetcher has for this peer into {@code buf}; true when there is any. */
    private boolean requestMore(int id, int remoteId, ByteBuf buf) {
        synchronized (fetcher) {
            for (int piece = fetcher.nextRequest(id, System.nanoTime()); piece >= 0;
                 piece = fetcher.nextRequest(id, System.nanoTime())) {
                PeerWireEncoder.encode(new PeerMessage.Extended(remoteId,
                    MetadataCodec.encode(new MetadataMessage.Request(piece))), buf);
            }
        }
        return buf.isReadable();
    }

    private static void send(OutputStream out, ByteBuf buf) throws IOException {
        buf.readBytes(out, buf.readableBytes());
        out.flush();
        buf.clear();
    }
}
