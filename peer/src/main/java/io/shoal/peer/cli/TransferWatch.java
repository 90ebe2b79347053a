package io.shoal.peer.cli;

import io.shoal.peer.node.TorrentHandle;
import io.shoal.peer.node.TorrentState;
import io.shoal.peer.node.TransferStatus;
import io.shoal.rudp.perf.Units;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Polls a torrent once a second, feeds its status to a {@link ProgressSink}, and decides how the command ends:
 * complete (exit 0), failed (a {@link CliFailure}, exit 1), timed out (exit 1), or interrupted by Ctrl-C (130).
 */
final class TransferWatch {
    /** Exit code after Ctrl-C, as shells report SIGINT. */
    static final int INTERRUPTED = 130;
    private static final long TICK_MS = 1000;

    private final TorrentHandle handle;
    private final ProgressSink sink;
    private final CompletableFuture<Void> interrupted;

    TransferWatch(TorrentHandle handle, ProgressSink sink, CompletableFuture<Void> interrupted) {
        this.handle = handle;
        this.sink = sink;
        this.interrupted = interrupted;
    }

    /** Seconds left at the current download rate, or -1 when unknown. */
    static long etaSec(TransferStatus s) {
        long left = s.totalBytes() - s.verifiedBytes();
        if (left <= 0 || s.downloadRate() <= 0 || s.state() != TorrentState.DOWNLOADING) {
            return -1;
        }
        return (left + s.downloadRate() - 1) / s.downloadRate();
    }

    /**
     * Waits until every piece is verified.
     *
     * @param timeoutSec give up after this many seconds; 0 waits for ever
     * @return 0 when complete, {@link #INTERRUPTED} after Ctrl-C
     */
    int untilComplete(long timeoutSec) throws CliFailure, InterruptedException {
        long deadlineNs = timeoutSec > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSec) : 0;
        CompletableFuture<Object> either = CompletableFuture.anyOf(handle.completion(), interrupted);
        while (true) {
            TransferStatus s = report();
            if (interrupted.isDone()) {
                return INTERRUPTED;
            }
            if (handle.completion().isDone()) {
                try {
                    handle.completion().get();
                } catch (ExecutionException e) {
                    throw new CliFailure("download failed: " + oneLine(e.getCause()));
                }
                return 0;
            }
            if (deadlineNs != 0 && System.nanoTime() - deadlineNs >= 0) {
                throw new CliFailure("not complete after " + timeoutSec + " s: " + Units.bytes(s.verifiedBytes())
                    + " of " + Units.bytes(s.totalBytes()) + " verified, " + s.peersConnected() + " peers");
            }
            await(either);
        }
    }

    /** Keeps reporting until Ctrl-C (seeding); a failed torrent ends it. Returns {@link #INTERRUPTED}. */
    int untilInterrupted() throws CliFailure, InterruptedException {
        while (!interrupted.isDone()) {
            report();
            await(interrupted);
        }
        return INTERRUPTED;
    }

    private TransferStatus report() throws CliFailure {
        TransferStatus s = handle.status();
        sink.update(s, etaSec(s));
        if (s.state() == TorrentState.FAILED) {
            throw new CliFailure("transfer failed: " + (s.error() != null ? s.error() : "unknown error"));
        }
        return s;
    }

    private static void await(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get(TICK_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // a tick, or an outcome the caller reads next round
        }
    }

    static String oneLine(Throwable t) {
        String m = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        return m.replace('\n', ' ');
    }
}
