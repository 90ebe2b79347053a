package io.shoal.rudp.session;

import io.shoal.rudp.packet.ResponderHandshake;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A fixed pool of daemon threads that run handshake Diffie-Hellman work ({@link ResponderHandshake#compute()}) for one
 * server socket, with a bounded queue: under a flood, work beyond {@code queueLimit} waiting jobs is refused
 * ({@link #submit} returns false) rather than queued without end. A finished job goes to {@code done}, called on the
 * worker thread, whose part is to hop back to the endpoint's thread (an event loop's {@code execute}, a queue).
 * Thread-safe. {@link #close()} stops the threads; jobs still queued are dropped (they hold no buffers).
 */
public final class HandshakeWorkers implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ThreadPoolExecutor pool;
    private final Consumer<ResponderHandshake> done;
    private final String threadNamePrefix;

    /**
     * @param threads worker threads, at least 1
     * @param queueLimit jobs waiting at most, at least 1
     * @param done receives each computed job, on the worker thread
     */
    public HandshakeWorkers(final int threads, final int queueLimit, final Consumer<ResponderHandshake> done) {
        if (threads < 1 || queueLimit < 1) {
            throw new IllegalArgumentException("threads and queueLimit must be positive");
        }
        this.done = done;
        final String prefix = "rudp-handshake-" + POOLS.incrementAndGet() + "-";
        this.threadNamePrefix = prefix;
        final AtomicInteger n = new AtomicInteger();
        final ThreadFactory factory = r -> {
            final Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueLimit), factory, new ThreadPoolExecutor.AbortPolicy());
    }

    /** @return an offload that runs jobs here and hands each back through {@code endpointThread} */
    public static HandshakeWorkers forEndpoint(final int threads, final int queueLimit, final Executor endpointThread,
                                               final Consumer<ResponderHandshake> onEndpointThread) {
        return new HandshakeWorkers(threads, queueLimit, job -> {
            try {
                endpointThread.execute(() -> onEndpointThread.accept(job));
            } catch (RejectedExecutionException e) {
                // the endpoint's thread has shut down: the socket is gone, and so is the handshake
            }
        });
    }

    /** @return the offload view: {@link #submit} */
    public HandshakeOffload offload() {
        return this::submit;
    }

    /** Queues {@code job}; @return false when the queue is full or the pool closed (the job is not run) */
    public boolean submit(final ResponderHandshake job) {
        try {
            pool.execute(() -> {
                job.compute();
                done.accept(job);
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** @return what this pool's thread names start with ({@code rudp-handshake-<pool>-}), e.g. to find their CPU time */
    public String threadNamePrefix() {
        return threadNamePrefix;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
