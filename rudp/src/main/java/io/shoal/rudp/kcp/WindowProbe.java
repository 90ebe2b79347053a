package io.shoal.rudp.kcp;

/**
 * The peer's advertised window and KCP's window probing ({@code rmt_wnd}, {@code probe}, {@code ts_probe},
 * {@code probe_wait} in {@code ikcp.c}): when the peer's window is zero, ask for it (WASK) after
 * {@value #PROBE_INIT_MS} ms, backing off x1.5 up to {@value #PROBE_LIMIT_MS} ms; answer a WASK, or a read that
 * reopened our full queue, with WINS. Times are the engine's millisecond clock. Single-threaded; no allocation.
 */
final class WindowProbe {
    static final int PROBE_INIT_MS = 5_000; // IKCP_PROBE_INIT (KCP 2.0)
    static final int PROBE_LIMIT_MS = 120_000; // IKCP_PROBE_LIMIT
    private static final int ASK_SEND = 1; // IKCP_ASK_SEND
    private static final int ASK_TELL = 2; // IKCP_ASK_TELL

    private int remoteWindow = KcpConfig.MAX_FRAGMENTS; // IKCP_WND_RCV
    private int probe;
    private int probeWaitMs;
    private int tsProbe;

    /** The peer's free receive window in segments, as its last segment header said. */
    int remoteWindow() {
        return remoteWindow;
    }

    /** Every received segment header carries the peer's window. */
    void onRemoteWindow(int segments) {
        remoteWindow = segments;
    }

    /** The peer asked for our window (CMD_WASK), or our window reopened: send a WINS. */
    void tell() {
        probe |= ASK_TELL;
    }

    /** True while a WASK or WINS is waiting to be written. */
    boolean pending() {
        return probe != 0;
    }

    /** Zero remote window: schedule a WASK after the probe wait ({@code ikcp_flush}'s probe block). */
    void update(int currentMs) {
        if (remoteWindow == 0) {
            if (probeWaitMs == 0) {
                probeWaitMs = PROBE_INIT_MS;
                tsProbe = currentMs + probeWaitMs;
            } else if (currentMs - tsProbe >= 0) {
                probeWaitMs = Math.min(Math.max(probeWaitMs, PROBE_INIT_MS) * 3 / 2, PROBE_LIMIT_MS);
                tsProbe = currentMs + probeWaitMs;
                probe |= ASK_SEND;
            }
        } else {
            tsProbe = 0;
            probeWaitMs = 0;
        }
    }

    /** Writes the pending WASK, then WINS, advertising {@code wnd} and {@code una}, and clears them. */
    void write(DatagramWriter writer, int wnd, int una) {
        if ((probe & ASK_SEND) != 0) {
            writer.control(KcpSegmentCodec.CMD_WASK, wnd, 0, 0, una);
        }
        if ((probe & ASK_TELL) != 0) {
            writer.control(KcpSegmentCodec.CMD_WINS, wnd, 0, 0, una);
        }
        probe = 0;
    }
}
