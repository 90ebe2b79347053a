package io.shoal.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shoal.rudp.kcp.InputResult;
import io.shoal.rudp.kcp.KcpConfig;
import io.shoal.rudp.kcp.KcpEngine;
import io.shoal.rudp.kcp.KcpSegmentCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Cost per segment of taking full datagrams of KCP segments into a {@link KcpEngine} and answering them, codec and
 * engine bookkeeping together ({@link SegmentCodecBench} measures the codec alone). Scores are ns per segment.
 *
 * <ul>
 *   <li>{@link #ackDatagramIn}: a 1400-byte datagram of 58 ACK segments into an engine with nothing in flight:
 *       header decode, conv/command checks, RTT update.</li>
 *   <li>{@link #pushInAckOut}: a datagram of 8 new 150-byte PUSH segments in, the ACK datagram out
 *       ({@code pollTransmit}), the bytes read: decode, receive-buffer insert, ACK encode, delivery.</li>
 * </ul>
 */
@State(Scope.Thread)
// Netty samples buffer allocations for leaks by default (a stack trace each): not part of what is measured.
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DatagramInputBench {
    // The same datagram shapes as the codec-only benchmark, so the two scores compare.
    static final int MTU = SegmentCodecBench.MTU;
    static final int ACKS_PER_DATAGRAM = SegmentCodecBench.ACKS;
    static final int PUSH_PAYLOAD_BYTES = SegmentCodecBench.PUSH_PAYLOAD_BYTES;
    static final int PUSHES_PER_DATAGRAM = SegmentCodecBench.PUSHES;
    private static final int CONV = 0x0b0e_0b0e;
    private static final long MS = 1_000_000L;

    private KcpEngine ackTarget;
    private KcpEngine receiver;
    private ByteBuf ackDatagram;
    private ByteBuf pushDatagram;
    private ByteBuf out;
    private ByteBuf sink;
    private byte[] pushPayload;
    private long nowNs;
    private int nextSn;

    @Setup(Level.Trial)
    public void setUp() {
        KcpConfig config = KcpConfig.turbo().toBuilder()
            .stream(true).mtu(MTU).windows(1024, 1024).ackNoDelay(true).build();
        ackTarget = new KcpEngine(CONV, config);
        receiver = new KcpEngine(CONV, config);
        ackDatagram = Unpooled.directBuffer(MTU);
        for (int i = 0; i < ACKS_PER_DATAGRAM; i++) {
            KcpSegmentCodec.encodeHeader(ackDatagram, CONV, KcpSegmentCodec.CMD_ACK, 0, 1024, 0, i, 0, 0);
        }
        pushDatagram = Unpooled.directBuffer(MTU);
        pushPayload = new byte[PUSH_PAYLOAD_BYTES];
        for (int i = 0; i < pushPayload.length; i++) {
            pushPayload[i] = (byte) (i * 31 + 7);
        }
        out = Unpooled.directBuffer(MTU);
        sink = Unpooled.directBuffer(64 * 1024);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ackTarget.close();
        receiver.close();
        ackDatagram.release();
        pushDatagram.release();
        out.release();
        sink.release();
    }

    @Benchmark
    @OperationsPerInvocation(ACKS_PER_DATAGRAM)
    public InputResult ackDatagramIn() {
        nowNs += MS;
        return ackTarget.handleDatagram(nowNs, ackDatagram);
    }

    @Benchmark
    @OperationsPerInvocation(PUSHES_PER_DATAGRAM)
    public int pushInAckOut() {
        nowNs += MS;
        int tsMs = (int) (nowNs / MS);
        pushDatagram.clear();
        for (int i = 0; i < PUSHES_PER_DATAGRAM; i++) {
            KcpSegmentCodec.encodeHeader(pushDatagram, CONV, KcpSegmentCodec.CMD_PUSH, 0, 1024, tsMs, nextSn + i, 0,
                PUSH_PAYLOAD_BYTES);
            pushDatagram.writeBytes(pushPayload);
        }
        nextSn += PUSHES_PER_DATAGRAM;
        receiver.handleDatagram(nowNs, pushDatagram);
        receiver.handleTimeout(nowNs); // what a driver does after input; a no-op unless a flush is due
        int ackBytes = 0;
        for (int n = receiver.pollTransmit(nowNs, out.clear()); n > 0; n = receiver.pollTransmit(nowNs, out.clear())) {
            ackBytes += n;
        }
        int readBytes = 0;
        for (int n = receiver.receive(sink.clear()); n > 0; n = receiver.receive(sink.clear())) {
            readBytes += n;
        }
        return ackBytes + readBytes;
    }
}
