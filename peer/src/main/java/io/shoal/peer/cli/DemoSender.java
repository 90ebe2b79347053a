package io.shoal.peer.cli;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.shoal.rudp.netty.RawKcpConnection;
import io.shoal.rudp.netty.RawKcpListener;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;

/** The demo's sending application: streams a file, reading the next chunk whenever the connection is writable. */
final class DemoSender implements RawKcpListener {
    private static final int CHUNK_BYTES = 64 * 1024;

    private final FileChannel file;
    private final long sizeBytes;
    private final CompletableFuture<Void> failed = new CompletableFuture<>();
    private RawKcpConnection connection;
    private long position;

    DemoSender(FileChannel file, long sizeBytes) {
        this.file = file;
        this.sizeBytes = sizeBytes;
    }

    /** Completes exceptionally if sending fails (dead link, read error); never completes normally. */
    CompletableFuture<Void> failed() {
        return failed;
    }

    void start(RawKcpConnection connection) {
        this.connection = connection;
        connection.executor().execute(this::pump);
    }

    @Override
    public void onMessage(RawKcpConnection c, ByteBuf data) {
        // The receiver sends nothing back in this profile's demo.
    }

    @Override
    public void onWritabilityChanged(RawKcpConnection c, boolean writable) {
        if (writable) {
            pump();
        }
    }

    @Override
    public void onLinkDead(RawKcpConnection c) {
        failed.completeExceptionally(new IllegalStateException("the link died: the relay dropped too much"));
    }

    private void pump() {
        while (position < sizeBytes && connection.isWritable()) {
            int n = (int) Math.min(CHUNK_BYTES, sizeBytes - position);
            ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer(n);
            try {
                while (chunk.writerIndex() < n) {
                    if (chunk.writeBytes(file, position + chunk.writerIndex(), n - chunk.writerIndex()) < 0) {
                        throw new IOException("file ended early");
                    }
                }
            } catch (IOException e) {
                chunk.release();
                failed.completeExceptionally(new IllegalStateException("cannot read the file: " + e.getMessage()));
                return;
            }
            position += n;
            connection.send(chunk);
        }
    }
}
