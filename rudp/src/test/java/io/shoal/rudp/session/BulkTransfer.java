package io.shoal.rudp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shoal.rudp.kcp.SendResult;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;

/**
 * A seeded bulk transfer over one connection: the sender queues {@code totalBytes} of random data in
 * {@code chunkBytes} messages whenever the connection is writable; the receiver hashes what it reads. Both sides
 * keep a SHA-256 so the test compares digests.
 */
final class BulkTransfer {
    private final byte[] data;
    private final int chunkBytes;
    private final MessageDigest received = sha256();
    private int sentOffset;
    private long receivedBytes;

    BulkTransfer(final long seed, final int totalBytes, final int chunkBytes) {
        this.data = new byte[totalBytes];
        new Random(seed).nextBytes(data);
        this.chunkBytes = chunkBytes;
    }

    /** Queues as much as the connection takes. */
    void pump(final SecureConnection c, final long nowNs) {
        while (sentOffset < data.length && c.isWritable()) {
            final int n = Math.min(chunkBytes, data.length - sentOffset);
            final SendResult r = c.send(nowNs, Unpooled.wrappedBuffer(data, sentOffset, n));
            if (r != SendResult.QUEUED) {
                return;
            }
            sentOffset += n;
        }
    }

    /** Reads everything ready. */
    void drain(final SecureConnection c) {
        ByteBuf m;
        while ((m = c.pollMessage()) != null) {
            try {
                receivedBytes += m.readableBytes();
                final byte[] bytes = new byte[m.readableBytes()];
                m.readBytes(bytes);
                received.update(bytes);
            } finally {
                m.release();
            }
        }
    }

    boolean allQueued() {
        return sentOffset == data.length;
    }

    long receivedBytes() {
        return receivedBytes;
    }

    int totalBytes() {
        return data.length;
    }

    byte[] expectedDigest() {
        return sha256().digest(data);
    }

    byte[] receivedDigest() {
        try {
            return ((MessageDigest) received.clone()).digest();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
