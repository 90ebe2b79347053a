package io.shoal.rudp.cc;

import java.util.Locale;

/** The congestion controllers shoal ships, by the name the command line and configuration use. */
public enum CongestionControl {
    /** KCP's own Reno-like window, exactly as the reference C {@code ikcp.c} computes it. */
    KCP,
    /** No congestion window at all (KCP's {@code nc = 1}): only the send and remote windows limit sending. */
    NONE,
    /** CUBIC (RFC 9438) with a pacer. */
    CUBIC,
    /** BBR-style: bottleneck bandwidth and min-RTT model with a pacing-gain cycle; loss alone does not cut the rate. */
    BBR;

    /** Parses {@code kcp|none|cubic|bbr}, case-insensitively. */
    public static CongestionControl parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown congestion control '" + name + "' (expected kcp, none, cubic or bbr)");
        }
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
