package io.shoal.peer.cli;

import io.shoal.peer.node.TransferStatus;

/**
 * Where {@link TransferWatch} sends a torrent's status once a second: a live bar on a terminal, JSON lines, plain
 * lines in a log, or nothing. Called from one thread.
 */
interface ProgressSink extends AutoCloseable {
    /** The latest snapshot; {@code etaSec} is -1 when unknown (no download rate yet, or seeding). */
    void update(TransferStatus status, long etaSec);

    /** Ends the display (a bar finishes its line); idempotent. */
    @Override
    void close();

    /** Shows nothing: {@code --quiet}. */
    static ProgressSink quiet() {
        return new ProgressSink() {
            @Override
            public void update(TransferStatus status, long etaSec) {
            }

            @Override
            public void close() {
            }
        };
    }
}
