package io.shoal.bench.jmh;

import io.shoal.rudp.cc.CongestionControl;
import io.shoal.rudp.kcp.KcpConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Application goodput of two engines joined in memory ({@link EnginePair}): stream mode, 4096-segment windows
 * (parameter {@code window}),
 * turbo timing, MTU 1400, ACKs without delay. One operation moves 1 MB (10^6 bytes) from A's application to B's,
 * so {@link #goodput} reads directly in MB/s and {@link #perSegment} in ns per full-size data segment.
 */
@State(Scope.Thread)
// Netty samples buffer allocations for leaks by default (a stack trace each): not part of what is measured.
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
// The engine pair needs about five seconds of JIT before its score settles (measured on a 2-core machine).
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 3, time = 1)
public class EnginePairBench {
    /** Bytes per operation: one decimal megabyte. */
    static final int BYTES_PER_OP = 1_000_000;
    /** Full segments in one operation at MTU 1400 (MSS 1376): ceil(10^6 / 1376). */
    static final int SEGMENTS_PER_OP = 727;

    @Param({"none", "bbr"})
    public String cc;

    /** Send and receive window in segments; override with {@code -p window=256} to see how cost scales with it. */
    @Param({"4096"})
    public int window;

    private EnginePair pair;

    @Setup(Level.Trial)
    public void setUp() {
        KcpConfig config = KcpConfig.turbo().toBuilder()
            .stream(true)
            .mtu(1400)
            .windows(window, window)
            .ackNoDelay(true)
            .flushOnAck(true)
            .congestionControl(CongestionControl.parse(cc))
            .build();
        pair = new EnginePair(config, 0x5348_4f41, 64 * 1024);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pair.close();
    }

    /** Score in ops/s = MB/s of application goodput. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long goodput() {
        return pair.transfer(BYTES_PER_OP);
    }

    /** Score in ns per data segment (one megabyte is {@value #SEGMENTS_PER_OP} full segments). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(SEGMENTS_PER_OP)
    public long perSegment() {
        return pair.transfer(BYTES_PER_OP);
    }
}
