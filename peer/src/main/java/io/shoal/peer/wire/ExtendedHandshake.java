package io.shoal.peer.wire;

import com.dampcake.bencode.Bencode;
import io.shoal.tracker.bencode.BencodeDict;
import io.shoal.tracker.bencode.BencodeFieldException;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The BEP 10 extension handshake: a bencoded dictionary sent as extended message 0. shoal adds one key,
 * {@value #RUDP_PORT_KEY}, the UDP port where it accepts secure rudp sessions, so two shoal peers that meet over TCP
 * (or through a tracker) can move to rudp. Other clients ignore keys they do not know, as BEP 10 says.
 *
 * <p>Decoding is bounded: at most {@link #MAX_EXTENSIONS} entries in {@code m}, extended ids 0..255, names and the
 * client string at most {@link #MAX_TEXT_BYTES}; ports outside 1..65535, {@code yourip} not 4 or 16 bytes and
 * non-positive {@code reqq} are treated as absent rather than as errors, because clients disagree on them.
 *
 * @param extensions   {@code m}: extension name to the id the sender wants to receive it on (0 disables)
 * @param tcpPort      {@code p}: the sender's TCP listen port, or 0
 * @param client       {@code v}: client name and version, or {@code null}
 * @param yourIp       {@code yourip}: how the sender sees the receiver's address (4 or 16 bytes), or {@code null}
 * @param requestQueue {@code reqq}: how many outstanding requests the sender accepts, or 0
 * @param rudpPort     {@value #RUDP_PORT_KEY}: the sender's rudp (UDP) port, or 0
 * @param metadataSize {@code metadata_size} (BEP 9), or -1
 */
public record ExtendedHandshake(Map<String, Integer> extensions, int tcpPort, String client, byte[] yourIp,
    int requestQueue, int rudpPort, long metadataSize) {
    /** Our dictionary key for the rudp port. */
    public static final String RUDP_PORT_KEY = "shoal_rudp";
    /** Most entries read from {@code m}. */
    public static final int MAX_EXTENSIONS = 64;
    /** Longest extension name or client string read. */
    public static final int MAX_TEXT_BYTES = 128;
    private static final Bencode BENCODE = new Bencode(true);

    /** Copies the map and array. */
    public ExtendedHandshake {
        extensions = Map.copyOf(extensions);
        yourIp = yourIp == null ? null : yourIp.clone();
    }

    /** A copy of {@code yourip}, or {@code null}. */
    @Override
    public byte[] yourIp() {
        return yourIp == null ? null : yourIp.clone();
    }

    /** The bencoded dictionary (keys sorted). */
    public byte[] encode() {
        Map<String, Object> d = new TreeMap<>();
        d.put("m", new TreeMap<>(extensions));
        if (tcpPort > 0) {
            d.put("p", tcpPort);
        }
        if (client != null) {
            d.put("v", client);
        }
        if (yourIp != null) {
            d.put("yourip", ByteBuffer.wrap(yourIp));
        }
        if (requestQueue > 0) {
            d.put("reqq", requestQueue);
        }
        if (rudpPort > 0) {
            d.put(RUDP_PORT_KEY, rudpPort);
        }
        if (metadataSize >= 0) {
            d.put("metadata_size", metadataSize);
        }
        return BENCODE.encode(d);
    }

    /**
     * Decodes a handshake payload; borrows {@code payload}.
     *
     * @throws BencodeFieldException naming what is malformed
     */
    public static ExtendedHandshake decode(byte[] payload) throws BencodeFieldException {
        BencodeDict d = BencodeDict.decode(payload, 0, payload.length, 4096);
        Map<String, Integer> m = new TreeMap<>();
        BencodeDict mDict = d.dictOrNull("m");
        if (mDict != null) {
            for (String name : mDict.keys()) {
                if (m.size() == MAX_EXTENSIONS) {
                    throw new BencodeFieldException("'m' has more than " + MAX_EXTENSIONS + " extensions");
                }
                long id = mDict.integer(name);
                if (id < 0 || id > 255 || name.length() > MAX_TEXT_BYTES) {
                    throw new BencodeFieldException("'m' entry '" + name + "' = " + id);
                }
                m.put(name, (int) id);
            }
        }
        String v = d.has("v") ? textOrNull(d.bytes("v")) : null;
        byte[] ip = d.bytesOrNull("yourip");
        long reqq = d.integerOr("reqq", 0);
        long metadata = d.integerOr("metadata_size", -1);
        return new ExtendedHandshake(m, port(d.integerOr("p", 0)), v,
            ip != null && (ip.length == 4 || ip.length == 16) ? ip : null,
            reqq > 0 && reqq <= Integer.MAX_VALUE ? (int) reqq : 0, port(d.integerOr(RUDP_PORT_KEY, 0)),
            metadata >= 0 ? metadata : -1);
    }

    private static int port(long value) {
        return value > 0 && value <= 65535 ? (int) value : 0;
    }

    private static String textOrNull(byte[] bytes) {
        return bytes.length > MAX_TEXT_BYTES ? null : new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExtendedHandshake h && extensions.equals(h.extensions) && tcpPort == h.tcpPort
            && java.util.Objects.equals(client, h.client) && Arrays.equals(yourIp, h.yourIp)
            && requestQueue == h.requestQueue && rudpPort == h.rudpPort && metadataSize == h.metadataSize;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(extensions, tcpPort, client, rudpPort, requestQueue, metadataSize)
            * 31 + Arrays.hashCode(yourIp);
    }
}
