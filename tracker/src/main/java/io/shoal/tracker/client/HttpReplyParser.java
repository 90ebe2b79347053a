package io.shoal.tracker.client;

import com.dampcake.bencode.Bencode;
import com.dampcake.bencode.BencodeException;
import com.dampcake.bencode.Type;
import io.netty.buffer.Unpooled;
import io.shoal.tracker.bencode.BencodeScanner;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an HTTP tracker's bencoded reply into results: checked by {@link BencodeScanner} first (depth, token count,
 * lengths), then decoded with bencode-java keeping string values as raw bytes and dictionary keys as ISO-8859-1
 * (one char per byte, so raw info-hash keys of a scrape survive). A {@code failure reason} becomes a
 * {@link TrackerException}; so does any reply that is not the expected dictionary.
 */
final class HttpReplyParser {
    private static final Bencode BENCODE = new Bencode(StandardCharsets.ISO_8859_1, true);
    /** Values in one reply at most: a full peer list of a few hundred dictionaries is far below it. */
    private static final int MAX_REPLY_TOKENS = 100_000;

    private HttpReplyParser() {
    }

    static AnnounceResult announce(byte[] body, URI tracker) throws TrackerException {
        Map<String, Object> d = decode(body, tracker);
        List<InetSocketAddress> peers = new ArrayList<>();
        Object p = d.get("peers");
        if (p instanceof ByteBuffer) {
            peers.addAll(compact((ByteBuffer) p, false));
        } else if (p instanceof List) {
            for (Object o : (List<?>) p) {
                if (o instanceof Map) {
                    InetSocketAddress a = dictionaryPeer((Map<?, ?>) o);
                    if (a != null) {
                        peers.add(a);
                    }
                }
            }
        } else if (p != null) {
            throw new TrackerException("tracker " + tracker + " sent a malformed peers list");
        }
        if (d.get("peers6") instanceof ByteBuffer) {
            peers.addAll(compact((ByteBuffer) d.get("peers6"), true));
        }
        Object interval = d.get("interval");
        if (!(interval instanceof Long)) {
            throw new TrackerException("tracker " + tracker + " reply has no interval");
        }
        InetAddress external = null;
        if (d.get("external ip") instanceof ByteBuffer) {
            byte[] ip = bytes((ByteBuffer) d.get("external ip"));
            external = ip.length == 4 || ip.length == 16 ? CompactPeers.address(ip) : null;
        }
        Object warning = d.get("warning message");
        return new AnnounceResult((int) Math.min(Integer.MAX_VALUE, (Long) interval), count(d.get("complete")),
            count(d.get("incomplete")), peers, warning instanceof ByteBuffer ? text((ByteBuffer) warning) : null,
            external);
    }

    /** Scrape results keyed by lower-case hex info hash. */
    static Map<String, ScrapeResult> scrape(byte[] body, URI tracker) throws TrackerException {
        Object files = decode(body, tracker).get("files");
        if (!(files instanceof Map)) {
            throw new TrackerException("tracker " + tracker + " scrape reply has no files dictionary");
        }
        Map<String, ScrapeResult> results = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) files).entrySet()) {
            if (e.getValue() instanceof Map) {
                Map<?, ?> f = (Map<?, ?>) e.getValue();
                results.put(HexFormat.of().formatHex(String.valueOf(e.getKey()).getBytes(StandardCharsets.ISO_8859_1)),
                    new ScrapeResult(count(f.get("complete")), count(f.get("downloaded")),
                        count(f.get("incomplete"))));
            }
        }
        return results;
    }

    private static Map<String, Object> decode(byte[] body, URI tracker) throws TrackerException {
        BencodeScanner scanner = new BencodeScanner(body, body.length, MAX_REPLY_TOKENS);
        if (scanner.scanWholeDictionary() == null) {
            throw new TrackerException("tracker " + tracker + " sent bad bencode: " + scanner.error());
        }
        Map<String, Object> d;
        try {
            d = BENCODE.decode(body, Type.DICTIONARY);
        } catch (BencodeException | IllegalArgumentException e) {
            throw new TrackerException("tracker " + tracker + " sent bad bencode: " + e.getMessage(), e);
        }
        Object failure = d.get("failure reason");
        if (failure != null) {
            throw new TrackerException("tracker " + tracker + " refused: "
                + (failure instanceof ByteBuffer ? text((ByteBuffer) failure) : failure));
        }
        return d;
    }

    private static List<InetSocketAddress> compact(ByteBuffer b, boolean v6) {
        byte[] raw = bytes(b);
        return CompactPeers.parse(Unpooled.wrappedBuffer(raw), 0, raw.length, v6);
    }

    private static InetSocketAddress dictionaryPeer(Map<?, ?> m) {
        Object ip = m.get("ip");
        Object port = m.get("port");
        if (!(ip instanceof ByteBuffer) || !(port instanceof Long) || (Long) port < 0 || (Long) port > 65535) {
            return null;
        }
        String host = text((ByteBuffer) ip);
        // Only literal addresses: a host name here would make us resolve whatever the tracker says.
        if (!host.matches("[0-9a-fA-F:.]{2,45}")) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), (int) (long) (Long) port);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private static int count(Object o) {
        return o instanceof Long ? (int) Math.max(-1, Math.min(Integer.MAX_VALUE, (Long) o)) : -1;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static String text(ByteBuffer b) {
        return new String(bytes(b), StandardCharsets.UTF_8);
    }
}
