package io.shoal.tracker.wire;

/**
 * Parses the query string of a BEP 3 {@code /announce} or BEP 48 {@code /scrape} request. {@code info_hash} and
 * {@code peer_id} are raw bytes, percent-encoded: they are decoded to bytes, never through a charset. Sans-IO, no
 * allocation on success; never throws on bad input, it returns a failure reason the tracker sends back as BEP 3's
 * {@code failure reason}.
 *
 * <p>The {@code ip} parameter is ignored on purpose (BEP 7 discourages it; it would let anyone register a victim's
 * address): the peer's address is the request's source address, which the caller fills in.
 */
public final class HttpAnnounceQuery {
    /** Longest query accepted, in characters; Netty's request-line limit also applies. */
    public static final int MAX_QUERY_CHARS = 4096;
    /** Most {@code info_hash} parameters read from one scrape (chihaya's default is 50; BEP 48 sets none). */
    public static final int MAX_SCRAPE_HASHES = 64;
    private static final int MAX_NUMWANT = 1000;

    private HttpAnnounceQuery() {
    }

    /**
     * Fills {@code out} (after {@link AnnounceRequest#reset()}) from {@code query}, the part after {@code '?'}.
     *
     * @return null on success, otherwise a one-line failure reason
     */
    public static String parseAnnounce(CharSequence query, AnnounceRequest out) {
        out.reset();
        if (query.length() > MAX_QUERY_CHARS) {
            return "request too long";
        }
        boolean hash = false;
        boolean peerId = false;
        boolean port = false;
        int i = 0;
        int n = query.length();
        while (i < n) {
            int end = indexOf(query, '&', i, n);
            int eq = indexOf(query, '=', i, end);
            int vs = eq < end ? eq + 1 : end;
            if (keyIs(query, i, eq, "info_hash")) {
                hash = decodeExact(query, vs, end, out.infoHash);
                if (!hash) {
                    return "invalid info_hash";
                }
            } else if (keyIs(query, i, eq, "peer_id")) {
                peerId = decodeExact(query, vs, end, out.peerId);
                if (!peerId) {
                    return "invalid peer_id";
                }
            } else if (keyIs(query, i, eq, "port")) {
                long p = parseLong(query, vs, end);
                if (p < 0 || p > 65535) {
                    return "invalid port";
                }
                out.port = (int) p;
                port = true;
            } else if (keyIs(query, i, eq, "uploaded")) {
                out.uploaded = Math.max(0, parseLong(query, vs, end));
            } else if (keyIs(query, i, eq, "downloaded")) {
                out.downloaded = Math.max(0, parseLong(query, vs, end));
            } else if (keyIs(query, i, eq, "left")) {
                long left = parseLong(query, vs, end);
                if (left < 0) {
                    return "invalid left";
                }
                out.left = left;
            } else if (keyIs(query, i, eq, "event")) {
                out.event = event(query, vs, end);
                if (out.event == null) {
                    return "invalid event";
                }
            } else if (keyIs(query, i, eq, "numwant")) {
                long w = parseLong(query, vs, end);
                out.numwant = w < 0 ? AnnounceRequest.DEFAULT_NUMWANT : (int) Math.min(w, MAX_NUMWANT);
            } else if (keyIs(query, i, eq, "compact")) {
                out.compact = !(end - vs == 1 && query.charAt(vs) == '0');
            } else if (keyIs(query, i, eq, "no_peer_id")) {
                out.noPeerId = end - vs == 1 && query.charAt(vs) == '1';
            } else if (keyIs(query, i, eq, "key")) {
                out.key = hashKey(query, vs, end);
            }
            i = end + 1;
        }
        if (!hash) {
            return "missing info_hash";
        }
        if (!peerId) {
            return "missing peer_id";
        }
        return port ? null : "missing port";
    }

    /**
     * Decodes every {@code info_hash} of a scrape query into {@code hashes} (each 20 bytes), up to its length.
     *
     * @return how many were decoded, or -1 when one is malformed or there are more than {@code hashes.length}
     */
    public static int parseScrape(CharSequence query, byte[][] hashes) {
        if (query.length() > MAX_QUERY_CHARS) {
            return -1;
        }
        int count = 0;
        int i = 0;
        int n = query.length();
        while (i < n) {
            int end = indexOf(query, '&', i, n);
            int eq = indexOf(query, '=', i, end);
            if (keyIs(query, i, eq, "info_hash")) {
                if (count == hashes.length || !decodeExact(query, eq < end ? eq + 1 : end, end, hashes[count])) {
                    return -1;
                }
                count++;
            }
            i = end + 1;
        }
        return count;
    }

    /** Percent-decodes {@code query[from, to)} into exactly {@code dst.length} bytes; false if the length differs. */
    static boolean decodeExact(CharSequence query, int from, int to, byte[] dst) {
        int j = 0;
        for (int i = from; i < to; i++) {
            if (j == dst.length) {
                return false;
            }
            char c = query.charAt(i);
            if (c == '%') {
                if (i + 2 >= to) {
                    return false;
                }
                int hi = Character.digit(query.charAt(i + 1), 16);
                int lo = Character.digit(query.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return false;
                }
                dst[j++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c == '+') {
                dst[j++] = ' ';
            } else if (c < 0x80) {
                dst[j++] = (byte) c;
            } else {
                return false;
            }
        }
        return j == dst.length;
    }

    private static AnnounceEvent event(CharSequence q, int from, int to) {
        for (AnnounceEvent e : AnnounceEvent.values()) {
            if (keyIs(q, from, to, e.httpName())) {
                return e;
            }
        }
        return keyIs(q, from, to, "empty") || keyIs(q, from, to, "paused") ? AnnounceEvent.NONE : null;
    }

    /** A non-negative decimal of at most 18 digits, or -1. */
    private static long parseLong(CharSequence q, int from, int to) {
        if (from >= to || to - from > 18) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = q.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** The {@code key} parameter is opaque text; only a hash of it is kept. */
    private static int hashKey(CharSequence q, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + q.charAt(i);
        }
        return h;
    }

    private static boolean keyIs(CharSequence q, int from, int to, String key) {
        if (to - from != key.length()) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            if (q.charAt(from + i) != key.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(CharSequence q, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (q.charAt(i) == c) {
                return i;
            }
        }
        return to;
    }
}
