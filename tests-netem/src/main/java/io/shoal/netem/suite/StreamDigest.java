package io.shoal.netem.suite;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * The receiving half of a bulk workload, whatever carries the stream: hashes what arrives (on one thread, the
 * receiver's event loop), signals the scenario's midpoint at a third, and completes {@link #done} with the SHA-256
 * once exactly {@code total} bytes came, or fails it when more came. {@link #payload} and {@link #verify} are the
 * sender's side of the same check.
 */
final class StreamDigest {
    /** Completes with the digest of exactly {@code total} bytes. */
    final CompletableFuture<byte[]> done = new CompletableFuture<>();
    private final MessageDigest digest;
    private final long total;
    private final ScenarioContext ctx;
    private long count;

    StreamDigest(long total, ScenarioContext ctx) throws NoSuchAlgorithmException {
        this.digest = MessageDigest.getInstance("SHA-256");
        this.total = total;
        this.ctx = ctx;
    }

    /** The seeded bytes a bulk workload sends: {@link SuiteSize#bulkBytes()} of them. */
    static byte[] payload(ScenarioContext ctx) {
        byte[] data = new byte[ctx.size().bulkBytes()];
        new SplittableRandom(ctx.seed()).nextBytes(data);
        return data;
    }

    /** Throws {@link IntegrityException} unless {@code got} is the SHA-256 of {@code sent}. */
    static void verify(byte[] sent, byte[] got) throws IntegrityException, NoSuchAlgorithmException {
        byte[] want = MessageDigest.getInstance("SHA-256").digest(sent);
        if (!Arrays.equals(want, got)) {
            throw new IntegrityException("SHA-256 differs: sent " + HexFormat.of().formatHex(want) + ", received "
                + HexFormat.of().formatHex(got));
        }
    }

    /** Consumes the next in-order run of the stream (reads {@code bytes} to its limit). */
    void accept(ByteBuffer bytes) {
        count += bytes.remaining();
        digest.update(bytes);
        if (count >= total / 3) {
            ctx.midway();
        }
        if (count > total) {
            done.completeExceptionally(new IntegrityException("received " + count + " bytes, sent " + total));
        } else if (count == total) {
            done.complete(digest.digest());
        }
    }
}
