package io.shoal.peer.metainfo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A BEP 9 magnet link: {@code magnet:?xt=urn:btih:<40 hex | 32 base32>&dn=<name>&tr=<tracker>...&x.pe=<host:port>...}.
 * Parsing is bounded ({@link #MAX_LENGTH} characters, {@link #MAX_PARAMETERS} parameters), percent-decodes strictly
 * (a bad escape or invalid UTF-8 is an error) and ignores parameters it does not know, as BEP 9 allows; a link without
 * a {@code urn:btih:} topic (such as a v2-only {@code urn:btmh:}) is rejected.
 *
 * @param infoHash    the v1 info hash
 * @param displayName the {@code dn} name, or {@code null}
 * @param trackers    {@code tr} URLs in order
 * @param peers       {@code x.pe} peer addresses ({@code host:port}) in order
 */
public record MagnetLink(InfoHash infoHash, String displayName, List<String> trackers, List<String> peers) {
    /** Longest link parsed, in characters. */
    public static final int MAX_LENGTH = 64 << 10;
    /** Most parameters parsed. */
    public static final int MAX_PARAMETERS = 256;
    private static final String PREFIX = "magnet:?";
    private static final String BTIH = "urn:btih:";

    /** Copies the lists. */
    public MagnetLink {
        trackers = List.copyOf(trackers);
        peers = List.copyOf(peers);
    }

    /** Parses {@code uri}; the exception's message is one line ("bad magnet link: ..."). */
    public static MagnetLink parse(String uri) throws MetainfoException {
        if (uri.length() > MAX_LENGTH) {
            throw bad("longer than " + MAX_LENGTH + " characters");
        }
        if (!uri.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw bad("does not start with 'magnet:?'");
        }
        String[] params = uri.substring(PREFIX.length()).split("&", MAX_PARAMETERS + 1);
        if (params.length > MAX_PARAMETERS) {
            throw bad("more than " + MAX_PARAMETERS + " parameters");
        }
        InfoHash hash = null;
        String name = null;
        List<String> trackers = new ArrayList<>();
        List<String> peers = new ArrayList<>();
        for (String param : params) {
            int eq = param.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = param.substring(0, eq);
            String raw = param.substring(eq + 1);
            switch (key) {
                case "xt" -> {
                    String topic = decode(raw, false);
                    if (hash == null && topic.regionMatches(true, 0, BTIH, 0, BTIH.length())) {
                        hash = InfoHash.parse(topic.substring(BTIH.length()));
                        if (hash == null) {
                            throw bad("info hash '" + topic.substring(BTIH.length()) + "' is not 40 hex or 32 base32");
                        }
                    }
                }
                case "dn" -> name = decode(raw, true);
                case "tr" -> trackers.add(decode(raw, false));
                case "x.pe" -> peers.add(decode(raw, false));
                default -> {
                    // BEP 9: unknown parameters are ignored.
                }
            }
        }
        if (hash == null) {
            throw bad("no 'xt=urn:btih:' info hash");
        }
        return new MagnetLink(hash, name, trackers, peers);
    }

    /** The link, hex info hash first, then {@code dn}, every {@code tr} and every {@code x.pe}, percent-encoded. */
    public String format() {
        StringBuilder b = new StringBuilder(PREFIX).append("xt=").append(BTIH).append(infoHash.hex());
        if (displayName != null) {
            b.append("&dn=").append(encode(displayName));
        }
        trackers.forEach(t -> b.append("&tr=").append(encode(t)));
        peers.forEach(p -> b.append("&x.pe=").append(encode(p)));
        return b.toString();
    }

    @Override
    public String toString() {
        return format();
    }

    private static String encode(String text) {
        StringBuilder b = new StringBuilder();
        for (byte x : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (x & 0xFF);
            boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
            if (unreserved) {
                b.append(c);
            } else {
                b.append('%').append(String.format(Locale.ROOT, "%02X", x & 0xFF));
            }
        }
        return b.toString();
    }

    /** Strict percent-decoding to UTF-8; {@code plusIsSpace} for names, where browsers and clients write '+'. */
    private static String decode(String text, boolean plusIsSpace) throws MetainfoException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                int hi = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(text.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    throw bad("bad percent escape at character " + i);
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else if (c > 0x7E || c < 0x20) {
                // A link pasted unescaped: keep the character (a surrogate pair as one code point).
                int cp = text.codePointAt(i);
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp) - 1;
            } else {
                out.write(c);
            }
        }
        byte[] bytes = out.toByteArray();
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw bad("parameter is not valid UTF-8 after percent-decoding");
        }
    }

    private static MetainfoException bad(String what) {
        return new MetainfoException("bad magnet link: " + what);
    }
}
