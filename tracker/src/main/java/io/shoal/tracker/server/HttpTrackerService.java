package io.shoal.tracker.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shoal.tracker.registry.AnnounceReply;
import io.shoal.tracker.registry.SwarmRegistry;
import io.shoal.tracker.wire.AnnounceRequest;
import io.shoal.tracker.wire.BencodeWriter;
import io.shoal.tracker.wire.HttpAnnounceQuery;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * The HTTP tracker as a sans-IO service: a request target ({@code /announce?...} or {@code /scrape?...}) and the
 * client's address in, a bencoded body out. Announce replies carry {@code complete}, {@code incomplete},
 * {@code interval}, {@code min interval}, {@code external ip} (BEP 24), {@code peers} compact (BEP 23) or as a list of
 * dictionaries (BEP 3; without {@code peer id}, which is not stored) and {@code peers6} (BEP 7); problems come back as
 * BEP 3 {@code failure reason}, with status 200 as clients expect. Scrape follows BEP 48 ({@code files} keyed by raw
 * info hash) and needs at least one {@code info_hash}. Single-threaded; {@link #close()} frees its scratch buffers.
 */
public final class HttpTrackerService implements AutoCloseable {
    /** Not a tracker path: the shell answers 404. */
    public static final int NOT_FOUND = 404;
    public static final int OK = 200;

    private final SwarmRegistry registry;
    private final int intervalSec;
    private final TrackerStats stats;
    private final AnnounceRequest request = new AnnounceRequest();
    private final AnnounceReply counts = new AnnounceReply();
    private final CompactPeerWriter peers = new CompactPeerWriter();
    private final ByteBuf v4 = Unpooled.buffer(600);
    private final ByteBuf v6 = Unpooled.buffer(1800);
    private final byte[][] hashes = new byte[HttpAnnounceQuery.MAX_SCRAPE_HASHES][20];

    public HttpTrackerService(SwarmRegistry registry, int intervalSec, TrackerStats stats) {
        this.registry = registry;
        this.intervalSec = intervalSec;
        this.stats = stats;
    }

    /**
     * Answers one GET request target from {@code client}, writing the body into {@code out}.
     *
     * @return {@link #OK} or {@link #NOT_FOUND}
     */
    public int handle(String target, InetAddress client, int nowSec, ByteBuf out) {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        CharSequence query = q < 0 ? "" : target.subSequence(q + 1, target.length());
        if (path.endsWith("/announce")) {
            announce(query, client, nowSec, out);
            return OK;
        }
        if (path.endsWith("/scrape")) {
            scrape(query, out);
            return OK;
        }
        return NOT_FOUND;
    }

    private void announce(CharSequence query, InetAddress client, int nowSec, ByteBuf out) {
        String problem = HttpAnnounceQuery.parseAnnounce(query, request);
        if (problem != null) {
            stats.httpBadRequests++;
            failure(out, problem);
            return;
        }
        boolean isV4 = client instanceof Inet4Address;
        if (isV4) {
            request.ipv4 = client.hashCode();
        } else {
            request.ipv6 = client.getAddress();
        }
        String warning = request.numwant > registry.limits().maxNumwant()
            ? "numwant capped at " + registry.limits().maxNumwant() : null;
        v4.clear();
        v6.clear();
        if (registry.announce(request, nowSec, true, true, peers.target(v4, v6), counts) != SwarmRegistry.OK) {
            stats.notAllowed++;
            failure(out, "info hash not allowed");
            return;
        }
        stats.httpAnnounces++;
        BencodeWriter.beginDict(out);
        BencodeWriter.text(out, "complete");
        BencodeWriter.integer(out, counts.seeders);
        BencodeWriter.text(out, "external ip");
        byte[] ip = isV4 ? null : request.ipv6;
        if (isV4) {
            BencodeWriter.bytesHeader(out, 4);
            out.writeInt(request.ipv4);
        } else {
            BencodeWriter.bytes(out, ip, 0, ip.length);
        }
        BencodeWriter.text(out, "incomplete");
        BencodeWriter.integer(out, counts.leechers);
        BencodeWriter.text(out, "interval");
        BencodeWriter.integer(out, intervalSec);
        BencodeWriter.text(out, "min interval");
        BencodeWriter.integer(out, Math.max(1, intervalSec / 2));
        BencodeWriter.text(out, "peers");
        if (request.compact) {
            BencodeWriter.bytesHeader(out, v4.readableBytes());
            out.writeBytes(v4, v4.readerIndex(), v4.readableBytes());
            if (v6.isReadable()) {
                BencodeWriter.text(out, "peers6");
                BencodeWriter.bytesHeader(out, v6.readableBytes());
                out.writeBytes(v6, v6.readerIndex(), v6.readableBytes());
            }
        } else {
            PeerDictionaries.write(v4, v6, out);
        }
        if (warning != null) {
            BencodeWriter.text(out, "warning message");
            BencodeWriter.text(out, warning);
        }
        BencodeWriter.end(out);
    }

    private void scrape(CharSequence query, ByteBuf out) {
        int n = HttpAnnounceQuery.parseScrape(query, hashes);
        if (n <= 0) {
            stats.httpBadRequests++;
            failure(out, n == 0 ? "scrape needs info_hash (no full scrape)" : "invalid or too many info_hash");
            return;
        }
        // BEP 3 dictionaries have sorted keys: sort the raw hashes (insertion sort, n <= 64) and drop repeats.
        for (int i = 1; i < n; i++) {
            for (int j = i; j > 0 && Arrays.compareUnsigned(hashes[j - 1], hashes[j]) > 0; j--) {
                byte[] t = hashes[j];
                hashes[j] = hashes[j - 1];
                hashes[j - 1] = t;
            }
        }
        stats.httpScrapes++;
        BencodeWriter.beginDict(out);
        BencodeWriter.text(out, "files");
        BencodeWriter.beginDict(out);
        for (int i = 0; i < n; i++) {
            if (i > 0 && Arrays.equals(hashes[i - 1], hashes[i])) {
                continue;
            }
            if (registry.scrape(hashes[i], counts) != SwarmRegistry.OK) {
                stats.notAllowed++;
            }
            BencodeWriter.bytes(out, hashes[i], 0, 20);
            BencodeWriter.beginDict(out);
            BencodeWriter.text(out, "complete");
            BencodeWriter.integer(out, counts.seeders);
            BencodeWriter.text(out, "downloaded");
            BencodeWriter.integer(out, counts.completed);
            BencodeWriter.text(out, "incomplete");
            BencodeWriter.integer(out, counts.leechers);
            BencodeWriter.end(out);
        }
        BencodeWriter.end(out);
        BencodeWriter.end(out);
    }

    /** A BEP 3 failure reply. */
    public void failure(ByteBuf out, String reason) {
        stats.httpFailures++;
        BencodeWriter.beginDict(out);
        BencodeWriter.text(out, "failure reason");
        BencodeWriter.text(out, reason);
        BencodeWriter.end(out);
    }

    @Override
    public void close() {
        v4.release();
        v6.release();
    }
}
