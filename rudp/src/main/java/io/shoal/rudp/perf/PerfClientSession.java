package io.shoal.rudp.perf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.Future;
import io.shoal.rudp.kcp.KcpStats;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The client's side of one test, on the socket's event loop: HELLO, wait for WELCOME, then DATA for as long as the
 * connection is writable until the warm-up and the measured time are up, then END, and wait for
 * SUMMARY. Samples the engine's smoothed RTT every 10 ms and prints a line per server PROGRESS frame.
 */
final class PerfClientSession implements PerfLink.Handler, PerfFrameDecoder.Sink {
    /** DATA frame payload; the same read-only bytes are sliced for every frame, never copied here. */
    static final int CHUNK_BYTES = 64 * 1024;
    private static final long RTT_SAMPLE_MS = 10;

    private final Consumer<String> progress;
    private final long durationNs;
    private final long omitNs;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    /** Allocated in {@link #start}, so a session whose connection never came up holds nothing. */
    private ByteBuf payload;
    private final PerfFrameDecoder decoder = new PerfFrameDecoder(this);
    private final RttHistogram rtt = new RttHistogram();
    private final CompletableFuture<Boolean> welcome = new CompletableFuture<>();
    private final CompletableFuture<long[]> summary = new CompletableFuture<>();
    private PerfLink connection;
    private Future<?> sampler;
    private long endAtNs;
    private long endSentNs;
    private boolean sending;
    private boolean ended;
    private long lastProgressBytes;
    private long lastProgressNs;
    private long lastRetransmits;
    /** Process CPU time when the warm-up ended; read by the client's thread after the summary. */
    private volatile long cpuAtMarkNs = -1;

    /**
     * @param durationNs how long the measured part lasts
     * @param omitNs how long to send first without measuring (warm-up); 0 for none
     */
    PerfClientSession(Consumer<String> progress, long durationNs, long omitNs) {
        this.progress = progress;
        this.durationNs = durationNs;
        this.omitNs = omitNs;
    }

    CompletableFuture<Boolean> welcome() {
        return welcome;
    }

    CompletableFuture<long[]> summary() {
        return summary;
    }

    /** Process CPU time (ns) at the end of the warm-up, or -1 if there was none. */
    long cpuAtMarkNs() {
        return cpuAtMarkNs;
    }

    RttHistogram rtt() {
        return rtt;
    }

    /** Sends HELLO (with the warm-up the server leaves out); called once, on the connection's event loop. */
    void start(PerfLink connection) {
        this.connection = connection;
        byte[] bytes = new byte[CHUNK_BYTES];
        new SplittableRandom(42).nextBytes(bytes); // incompressible, in case a relay compresses
        this.payload = alloc.directBuffer(CHUNK_BYTES).writeBytes(bytes).asReadOnly();
        connection.send(PerfWire.hello(alloc, omitNs));
        connection.flush();
    }

    @Override
    public void onMessage(ByteBuf data) {
        decoder.feed(data);
    }

    @Override
    public void onData(int bytes) {
        onProtocolError("the server sent DATA");
    }

    @Override
    public void onControl(byte type, ByteBuf p) {
        if (type == PerfWire.WELCOME && !sending) {
            startSending();
        } else if (type == PerfWire.PROGRESS && p.readableBytes() == 16) {
            printProgress(p.getLong(0), p.getLong(8));
        } else if (type == PerfWire.SUMMARY && p.readableBytes() == 16) {
            stopSampling();
            summary.complete(new long[] {p.getLong(0), p.getLong(8)});
        } else {
            onProtocolError("unexpected frame '" + (char) type + "' from the server");
        }
    }

    @Override
    public void onProtocolError(String reason) {
        fail("protocol error: " + reason);
        connection.close();
    }

    @Override
    public void onWritable() {
        pump();
    }

    @Override
    public void onLinkDead() {
        fail("the link to " + PerfClient.describe(connection.remoteAddress()) + " died (no acknowledgements)");
    }

    @Override
    public void onClosed() {
        stopSampling();
        if (payload != null) {
            payload.release();
            payload = null;
        }
        fail("connection closed before the summary arrived");
    }

    private void startSending() {
        sending = true;
        welcome.complete(Boolean.TRUE);
        endAtNs = System.nanoTime() + omitNs + durationNs;
        if (omitNs > 0) {
            connection.executor().schedule(this::mark, omitNs, TimeUnit.NANOSECONDS);
        }
        connection.executor().schedule(this::pump, omitNs + durationNs, TimeUnit.NANOSECONDS);
        // Fixed delay, not fixed rate: after a stall (GC, a descheduled loop) a fixed-rate task runs every missed
        // period back to back, and all those samples would carry the one srtt of that moment.
        sampler = connection.executor().scheduleWithFixedDelay(this::sampleRtt, RTT_SAMPLE_MS, RTT_SAMPLE_MS,
            TimeUnit.MILLISECONDS);
        pump();
    }

    /** Sends DATA while the connection takes it; sends END once time is up. */
    private void pump() {
        if (ended || !connection.isOpen()) {
            return;
        }
        if (System.nanoTime() - endAtNs >= 0) {
            ended = true;
            endSentNs = System.nanoTime();
            connection.send(PerfWire.control(alloc, PerfWire.END));
            connection.flush();
            return;
        }
        while (connection.isWritable() && !ended) {
            connection.send(PerfWire.header(alloc, PerfWire.DATA, CHUNK_BYTES));
            connection.send(payload.retainedSlice());
        }
        connection.flush();
    }

    /** Where the end of the test stands, for a failure message; on the connection's event loop. */
    String describeEnd() {
        return (ended ? "END sent " + (endSentNs - endAtNs) / 1_000_000 + " ms after time was up, "
            + (System.nanoTime() - endSentNs) / 1_000_000 + " ms ago"
            : "END not sent") + (connection.isOpen() ? "" : ", connection closed");
    }

    /** Ends the warm-up on the client's side: RTT samples and CPU time count from here, as the server's bytes do. */
    private void mark() {
        if (!ended && connection.isOpen()) {
            cpuAtMarkNs = PerfClient.processCpuNs();
            rtt.reset();
        }
    }

    private void sampleRtt() {
        if (connection.isOpen()) {
            rtt.record(connection.stats().srttMs());
        }
    }

    private void printProgress(long bytes, long elapsedNs) {
        KcpStats s = connection.stats();
        long retransmits = s.retransmits() + s.fastRetransmits();
        // cwnd and in flight at the end of the interval, in segments, as iperf3 shows its Cwnd column.
        progress.accept(String.format(Locale.ROOT,
            "[%6.2f-%6.2f s] %10s %10.2f Mbit/s  rtt %d ms  retrans %d  cwnd %d  in flight %d",
            lastProgressNs / 1e9, elapsedNs / 1e9, Units.bytes(bytes - lastProgressBytes),
            Units.mbps(bytes - lastProgressBytes, elapsedNs - lastProgressNs), s.srttMs(),
            retransmits - lastRetransmits, s.cwndSegments(), s.inflightSegments()));
        lastProgressBytes = bytes;
        lastProgressNs = elapsedNs;
        lastRetransmits = retransmits;
    }

    private void stopSampling() {
        if (sampler != null) {
            sampler.cancel(false);
            sampler = null;
        }
    }

    private void fail(String message) {
        welcome.completeExceptionally(new IllegalStateException(message));
        summary.completeExceptionally(new IllegalStateException(message));
    }
}
