package io.shoal.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.shoal.rudp.crypto.NoiseCipher;
import io.shoal.rudp.packet.OpenResult;
import io.shoal.rudp.packet.PacketProtection;
import io.shoal.rudp.packet.PacketProtectionConfig;
import io.shoal.rudp.packet.SealResult;
import io.shoal.rudp.packet.SecurePacketType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * {@link PacketProtection} on 1200-byte payloads (each Noise cipher: our ChaCha20-Poly1305 and the JDK's AES-256-GCM;
 * replay window, header),
 * in packets per second: {@code seal} alone, and {@code sealThenOpen}, one packet sealed and opened by the peer (open
 * needs a fresh packet number each time, so it is measured in the pair). Multiply by 9600 for bit/s of payload.
 * Pooled buffers, heap or direct.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SecurePacketBench {
    static final int PAYLOAD_BYTES = 1200;

    @Param({"heap", "direct"})
    public String buffers;

    @Param({"AES_128_GCM", "AES_256_GCM", "CHACHA20_POLY1305"})
    public String cipher;

    private PacketProtection sender;
    private PacketProtection receiver;
    private ByteBuf plaintext;
    private ByteBuf wire;
    private ByteBuf opened;

    @Setup(Level.Trial)
    public void setUp() {
        final byte[] k1 = new byte[32];
        final byte[] k2 = new byte[32];
        final Random random = new Random(1);
        random.nextBytes(k1);
        random.nextBytes(k2);
        final PacketProtectionConfig cfg = PacketProtectionConfig.defaults();
        final NoiseCipher noiseCipher = NoiseCipher.valueOf(cipher);
        sender = new PacketProtection(noiseCipher, k1, k2, 1, 2, cfg);
        receiver = new PacketProtection(noiseCipher, k2, k1, 2, 1, cfg);
        final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
        final boolean direct = "direct".equals(buffers);
        plaintext = direct ? alloc.directBuffer(PAYLOAD_BYTES) : alloc.heapBuffer(PAYLOAD_BYTES);
        final byte[] data = new byte[PAYLOAD_BYTES];
        random.nextBytes(data);
        plaintext.writeBytes(data);
        wire = direct ? alloc.directBuffer(1500) : alloc.heapBuffer(1500);
        opened = direct ? alloc.directBuffer(1500) : alloc.heapBuffer(1500);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        plaintext.release();
        wire.release();
        opened.release();
    }

    @Benchmark
    public SealResult seal() {
        return sender.seal(SecurePacketType.DATA, plaintext, wire.clear());
    }

    @Benchmark
    public OpenResult sealThenOpen() {
        sender.seal(SecurePacketType.DATA, plaintext, wire.clear());
        return receiver.open(wire, opened.clear(), 0);
    }
}
