package io.shoal.tracker.wire;

/**
 * Checks that bytes are one well-formed bencoded value within limits before a full decoder (which recurses and
 * allocates whatever a length prefix claims) sees them: bounded nesting depth and token count, string lengths that fit
 * the input, canonical-enough integers, nothing after the value. Iterative, so a deep "bencode bomb" cannot overflow
 * the stack. The limits follow libtorrent's bdecode ({@code depth_limit} 100, {@code token_limit} 2,000,000), scaled
 * to a tracker reply.
 */
public final class BencodeGuard {
    public static final int MAX_DEPTH = 32;
    public static final int MAX_TOKENS = 100_000;

    private BencodeGuard() {
    }

    /**
     * @return null when {@code data[0, length)} is one valid value within limits, otherwise why not (one line)
     */
    public static String check(byte[] data, int length) {
        int depth = 0;
        int tokens = 0;
        int i = 0;
        boolean started = false;
        while (i < length) {
            if (started && depth == 0) {
                return "trailing bytes after the bencoded value at offset " + i;
            }
            started = true;
            if (++tokens > MAX_TOKENS) {
                return "more than " + MAX_TOKENS + " bencode tokens";
            }
            byte b = data[i];
            if (b == 'd' || b == 'l') {
                if (++depth > MAX_DEPTH) {
                    return "bencode nested deeper than " + MAX_DEPTH;
                }
                i++;
            } else if (b == 'e') {
                if (depth == 0) {
                    return "unexpected 'e' at offset " + i;
                }
                depth--;
                i++;
            } else if (b == 'i') {
                int end = i + 1;
                if (end < length && data[end] == '-') {
                    end++;
                }
                int digits = 0;
                while (end < length && data[end] >= '0' && data[end] <= '9') {
                    end++;
                    digits++;
                }
                if (digits == 0 || digits > 19 || end >= length || data[end] != 'e') {
                    return "bad bencode integer at offset " + i;
                }
                i = end + 1;
            } else if (b >= '0' && b <= '9') {
                long len = 0;
                int end = i;
                while (end < length && data[end] >= '0' && data[end] <= '9' && end - i < 10) {
                    len = len * 10 + (data[end] - '0');
                    end++;
                }
                if (end >= length || data[end] != ':' || len > length - end - 1) {
                    return "bad bencode string length at offset " + i;
                }
                i = (int) (end + 1 + len);
            } else {
                return "bad bencode byte 0x" + Integer.toHexString(b & 0xff) + " at offset " + i;
            }
        }
        if (!started) {
            return "empty body";
        }
        return depth == 0 ? null : "truncated bencode (unclosed list or dictionary)";
    }
}
