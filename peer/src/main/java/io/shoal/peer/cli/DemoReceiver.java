package io.shoal.peer.cli;

import io.netty.buffer.ByteBuf;
import io.shoal.rudp.netty.RawKcpConnection;
import io.shoal.rudp.netty.RawKcpListener;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;

/** The demo's receiving application: appends the stream to a file until the expected size has arrived. */
final class DemoReceiver implements RawKcpListener {
    private final FileChannel file;
    private final long expectedBytes;
    private final CompletableFuture<Long> done = new CompletableFuture<>();
    private volatile long receivedBytes;

    DemoReceiver(FileChannel file, long expectedBytes) {
        this.file = file;
        this.expectedBytes = expectedBytes;
    }

    /** Completes with the byte count once the whole file is written, or fails. */
    CompletableFuture<Long> done() {
        return done;
    }

    long receivedBytes() {
        return receivedBytes;
    }

    @Override
    public void onMessage(RawKcpConnection connection, ByteBuf data) {
        if (done.isDone()) {
            return;
        }
        long at = receivedBytes;
        int n = data.readableBytes();
        try {
            int written = 0;
            while (written < n) {
                written += data.getBytes(data.readerIndex() + written, file, at + written, n - written);
            }
        } catch (IOException e) {
            done.completeExceptionally(new IllegalStateException("cannot write the received file: " + e.getMessage()));
            return;
        }
        receivedBytes = at + n;
        if (receivedBytes >= expectedBytes) {
            done.complete(receivedBytes);
        }
    }

    @Override
    public void onClosed(RawKcpConnection connection) {
        done.completeExceptionally(new IllegalStateException("the receiving connection closed early"));
    }
}
