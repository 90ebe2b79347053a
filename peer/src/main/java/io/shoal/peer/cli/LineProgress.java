package io.shoal.peer.cli;

import io.shoal.peer.node.TransferStatus;
import io.shoal.rudp.perf.Units;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress when stderr is not a terminal (a log, CI) and neither {@code --json} nor {@code --quiet} was given: one
 * plain line every {@link #EVERY_UPDATES} updates and whenever the state changes, so logs stay short.
 */
final class LineProgress implements ProgressSink {
    static final int EVERY_UPDATES = 10;

    private final PrintWriter err;
    private int updates;
    private Object lastState;

    LineProgress(PrintWriter err) {
        this.err = err;
    }

    /** {@code  42.0%  12.0 MiB of 30.0 MiB  down 5.00 MiB/s  up 0 B/s  3 peers (2 rudp, 1 tcp)  eta 4 s}. */
    static String describe(TransferStatus s, long etaSec) {
        return String.format(Locale.ROOT, "%s %5.1f%%  %s of %s  down %s/s  up %s/s  %d peers (%d rudp, %d tcp)%s",
            s.state().name().toLowerCase(Locale.ROOT), s.fraction() * 100, Units.bytes(s.verifiedBytes()),
            Units.bytes(s.totalBytes()), Units.bytes(s.downloadRate()), Units.bytes(s.uploadRate()),
            s.peersConnected(), s.peersRudp(), s.peersTcp(), etaSec >= 0 ? "  eta " + etaSec + " s" : "");
    }

    @Override
    public void update(TransferStatus status, long etaSec) {
        if (updates++ % EVERY_UPDATES == 0 || status.state() != lastState) {
            err.println(describe(status, etaSec));
            err.flush();
        }
        lastState = status.state();
    }

    @Override
    public void close() {
        err.flush();
    }
}
