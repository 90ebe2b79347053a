package io.shoal.rudp.perf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Splits a perf byte stream into frames, whatever the chunking. DATA payloads are only counted; control payloads
 * (at most {@link PerfWire#MAX_CONTROL_PAYLOAD} bytes) are gathered and handed over whole. A bad type or length
 * puts the decoder in a failed state and reports it once: it never throws on peer input. Not thread-safe.
 */
final class PerfFrameDecoder {
    /** Receives decoded frames. */
    interface Sink {
        /** {@code bytes} more DATA payload bytes arrived. */
        void onData(int bytes);

        /** A whole control frame; {@code payload} is borrowed for the duration of the call. */
        void onControl(byte type, ByteBuf payload);

        /** The stream broke the protocol; no more calls follow. */
        void onProtocolError(String reason);
    }

    private final Sink sink;
    private final ByteBuf header = Unpooled.buffer(PerfWire.HEADER_BYTES, PerfWire.HEADER_BYTES);
    private final ByteBuf control = Unpooled.buffer(PerfWire.MAX_CONTROL_PAYLOAD, PerfWire.MAX_CONTROL_PAYLOAD);
    private byte type;
    private long remaining = -1; // -1 while reading a header
    private boolean failed;

    PerfFrameDecoder(Sink sink) {
        this.sink = sink;
    }

    /** Consumes every readable byte of {@code chunk} (borrowed; its reader index moves). */
    void feed(ByteBuf chunk) {
        while (!failed && chunk.isReadable()) {
            if (remaining < 0) {
                chunk.readBytes(header, Math.min(header.writableBytes(), chunk.readableBytes()));
                if (header.isWritable()) {
                    return;
                }
                startFrame();
                continue;
            }
            int n = (int) Math.min(remaining, chunk.readableBytes());
            if (type == PerfWire.DATA) {
                chunk.skipBytes(n);
                sink.onData(n);
            } else {
                chunk.readBytes(control, n);
            }
            remaining -= n;
            if (remaining == 0) {
                endFrame();
            }
        }
    }

    private void startFrame() {
        type = header.getByte(0);
        long length = header.getUnsignedInt(1);
        header.clear();
        if (!PerfWire.isKnown(type)) {
            fail("unknown frame type " + (type & 0xff));
            return;
        }
        if (type != PerfWire.DATA && length > PerfWire.MAX_CONTROL_PAYLOAD) {
            fail("control frame '" + (char) type + "' of " + length + " bytes");
            return;
        }
        remaining = length;
        if (remaining == 0) {
            endFrame();
        }
    }

    private void endFrame() {
        remaining = -1;
        if (type != PerfWire.DATA) {
            sink.onControl(type, control);
            control.clear();
        }
    }

    private void fail(String reason) {
        failed = true;
        sink.onProtocolError(reason);
    }
}
