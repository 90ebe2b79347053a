package io.shoal.tracker.bencode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Validates bencoded data and finds the raw span of dictionary values, without allocating per value.
 *
 * <p>Limits (libtorrent's {@code bdecode} has the same two kinds, {@code depth_limit} and {@code token_limit}):
 * nesting depth at most {@link #MAX_DEPTH}, at most {@code maxTokens} values in total, every string length at most
 * the bytes that remain, integers in BEP 3 form ({@code i0e}; no {@code -0}, no leading zeros, no {@code +}) that
 * fit in a signed 64-bit {@code long}, dictionary keys strings. Bad input never throws: {@link #scan} returns
 * {@code null} and {@link #error()} says what and where.
 *
 * <p>Not thread-safe; one instance per scan (it is cheap).
 */
public final class BencodeScanner {
    /** Maximum nesting of lists and dictionaries. */
    public static final int MAX_DEPTH = 64;
    /** Default cap on the number of values in one scanned buffer. */
    public static final int DEFAULT_MAX_TOKENS = 2_000_000;

    private final byte[] data;
    private final int limit;
    private final int maxTokens;
    private int tokens;
    private String error;

    /**
     * A scanner over {@code data[0, limit)}; it borrows {@code data} and never changes it.
     *
     * @param maxTokens cap on values (strings, integers, lists, dictionaries) counted in one {@link #scan}
     */
    public BencodeScanner(byte[] data, int limit, int maxTokens) {
        if (limit < 0 || limit > data.length || maxTokens <= 0) {
            throw new IllegalArgumentException("limit " + limit + " of " + data.length + ", maxTokens " + maxTokens);
        }
        this.data = data;
        this.limit = limit;
        this.maxTokens = maxTokens;
    }

    /** A scanner over all of {@code data} with the default token cap. */
    public static BencodeScanner of(byte[] data) {
        return new BencodeScanner(data, data.length, DEFAULT_MAX_TOKENS);
    }

    /**
     * Checks that {@code data} holds exactly one valid dictionary and nothing after it.
     *
     * @return its span, or {@code null} with {@link #error()} set
     */
    public BencodeSpan scanWholeDictionary() {
        if (limit == 0 || data[0] != 'd') {
            return fail(0, "not a bencoded dictionary");
        }
        BencodeSpan whole = scan(0);
        if (whole != null && whole.end() != limit) {
            return fail(whole.end(), "trailing bytes after the dictionary");
        }
        return whole;
    }

    /**
     * Validates the value starting at {@code offset}.
     *
     * @return its span, or {@code null} with {@link #error()} set
     */
    public BencodeSpan scan(int offset) {
        error = null;
        tokens = 0;
        int end = skip(offset, 0);
        return end < 0 ? null : new BencodeSpan(offset, end - offset);
    }

    /**
     * Finds the value of {@code key} in a dictionary that {@link #scan} has already validated.
     *
     * @param dict the dictionary's span, as {@link #scan} returned it
     * @return the value's span, or {@code null} when the key is absent
     */
    public BencodeSpan valueOf(BencodeSpan dict, String key) {
        byte[] wanted = key.getBytes(StandardCharsets.UTF_8);
        int pos = dict.offset() + 1;
        while (data[pos] != 'e') {
            int colon = indexOf(':', pos);
            int keyLength = Integer.parseInt(new String(data, pos, colon - pos, StandardCharsets.US_ASCII));
            int keyStart = colon + 1;
            int valueStart = keyStart + keyLength;
            int valueEnd = skip(valueStart, 1);
            if (Arrays.equals(data, keyStart, valueStart, wanted, 0, wanted.length)) {
                return new BencodeSpan(valueStart, valueEnd - valueStart);
            }
            pos = valueEnd;
        }
        return null;
    }

    /** What the last failed scan found wrong, with the byte offset; {@code null} after a success. */
    public String error() {
        return error;
    }

    private int skip(int pos, int depth) {
        if (pos >= limit) {
            return failAt(pos, "truncated");
        }
        if (++tokens > maxTokens) {
            return failAt(pos, "more than " + maxTokens + " values");
        }
        byte b = data[pos];
        if (b == 'i') {
            return skipInteger(pos);
        }
        if (b >= '0' && b <= '9') {
            return skipString(pos);
        }
        if (b != 'l' && b != 'd') {
            return failAt(pos, "unexpected byte 0x" + Integer.toHexString(b & 0xFF));
        }
        if (depth >= MAX_DEPTH) {
            return failAt(pos, "nested deeper than " + MAX_DEPTH);
        }
        boolean dict = b == 'd';
        int p = pos + 1;
        while (p < limit && data[p] != 'e') {
            if (dict && (data[p] < '0' || data[p] > '9')) {
                return failAt(p, "dictionary key is not a string");
            }
            p = skip(p, depth + 1);
            if (p < 0) {
                return p;
            }
            if (dict) {
                p = skip(p, depth + 1);
                if (p < 0) {
                    return p;
                }
            }
        }
        return p < limit ? p + 1 : failAt(p, "truncated");
    }

    private int skipString(int pos) {
        long length = 0;
        int p = pos;
        while (p < limit && data[p] >= '0' && data[p] <= '9') {
            if (p > pos && data[pos] == '0') {
                return failAt(pos, "string length with a leading zero");
            }
            length = length * 10 + (data[p] - '0');
            if (length > limit) {
                return failAt(pos, "string length beyond the end of the data");
            }
            p++;
        }
        if (p >= limit || data[p] != ':') {
            return failAt(p, "string length not followed by ':'");
        }
        long end = p + 1 + length;
        return end <= limit ? (int) end : failAt(pos, "string length beyond the end of the data");
    }

    private int skipInteger(int pos) {
        int p = pos + 1;
        boolean negative = p < limit && data[p] == '-';
        if (negative) {
            p++;
        }
        int digitsStart = p;
        long value = 0;
        while (p < limit && data[p] >= '0' && data[p] <= '9') {
            int digit = data[p] - '0';
            // Accumulate negatively so Long.MIN_VALUE fits; overflow means the integer is out of range.
            if (value < (Long.MIN_VALUE + digit) / 10) {
                return failAt(pos, "integer out of 64-bit range");
            }
            value = value * 10 - digit;
            p++;
        }
        if (p >= limit || data[p] != 'e') {
            return failAt(p, "integer not terminated by 'e'");
        }
        int digits = p - digitsStart;
        if (digits == 0) {
            return failAt(pos, "integer without digits");
        }
        if (data[digitsStart] == '0' && (digits > 1 || negative)) {
            return failAt(pos, negative ? "integer '-0'" : "integer with a leading zero");
        }
        if (!negative && value == Long.MIN_VALUE) {
            return failAt(pos, "integer out of 64-bit range");
        }
        return p + 1;
    }

    private int indexOf(char c, int from) {
        int p = from;
        while (data[p] != c) {
            p++;
        }
        return p;
    }

    private int failAt(int pos, String what) {
        if (error == null) {
            error = what + " at byte " + pos;
        }
        return -1;
    }

    private BencodeSpan fail(int pos, String what) {
        failAt(pos, what);
        return null;
    }
}
