package io.shoal.tracker.server;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * Stateless BEP 15 connection ids, chihaya's way: the top 4 bytes are the issue time in seconds, the low 4 bytes the
 * first 4 bytes of HMAC-SHA256(key, time || client IP). An id is accepted for {@link #LIFETIME_SEC} seconds (BEP 15
 * says a client may use one for a minute; the slack covers a slow client) and only from the address it was issued
 * to, so a spoofed source can never get past connect, whose reply is no larger than its request. The key is random
 * per process. Not thread-safe (one {@link Mac}); one instance per event loop.
 *
 * <p>Clients reuse an id for a minute, so the last id verified per IPv4 address is remembered in a small
 * direct-mapped table: a repeat skips the HMAC (about a microsecond, most of an announce's cost). An entry is only
 * ever written after a full verification for that same address, so the cache cannot accept anything HMAC would not.
 */
public final class ConnectionIdCookies {
    public static final int LIFETIME_SEC = 120;

    private final Mac mac;
    private final byte[] input = new byte[4 + 16];
    private final byte[] digest = new byte[32];
    private static final int CACHE_SLOTS = 4096;
    private final long[] cachedId = new long[CACHE_SLOTS];
    private final int[] cachedIp = new int[CACHE_SLOTS];

    public ConnectionIdCookies(byte[] key) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
        }
    }

    /** A fresh random 32-byte key. */
    public static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** The id for {@code client} at {@code nowSec}. */
    public long issue(InetAddress client, int nowSec) {
        return (long) nowSec << 32 | (mac(client, nowSec) & 0xFFFF_FFFFL);
    }

    /** True when {@code id} was issued to {@code client} no more than {@link #LIFETIME_SEC} seconds ago. */
    public boolean verify(long id, InetAddress client, int nowSec) {
        int issuedSec = (int) (id >>> 32);
        int age = nowSec - issuedSec;
        if (age < 0 || age > LIFETIME_SEC) {
            return false;
        }
        if (!(client instanceof Inet4Address)) {
            return mac(client, issuedSec) == (int) id;
        }
        int ip = client.hashCode();
        int slot = (ip * 0x9E3779B9 >>> 20) & (CACHE_SLOTS - 1);
        if (cachedId[slot] == id && cachedIp[slot] == ip && id != 0) {
            return true;
        }
        if (mac(client, issuedSec) != (int) id) {
            return false;
        }
        cachedId[slot] = id;
        cachedIp[slot] = ip;
        return true;
    }

    private int mac(InetAddress client, int sec) {
        input[0] = (byte) (sec >>> 24);
        input[1] = (byte) (sec >>> 16);
        input[2] = (byte) (sec >>> 8);
        input[3] = (byte) sec;
        int length;
        if (client instanceof Inet4Address) {
            // Inet4Address.hashCode() is the address itself: no copy of the address bytes per packet.
            int ip = client.hashCode();
            input[4] = (byte) (ip >>> 24);
            input[5] = (byte) (ip >>> 16);
            input[6] = (byte) (ip >>> 8);
            input[7] = (byte) ip;
            length = 8;
        } else {
            byte[] a = client.getAddress();
            System.arraycopy(a, 0, input, 4, a.length);
            length = 4 + a.length;
        }
        mac.update(input, 0, length);
        try {
            mac.doFinal(digest, 0);
        } catch (javax.crypto.ShortBufferException e) {
            throw new IllegalStateException("digest buffer holds 32 bytes", e);
        }
        return (digest[0] & 0xff) << 24 | (digest[1] & 0xff) << 16 | (digest[2] & 0xff) << 8 | (digest[3] & 0xff);
    }
}
