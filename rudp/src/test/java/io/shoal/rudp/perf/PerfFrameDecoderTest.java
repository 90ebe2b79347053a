package io.shoal.rudp.perf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PerfFrameDecoderTest {
    private static final long SEED = Long.getLong("shoal.seed", 99L);

    /** Records what the decoder reports, as strings. */
    private static final class Recorder implements PerfFrameDecoder.Sink {
        final List<String> events = new ArrayList<>();
        long dataBytes;

        @Override
        public void onData(int bytes) {
            dataBytes += bytes;
        }

        @Override
        public void onControl(byte type, ByteBuf payload) {
            events.add((char) type + ":" + payload.readableBytes()
                + (payload.readableBytes() == 16 ? ":" + payload.getLong(0) + "/" + payload.getLong(8) : ""));
        }

        @Override
        public void onProtocolError(String reason) {
            events.add("error");
        }
    }

    @Test
    void shouldDecodeSameFramesWhenStreamIsSplitAnywhere() {
        ByteBuf stream = Unpooled.buffer();
        UnpooledByteBufAllocator alloc = UnpooledByteBufAllocator.DEFAULT;
        append(stream, PerfWire.control(alloc, PerfWire.HELLO));
        append(stream, PerfWire.hello(alloc, 1_000_000_000L));
        append(stream, PerfWire.header(alloc, PerfWire.DATA, 5000));
        stream.writeZero(5000);
        append(stream, PerfWire.counters(alloc, PerfWire.PROGRESS, 123, 456));
        append(stream, PerfWire.header(alloc, PerfWire.DATA, 0));
        append(stream, PerfWire.control(alloc, PerfWire.END));
        SplittableRandom random = new SplittableRandom(SEED);
        for (int round = 0; round < 200; round++) {
            Recorder r = new Recorder();
            PerfFrameDecoder decoder = new PerfFrameDecoder(r);
            ByteBuf copy = stream.duplicate();
            while (copy.isReadable()) {
                int n = Math.min(copy.readableBytes(), 1 + random.nextInt(round % 2 == 0 ? 7 : 3000));
                decoder.feed(copy.readSlice(n));
            }
            assertEquals(List.of("H:0", "H:8", "P:16:123/456", "E:0"), r.events, "round " + round + ", seed " + SEED);
            assertEquals(5000, r.dataBytes, "seed " + SEED);
        }
    }

    private static void append(ByteBuf stream, ByteBuf frame) {
        stream.writeBytes(frame);
        frame.release();
    }

    @Test
    void shouldReportOnceAndStopWhenFrameTypeIsUnknown() {
        Recorder r = new Recorder();
        PerfFrameDecoder decoder = new PerfFrameDecoder(r);
        decoder.feed(Unpooled.wrappedBuffer(new byte[] {'Z', 0, 0, 0, 0, 'H', 0, 0, 0, 0}));
        decoder.feed(Unpooled.wrappedBuffer(new byte[] {'H', 0, 0, 0, 0}));
        assertEquals(List.of("error"), r.events);
    }

    @Test
    void shouldRejectControlFrameWhenLengthExceedsLimit() {
        Recorder r = new Recorder();
        new PerfFrameDecoder(r).feed(Unpooled.buffer().writeByte(PerfWire.SUMMARY).writeInt(1 << 30));
        assertEquals(List.of("error"), r.events);
    }
}
