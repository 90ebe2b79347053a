package io.shoal.bench.jmh;

import io.shoal.rudp.crypto.X25519Backend;
import io.shoal.rudp.crypto.X25519Ladder;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One X25519 operation, in ns: {@code ladder} is shoal's radix-2^51 {@link X25519Ladder} (what a handshake's DH
 * runs on), {@code bouncyCastle} is BouncyCastle's variable-base {@code X25519.scalarMult}, and {@code bouncyCastleBase}
 * its fixed-base {@code scalarMultBase}. {@code active} and {@code activeBase} are the same two operations on
 * {@link X25519Backend#active()}, what handshakes and key generation run on: libsodium when it loads, else the ladder
 * and BouncyCastle's fixed base ({@code BENCH_JAVA_OPTS=-Dshoal.crypto.native=false}; JMH's fork inherits it). A
 * server handshake costs three or four variable-base operations and one fixed-base one.
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class X25519Bench {
    private final byte[] scalar = new byte[32];
    private final byte[] point = new byte[32];
    private final byte[] out = new byte[32];

    @Setup(Level.Trial)
    public void setUp() {
        final Random random = new Random(1);
        random.nextBytes(scalar);
        random.nextBytes(point);
        point[31] &= 0x7F;
    }

    @Benchmark
    public byte[] ladder() {
        X25519Ladder.scalarMult(scalar, 0, point, 0, out, 0);
        return out;
    }

    @Benchmark
    public byte[] bouncyCastle() {
        X25519.scalarMult(scalar, 0, point, 0, out, 0);
        return out;
    }

    @Benchmark
    public byte[] bouncyCastleBase() {
        X25519.scalarMultBase(scalar, 0, out, 0);
        return out;
    }

    @Benchmark
    public byte[] active() {
        X25519Backend.active().scalarMult(scalar, 0, point, 0, out, 0);
        return out;
    }

    @Benchmark
    public byte[] activeBase() {
        X25519Backend.active().scalarMultBase(scalar, 0, out, 0);
        return out;
    }
}
