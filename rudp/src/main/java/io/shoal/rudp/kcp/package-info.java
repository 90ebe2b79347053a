/**
 * The KCP engine: the exact KCP wire format ({@link io.shoal.rudp.kcp.KcpSegmentCodec}) and a sans-IO ARQ state
 * machine ({@link io.shoal.rudp.kcp.KcpEngine}) that reproduces the reference C {@code ikcp.c} byte for byte in its
 * classic configuration, with shoal's additions (pluggable congestion control, pacing, eager ACKs and flushes)
 * switched on through {@link io.shoal.rudp.kcp.KcpConfig}. Nothing in this package reads a clock, sleeps or touches a
 * socket; every engine belongs to one thread.
 */
package io.shoal.rudp.kcp;
