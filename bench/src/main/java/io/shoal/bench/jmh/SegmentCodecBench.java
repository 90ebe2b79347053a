package io.shoal.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shoal.rudp.kcp.InputResult;
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
 * {@link KcpSegmentCodec} alone on full 1400-byte datagrams, in ns per segment: 58 ACK segments (header only) or
 * 8 PUSH segments of 150 bytes. Encoding writes headers (and copies payloads) into a reused direct buffer; decoding
 * walks the datagram with the engine's allocation-free accessors ({@code check}, then every header field).
 */
@State(Scope.Thread)
// Netty samples buffer allocations for leaks by default (a stack trace each): not part of what is measured.
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SegmentCodecBench {
    static final int MTU = 1400;
    static final int ACKS = MTU / KcpSegmentCodec.HEADER_LENGTH; // 58
    static final int PUSH_PAYLOAD_BYTES = 150;
    static final int PUSHES = MTU / (KcpSegmentCodec.HEADER_LENGTH + PUSH_PAYLOAD_BYTES); // 8
    private static final int CONV = 0x0b0e_0b0e;

    private ByteBuf out;
    private ByteBuf payload;
    private ByteBuf ackDatagram;
    private ByteBuf pushDatagram;
    private int sn;

    @Setup(Level.Trial)
    public void setUp() {
        out = Unpooled.directBuffer(MTU);
        payload = Unpooled.directBuffer(PUSH_PAYLOAD_BYTES);
        for (int i = 0; i < PUSH_PAYLOAD_BYTES; i++) {
            payload.writeByte(i * 31 + 7);
        }
        ackDatagram = Unpooled.directBuffer(MTU);
        writeAcks(ackDatagram);
        pushDatagram = Unpooled.directBuffer(MTU);
        writePushes(pushDatagram);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        out.release();
        payload.release();
        ackDatagram.release();
        pushDatagram.release();
    }

    @Benchmark
    @OperationsPerInvocation(ACKS)
    public int encodeAcks() {
        writeAcks(out.clear());
        return out.writerIndex();
    }

    @Benchmark
    @OperationsPerInvocation(PUSHES)
    public int encodePushes() {
        writePushes(out.clear());
        return out.writerIndex();
    }

    @Benchmark
    @OperationsPerInvocation(ACKS)
    public long decodeAcks() {
        return decode(ackDatagram);
    }

    @Benchmark
    @OperationsPerInvocation(PUSHES)
    public long decodePushes() {
        return decode(pushDatagram);
    }

    private void writeAcks(ByteBuf dst) {
        int base = sn++;
        for (int i = 0; i < ACKS; i++) {
            KcpSegmentCodec.encodeHeader(dst, CONV, KcpSegmentCodec.CMD_ACK, 0, 1024, base, base + i, base, 0);
        }
    }

    private void writePushes(ByteBuf dst) {
        int base = sn++;
        for (int i = 0; i < PUSHES; i++) {
            KcpSegmentCodec.encodeHeader(dst, CONV, KcpSegmentCodec.CMD_PUSH, 0, 1024, base, base + i, base,
                PUSH_PAYLOAD_BYTES);
            dst.writeBytes(payload, payload.readerIndex(), PUSH_PAYLOAD_BYTES);
        }
    }

    /** Walks every segment as the engine's input loop does; folds the fields so none is optimised away. */
    private static long decode(ByteBuf datagram) {
        long fold = 0;
        int index = datagram.readerIndex();
        int end = datagram.writerIndex();
        while (end - index >= KcpSegmentCodec.HEADER_LENGTH) {
            if (KcpSegmentCodec.check(datagram, index, end - index) != InputResult.ACCEPTED) {
                return -1;
            }
            fold = fold * 31 + KcpSegmentCodec.conv(datagram, index) + KcpSegmentCodec.cmd(datagram, index)
                + KcpSegmentCodec.frg(datagram, index) + KcpSegmentCodec.wnd(datagram, index)
                + KcpSegmentCodec.ts(datagram, index) + KcpSegmentCodec.sn(datagram, index)
                + KcpSegmentCodec.una(datagram, index);
            index += KcpSegmentCodec.HEADER_LENGTH + (int) KcpSegmentCodec.len(datagram, index);
        }
        return fold;
    }
}
