package io.shoal.peer.cli;

import io.shoal.peer.node.TorrentState;
import io.shoal.peer.node.TransferStatus;
import io.shoal.rudp.perf.Units;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.Locale;

/**
 * The live bar on a terminal (stderr), drawn by {@code me.tongfei:progressbar}: percent, verified bytes in MiB, elapsed
 * time and the library's ETA, and our down/up rates and peer count as the extra message.
 */
final class BarProgress implements ProgressSink {
    private final ProgressBar bar;
    private boolean closed;

    BarProgress(String task, long totalBytes) {
        this.bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(Math.max(1, totalBytes))
            .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUnit(" MiB", 1 << 20).setUpdateIntervalMillis(500)
            .build();
    }

    @Override
    public void update(TransferStatus s, long etaSec) {
        bar.stepTo(s.verifiedBytes());
        // Short: the bar takes what the message leaves of the terminal's width.
        bar.setExtraMessage(String.format(Locale.ROOT, "%s dn %s/s up %s/s %d peer%s",
            s.state() == TorrentState.SEEDING ? "seeding," : "", Units.bytes(s.downloadRate()),
            Units.bytes(s.uploadRate()), s.peersConnected(), s.peersConnected() == 1 ? "" : "s"));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            bar.close();
        }
    }
}
