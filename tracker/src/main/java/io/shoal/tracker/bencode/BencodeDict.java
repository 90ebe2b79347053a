package io.shoal.tracker.bencode;

import com.dampcake.bencode.Bencode;
import com.dampcake.bencode.Type;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Typed, checked access to one decoded bencode dictionary. Values come from the {@code com.dampcake.bencode} library
 * in its byte mode (strings as {@link ByteBuffer}); {@link #decode} runs {@link BencodeScanner} first, so that library
 * only ever sees input that is well formed and within the scanner's limits.
 *
 * <p>Required-field accessors throw {@link BencodeFieldException} whose message names the field; the {@code ...Or}
 * accessors return the given default when the key is absent and throw only on a wrong type.
 */
public final class BencodeDict {
    private static final Bencode BYTES = new Bencode(StandardCharsets.UTF_8, true);

    private final Map<String, Object> map;

    private BencodeDict(Map<String, Object> map) {
        this.map = map;
    }

    /**
     * Validates and decodes the dictionary in {@code data[offset, offset + length)}; borrows {@code data}.
     *
     * @throws BencodeFieldException when the bytes are not exactly one valid dictionary (message from the scanner)
     */
    public static BencodeDict decode(byte[] data, int offset, int length, int maxTokens)
        throws BencodeFieldException {
        byte[] copy = offset == 0 && length == data.length ? data : Arrays.copyOfRange(data, offset, offset + length);
        BencodeScanner scanner = new BencodeScanner(copy, copy.length, maxTokens);
        if (scanner.scanWholeDictionary() == null) {
            throw new BencodeFieldException("bencode: " + scanner.error());
        }
        try {
            return new BencodeDict(BYTES.decode(copy, Type.DICTIONARY));
        } catch (RuntimeException e) {
            // The scanner accepted it, so this should not happen; a library surprise still must not escape.
            throw new BencodeFieldException("bencode: " + e.getMessage());
        }
    }

    /** Wraps a dictionary value found inside another decoded value. */
    @SuppressWarnings("unchecked")
    static BencodeDict wrap(Object value, String name) throws BencodeFieldException {
        if (!(value instanceof Map)) {
            throw new BencodeFieldException("'" + name + "' is not a dictionary");
        }
        return new BencodeDict((Map<String, Object>) value);
    }

    /** The keys, in the order decoded. */
    public java.util.Set<String> keys() {
        return java.util.Collections.unmodifiableSet(map.keySet());
    }

    /** True when the key is present (with any type). */
    public boolean has(String key) {
        return map.containsKey(key);
    }

    /** The raw decoded value, or {@code null} when absent (strings are {@link ByteBuffer}s, integers {@link Long}s). */
    public Object raw(String key) {
        return map.get(key);
    }

    /** A required dictionary. */
    public BencodeDict dict(String key) throws BencodeFieldException {
        return wrap(require(key), key);
    }

    /** An optional dictionary, or {@code null}. */
    public BencodeDict dictOrNull(String key) throws BencodeFieldException {
        Object v = map.get(key);
        return v == null ? null : wrap(v, key);
    }

    /** A required integer. */
    public long integer(String key) throws BencodeFieldException {
        return asLong(require(key), key);
    }

    /** An optional integer. */
    public long integerOr(String key, long absent) throws BencodeFieldException {
        Object v = map.get(key);
        return v == null ? absent : asLong(v, key);
    }

    /** A required byte string (a fresh copy). */
    public byte[] bytes(String key) throws BencodeFieldException {
        return asBytes(require(key), key);
    }

    /** An optional byte string (a fresh copy), or {@code null}. */
    public byte[] bytesOrNull(String key) throws BencodeFieldException {
        Object v = map.get(key);
        return v == null ? null : asBytes(v, key);
    }

    /** A required string that must be valid UTF-8. */
    public String utf8(String key) throws BencodeFieldException {
        return asUtf8(require(key), key);
    }

    /** An optional UTF-8 string, or {@code null}. */
    public String utf8OrNull(String key) throws BencodeFieldException {
        Object v = map.get(key);
        return v == null ? null : asUtf8(v, key);
    }

    /** A required list. */
    public List<Object> list(String key) throws BencodeFieldException {
        return asList(require(key), key);
    }

    /** An optional list, or {@code null}. */
    public List<Object> listOrNull(String key) throws BencodeFieldException {
        Object v = map.get(key);
        return v == null ? null : asList(v, key);
    }

    /** A list element or other value as an integer; {@code name} is used in the error. */
    public static long asLong(Object v, String name) throws BencodeFieldException {
        if (!(v instanceof Long)) {
            throw new BencodeFieldException("'" + name + "' is not an integer");
        }
        return (Long) v;
    }

    /** A value as a fresh byte array; {@code name} is used in the error. */
    public static byte[] asBytes(Object v, String name) throws BencodeFieldException {
        if (!(v instanceof ByteBuffer)) {
            throw new BencodeFieldException("'" + name + "' is not a string");
        }
        ByteBuffer b = ((ByteBuffer) v).duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** A value as strictly decoded UTF-8; {@code name} is used in the error. */
    public static String asUtf8(Object v, String name) throws BencodeFieldException {
        byte[] bytes = asBytes(v, name);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BencodeFieldException("'" + name + "' is not valid UTF-8");
        }
    }

    /** A value as a list; {@code name} is used in the error. */
    @SuppressWarnings("unchecked")
    public static List<Object> asList(Object v, String name) throws BencodeFieldException {
        if (!(v instanceof List)) {
            throw new BencodeFieldException("'" + name + "' is not a list");
        }
        return (List<Object>) v;
    }

    /** A value as a dictionary; {@code name} is used in the error. */
    public static BencodeDict asDict(Object v, String name) throws BencodeFieldException {
        return wrap(v, name);
    }

    private Object require(String key) throws BencodeFieldException {
        Object v = map.get(key);
        if (v == null) {
            throw new BencodeFieldException("'" + key + "' is missing");
        }
        return v;
    }
}
