package io.shoal.rudp.perf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.Future;
import io.shoal.rudp.kcp.KcpStats;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** One client's test on the server. Event-loop confined, like every listener. */
final class PerfServerSession implements PerfLink.Handler, PerfFrameDecoder.Sink {
    private static final long PROGRESS_PERIOD_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long DRAIN_CHECK_MS = 20;
    private static final int DRAIN_CHECKS = 250;
    private static final long MAX_OMIT_NS = TimeUnit.HOURS.toNanos(1);

    private final PerfLink connection;
    private final Consumer<String> log;
    private final PerfFrameDecoder decoder = new PerfFrameDecoder(this);
    private long omitNs;
    private long warmUpStartNs;
    private long firstDataNs;
    private long lastDataNs;
    private long bytes;
    private boolean ended;
    private Future<?> progress;
    private int drainChecksLeft = DRAIN_CHECKS;

    PerfServerSession(PerfLink connection, Consumer<String> log) {
        this.connection = connection;
        this.log = log;
    }

    @Override
    public void onMessage(ByteBuf data) {
        decoder.feed(data);
    }

    @Override
    public void onData(int n) {
        long now = System.nanoTime();
        if (warmUpStartNs == 0) {
            warmUpStartNs = now;
        }
        if (now - warmUpStartNs < omitNs) {
            return; // warm-up (JIT, ramp-up): not measured
        }
        if (firstDataNs == 0) {
            firstDataNs = now;
            progress = connection.executor().scheduleAtFixedRate(this::sendProgress, PROGRESS_PERIOD_NS,
                PROGRESS_PERIOD_NS, TimeUnit.NANOSECONDS);
        }
        lastDataNs = now;
        bytes += n;
    }

    @Override
    public void onControl(byte type, ByteBuf payload) {
        if (type == PerfWire.HELLO) {
            // An older client sends an empty HELLO: no warm-up. The bound keeps a hostile value harmless.
            omitNs = payload.readableBytes() == 8 ? Math.max(0, Math.min(MAX_OMIT_NS, payload.getLong(0))) : 0;
            connection.send(PerfWire.control(PooledByteBufAllocator.DEFAULT, PerfWire.WELCOME));
            connection.flush();
        } else if (type == PerfWire.END) {
            finish();

        } else {
            onProtocolError("unexpected frame '" + (char) type + "' from the client");
        }
    }

    @Override
    public void onProtocolError(String reason) {
        log.accept("perf: " + connection.remoteAddress() + " " + connection.id() + ": protocol error: " + reason);
        connection.close();
    }

    @Override
    public void onWritable() {
        // the server sends only small control frames
    }

    @Override
    public void onLinkDead() {
        // onClosed follows and reports it
    }

    @Override
    public void onClosed() {
        stopProgress();
        if (!ended) {
            log.accept("perf: " + connection.remoteAddress() + " went away after " + Units.bytes(bytes));
        }
    }

    private void sendProgress() {
        if (connection.isOpen()) {
            connection.send(PerfWire.counters(PooledByteBufAllocator.DEFAULT, PerfWire.PROGRESS, bytes,
                System.nanoTime() - firstDataNs));
            connection.flush();
        }
    }

    private void finish() {
        ended = true;
        stopProgress();
        long durationNs = bytes == 0 ? 0 : Math.max(1, lastDataNs - firstDataNs);
        connection.send(PerfWire.counters(PooledByteBufAllocator.DEFAULT, PerfWire.SUMMARY, bytes, durationNs));
        connection.flush();
        log.accept(String.format(Locale.ROOT, "perf: %s %s: received %s in %.2f s = %.2f Mbit/s",
            connection.remoteAddress(), connection.id(), Units.bytes(bytes),
            durationNs / 1e9, Units.mbps(bytes, durationNs)));
        closeWhenDrained();
    }

    /** KCP has no close handshake: keep the conversation until the summary is acknowledged, then free it. */
    private void closeWhenDrained() {
        if (!connection.isOpen()) {
            return;
        }
        KcpStats s = connection.stats();
        if ((s.inflightSegments() == 0 && s.sendQueueSegments() == 0) || --drainChecksLeft <= 0) {
            connection.close();
            return;
        }
        connection.executor().schedule(this::closeWhenDrained, DRAIN_CHECK_MS, TimeUnit.MILLISECONDS);
    }

    private void stopProgress() {
        if (progress != null) {
            progress.cancel(false);
            progress = null;
        }
    }
}
