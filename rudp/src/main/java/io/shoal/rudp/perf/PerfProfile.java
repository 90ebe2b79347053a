package io.shoal.rudp.perf;

import java.util.Locale;

/** Which rudp profile a perf test runs over. */
public enum PerfProfile {
    /** Noise handshake, ChaCha20-Poly1305 on every datagram, child channels ({@code RudpServer}/{@code RudpClient}). */
    SECURE,
    /** Bare KCP segments in UDP datagrams ({@code RawKcpEndpoint}). */
    RAW;

    /** The lower-case name used on command lines and in reports. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
