package io.shoal.bench.secure;

import io.shoal.rudp.crypto.AesGcmAead;
import io.shoal.rudp.crypto.X25519Backend;

import java.util.Arrays;
import java.util.Comparator;
import java.util.function.ToDoubleFunction;

/**
 * What one {@link HandshakeThroughputRun} measured, per accepted handshake: the wall rate, server thread CPU time
 * (event loop and handshake workers apart, microseconds), the load generator's CPU, and the server identity's
 * static-static DH cache counters.
 */
record HandshakeFigures(double wallPerSecond, double loopCpuUs, double workerCpuUs, double clientCpuUs,
                        long cacheHits, long cacheMisses) {

    /**
     * @return which X25519 and AES-GCM ran, for the header of every handshake figure: {@code libsodium 1.0.18}, or
     *         {@code java} and why not libsodium ({@code -Dshoal.crypto.native=false} through
     *         {@code BENCH_JAVA_OPTS} forces Java and the JDK's AES-GCM)
     */
    static String x25519Backend() {
        final String why = X25519Backend.nativeUnavailableReason();
        return "X25519 backend: " + X25519Backend.active().name() + (why == null ? "" : " (" + why + ")")
                + "; AES-GCM: " + AesGcmAead.implementation();
    }

    /** @return server CPU per handshake, event loop plus workers, in microseconds */
    double serverCpuUs() {
        return loopCpuUs + workerCpuUs;
    }

    /** @return handshakes per second of server CPU time: what one core given to the server would accept */
    double capacityPerCore() {
        return 1e6 / serverCpuUs();
    }

    /** @return a one-line report, capacity also given for {@code cores} cores */
    String line(final String label, final int cores) {
        return String.format("%-22s wall %,6.0f/s | server CPU %4.0f us/handshake (event loop %3.0f, workers %3.0f)"
                        + " -> capacity %,6.0f/s per core, %,6.0f/s on %d cores | client CPU %3.0f us | ss cache"
                        + " hits %,d misses %,d", label, wallPerSecond, serverCpuUs(), loopCpuUs, workerCpuUs,
                capacityPerCore(), cores * capacityPerCore(), cores, clientCpuUs, cacheHits, cacheMisses);
    }

    /**
     * @return the median wall rate, and the CPU and cache figures of the run with the median server CPU per
     *         handshake (one run's figures, so event loop + workers still add up to the total)
     */
    static HandshakeFigures median(final HandshakeFigures[] runs) {
        final HandshakeFigures[] byCpu = runs.clone();
        Arrays.sort(byCpu, Comparator.comparingDouble(HandshakeFigures::serverCpuUs));
        final HandshakeFigures mid = byCpu[byCpu.length / 2];
        return new HandshakeFigures(median(runs, HandshakeFigures::wallPerSecond), mid.loopCpuUs, mid.workerCpuUs,
                mid.clientCpuUs, mid.cacheHits, mid.cacheMisses);
    }

    private static double median(final HandshakeFigures[] runs, final ToDoubleFunction<HandshakeFigures> f) {
        final double[] v = Arrays.stream(runs).mapToDouble(f).sorted().toArray();
        return v[v.length / 2];
    }
}
