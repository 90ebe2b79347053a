package io.shoal.peer.cli;

import java.io.PrintWriter;
import java.util.function.IntConsumer;

/**
 * Hashing progress while a torrent is built ({@code create}, {@code send}): a {@code \r}-updated line on stderr at
 * most every 200 ms when stdout is a terminal, nothing otherwise. {@code TorrentBuilder} calls it on the thread that
 * builds, so it needs no locking.
 */
final class HashingProgress implements IntConsumer {
    private static final long EVERY_NS = 200_000_000L;

    private final PrintWriter err;
    private final boolean terminal;
    private int done;
    private long lastNs = System.nanoTime();
    private boolean shown;

    HashingProgress(PrintWriter err, boolean show) {
        this.err = err;
        this.terminal = show && System.console() != null;
    }

    @Override
    public void accept(int piece) {
        if (!terminal) {
            return;
        }
        done++;
        long now = System.nanoTime();
        if (now - lastNs >= EVERY_NS) {
            lastNs = now;
            shown = true;
            err.print("\rhashing: " + done + " pieces");
            err.flush();
        }
    }

    /** Ends the line, if one was drawn, so what follows starts on a fresh line; idempotent. */
    void end() {
        if (shown) {
            shown = false;
            err.println();
            err.flush();
        }
    }
}
