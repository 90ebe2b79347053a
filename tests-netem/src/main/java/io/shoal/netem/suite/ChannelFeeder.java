package io.shoal.netem.suite;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * {@link StreamFeeder}'s counterpart for a Netty channel: writes a byte array in chunks from the channel's event loop
 * while the channel is writable and resumes when it becomes writable again, so the outbound buffer stays near its
 * high-water mark instead of holding the whole array. The array is wrapped, not copied: keep it unchanged until sent.
 * It holds at half the array until the scenario's mid-transfer toxics are in place ({@link MidwayGate}).
 */
final class ChannelFeeder extends ChannelInboundHandlerAdapter {
    private static final int CHUNK = 16_000;

    private final byte[] data;
    private final ScenarioContext ctx;
    private Channel channel;
    private MidwayGate gate;
    private int offset;

    ChannelFeeder(byte[] data, ScenarioContext ctx) {
        this.data = data;
        this.ctx = ctx;
    }

    /** Starts feeding {@code ch}, which must have this feeder in its pipeline. */
    void start(Channel ch) {
        ch.eventLoop().execute(() -> {
            channel = ch;
            gate = new MidwayGate(ctx, data.length, ch.eventLoop(), this::feed);
            feed();
        });
    }

    private void feed() {
        boolean wrote = false;
        int end = gate.sendableEnd();
        while (offset < end && channel.isWritable()) {
            int n = Math.min(CHUNK, end - offset);
            channel.write(Unpooled.wrappedBuffer(data, offset, n), channel.voidPromise());
            offset += n;
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (channel != null && ctx.channel().isWritable()) {
            feed();
        }
        ctx.fireChannelWritabilityChanged();
    }
}
