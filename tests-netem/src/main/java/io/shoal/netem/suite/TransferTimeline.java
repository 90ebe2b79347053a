package io.shoal.netem.suite;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where a transfer's time went: the downloader's received payload sampled against time while it runs, summarised
 * as start-up (to the first payload byte), the steady rate over the middle (10% to 90% of the bytes) and the tail (the
 * last 10%), each with what it cost over a transfer that ran at the steady rate from its first instant. Samples are
 * taken by the polling thread; {@link #record} is not thread-safe. At most {@value #MAX_SAMPLES} samples are kept
 * (then every other one is dropped, and one new sample in twice as many is kept, so memory stays bounded and the
 * spacing even for any transfer length).
 */
public final class TransferTimeline {
    static final int MAX_SAMPLES = 4096;
    private static final double MIDDLE_FROM = 0.10;
    private static final double MIDDLE_TO = 0.90;
    static final long RAMP_WINDOW_MS = 250;
    static final int RAMP_SHARE_PERCENT = 90;

    private final long startNs;
    private final long totalBytes;
    private long[] atNs = new long[64];
    private long[] bytes = new long[64];
    private int count;
    /** Only one new sample in this many is kept (doubles each time the samples are thinned). */
    private int stride = 1;
    private int sinceKept;

    /** A timeline starting at {@code startNs} ({@link System#nanoTime()}) for a transfer of {@code totalBytes}. */
    public TransferTimeline(long startNs, long totalBytes) {
        if (totalBytes <= 0) {
            throw new IllegalArgumentException("totalBytes must be > 0");
        }
        this.startNs = startNs;
        this.totalBytes = totalBytes;
    }

    /** The downloader had received {@code receivedBytes} of payload at {@code nowNs}; samples must not go back. */
    public void record(long nowNs, long receivedBytes) {
        if (receivedBytes <= 0 || (count > 0 && receivedBytes <= bytes[count - 1])) {
            return; // nothing new: only the first sample of a plateau says when it began
        }
        if (++sinceKept < stride) {
            return;
        }
        sinceKept = 0;
        if (count == atNs.length) {
            if (count >= MAX_SAMPLES) {
                halve();
            } else {
                atNs = Arrays.copyOf(atNs, count * 2);
                bytes = Arrays.copyOf(bytes, count * 2);
            }
        }
        atNs[count] = nowNs;
        bytes[count] = receivedBytes;
        count++;
    }

    /** Keeps every other sample and from now on one in twice as many, so the spacing stays even. */
    private void halve() {
        stride *= 2;
        int kept = 0;
        for (int i = 0; i < count; i += 2) {
            atNs[kept] = atNs[i];
            bytes[kept] = bytes[i];
            kept++;
        }
        count = kept;
    }

    /** Seconds from the start to the first sample with any payload, or -1 without one. */
    public double firstByteSeconds() {
        return count == 0 ? -1 : (atNs[0] - startNs) / 1e9;
    }

    /** Index of the first sample at which the received payload reached {@code share} of the total, or -1. */
    private int reached(double share) {
        long want = (long) Math.ceil(share * totalBytes);
        for (int i = 0; i < count; i++) {
            if (bytes[i] >= want) {
                return i;
            }
        }
        return -1;
    }

    /** Payload bits per second between 10% and 90% of the bytes, or 0 when not both were seen. */
    public double middleBitsPerSecond() {
        int from = reached(MIDDLE_FROM);
        int to = reached(MIDDLE_TO);
        if (from < 0 || to < 0 || atNs[to] <= atNs[from]) {
            return 0;
        }
        return (bytes[to] - bytes[from]) * 8e9 / (atNs[to] - atNs[from]);
    }

    /**
     * Seconds from the start until the payload received over the preceding {@value #RAMP_WINDOW_MS} ms first reached
     * {@value #RAMP_SHARE_PERCENT}% of {@code rateBitsPerSecond}: when the transfer ran at full speed; -1 if never.
     */
    public double fullRateSeconds(double rateBitsPerSecond) {
        long windowNs = RAMP_WINDOW_MS * 1_000_000L;
        int from = 0;
        for (int i = 0; i < count; i++) {
            while (from + 1 < i && atNs[i] - atNs[from + 1] >= windowNs) {
                from++; // the latest sample at least a window before this one
            }
            long spanNs = atNs[i] - atNs[from];
            if (spanNs >= windowNs
                    && (bytes[i] - bytes[from]) * 8e9 / spanNs >= RAMP_SHARE_PERCENT / 100.0 * rateBitsPerSecond) {
                return (atNs[i] - startNs) / 1e9;
            }
        }
        return -1;
    }

    /**
     * One line: first byte, the middle's rate, how long the first and last 10% took, and what start and end cost
     * over the middle's rate ({@code endNs}: the transfer's completion).
     */
    public String summary(long endNs) {
        double rate = middleBitsPerSecond();
        if (rate <= 0) {
            return "time profile: too few samples";
        }
        int head = reached(MIDDLE_FROM);
        int tail = reached(MIDDLE_TO);
        double headS = (atNs[head] - startNs) / 1e9;
        double tailS = (endNs - atNs[tail]) / 1e9;
        double headIdealS = bytes[head] * 8 / rate;
        double tailIdealS = (totalBytes - bytes[tail]) * 8 / rate;
        return String.format(Locale.ROOT, "time profile: first byte %.2f s, first 10%% in %.2f s (%+.2f s over the "
                + "middle's rate; %d%% of that rate over %d ms first at %.2f s), middle 10-90%% at %.1f Mbit/s, last 10%% "
                + "in %.2f s (%+.2f s)", firstByteSeconds(), headS, headS - headIdealS, RAMP_SHARE_PERCENT,
            RAMP_WINDOW_MS, fullRateSeconds(rate), rate / 1e6, tailS, tailS - tailIdealS);
    }
}
