package io.shoal.netem;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The delay line on a real event loop: arrival order, FIFO among equal times, bounds, and buffer ownership. */
class DelayLineTest {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final List<Integer> delivered = new ArrayList<>();
    private final List<ByteBuf> buffers = new ArrayList<>();
    private final List<Long> deliveredAtNs = new ArrayList<>();
    private int flushes;
    private final DelayLine.Output output = new DelayLine.Output() {
        @Override
        public void deliver(ByteBuf datagram, UdpSession session, boolean toUpstream, long dueNs) {
            delivered.add(datagram.getInt(0));
            deliveredAtNs.add(System.nanoTime());
            datagram.release();
        }

        @Override
        public void flush() {
            flushes++;
        }
    };

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        for (ByteBuf b : buffers) {
            assertEquals(0, b.refCnt(), "every datagram is delivered or released");
        }
    }

    private <T> T onLoop(Callable<T> c) throws Exception {
        return loop.submit(c).get();
    }

    private ByteBuf datagram(int id) {
        ByteBuf b = Unpooled.buffer(8).writeInt(id).writeInt(0);
        buffers.add(b);
        return b;
    }

    @Test
    void shouldDeliverInArrivalOrderAndFifoAmongEqualTimes() throws Exception {
        DelayLine line = new DelayLine(loop, output, 1024, 1 << 20, 0, 0);
        long base = System.nanoTime() + 20_000_000L;
        SplittableRandom random = new SplittableRandom(ApiServer.SEED);
        int[] offsetsMs = new int[200];
        onLoop(() -> {
            for (int i = 0; i < offsetsMs.length; i++) {
                offsetsMs[i] = random.nextInt(10); // many equal times
                line.add(base + offsetsMs[i] * 1_000_000L, datagram(i), null, true);
            }
            return null;
        });
        Await.until("200 deliveries", 10_000, () -> onLoopQuiet(() -> delivered.size()) == 200);
        List<Integer> got = onLoop(() -> new ArrayList<>(delivered));
        for (int i = 1; i < got.size(); i++) {
            int a = got.get(i - 1);
            int b = got.get(i);
            assertTrue(offsetsMs[a] < offsetsMs[b] || (offsetsMs[a] == offsetsMs[b] && a < b),
                "out of order at " + i + ": " + got);
        }
    }

    /** With and without the spin before a release: the timer then fires 1 ms early and the loop waits the rest. */
    @ParameterizedTest
    @ValueSource(longs = {0L, 1_000_000L})
    void shouldReleaseABatchWithOneFlushWhenDueTimesFallInTheWindow(long spinNs) throws Exception {
        long windowNs = 5_000_000L;
        DelayLine line = new DelayLine(loop, output, 1024, 1 << 20, windowNs, spinNs);
        long base = System.nanoTime() + 20_000_000L;
        long[] dueNs = new long[10];
        onLoop(() -> {
            for (int i = 0; i < dueNs.length; i++) {
                dueNs[i] = base + i * 200_000L; // 10 datagrams 0.2 ms apart: all inside one 5 ms window
                line.add(dueNs[i], datagram(i), null, true);
            }
            return null;
        });
        Await.until("10 deliveries", 10_000, () -> onLoopQuiet(() -> delivered.size()) == 10);
        assertEquals(1, onLoop(() -> flushes), "one timer wake-up, one flush for the whole batch");
        List<Long> at = onLoop(() -> new ArrayList<>(deliveredAtNs));
        for (int i = 0; i < dueNs.length; i++) {
            assertTrue(at.get(i) - dueNs[delivered.get(i)] >= 0, "released before its time: " + i);
            // The batch leaves at the window's end, not before, whether the loop slept or spun to it.
            assertTrue(at.get(i) - (dueNs[0] + windowNs) >= 0, "released before the batch window ended: " + i);
        }
    }

    @Test
    void shouldDropAndCountBeyondItsBounds() throws Exception {
        DelayLine line = new DelayLine(loop, output, 4, 20, 0, 0);
        long later = System.nanoTime() + 60_000_000_000L;
        onLoop(() -> {
            for (int i = 0; i < 3; i++) {
                line.add(later, datagram(i), null, false); // 3 x 8 bytes: the third exceeds 20 bytes
            }
            return null;
        });
        assertEquals(2, onLoop(line::size));
        assertEquals(1L, onLoop(line::droppedOverflow));
        onLoop(() -> {
            line.clear();
            return null;
        });
        assertEquals(0, onLoop(line::size));
    }

    private <T> T onLoopQuiet(Callable<T> c) {
        try {
            return onLoop(c);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
