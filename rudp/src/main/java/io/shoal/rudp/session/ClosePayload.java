package io.shoal.rudp.session;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * The plaintext of a CLOSE packet: {@code kind (1) || UTF-8 reason (0..MAX_REASON_BYTES)}. Kind 0 is graceful (the
 * sender has flushed everything it will send and waits for the peer's CLOSE), 1 abortive (no answer expected).
 * Parsing never throws: anything unexpected is {@code null}.
 */
final class ClosePayload {
    static final int GRACEFUL = 0;
    static final int ABORT = 1;
    /** Longest reason carried; longer ones are cut (at a byte boundary, then decoded leniently). */
    static final int MAX_REASON_BYTES = 256;

    private ClosePayload() {
    }

    static void write(final ByteBuf out, final int kind, final String reason) {
        out.writeByte(kind);
        if (reason != null && !reason.isEmpty()) {
            final byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(utf8, 0, Math.min(utf8.length, MAX_REASON_BYTES));
        }
    }

    /** @return the kind, or -1 when the payload is not a CLOSE payload */
    static int kind(final ByteBuf payload) {
        final int len = payload.readableBytes();
        if (len < 1 || len > 1 + MAX_REASON_BYTES) {
            return -1;
        }
        final int kind = payload.getUnsignedByte(payload.readerIndex());
        return kind == GRACEFUL || kind == ABORT ? kind : -1;
    }

    /** @return the reason text (possibly empty) of a payload whose {@link #kind} is valid */
    static String reason(final ByteBuf payload) {
        return payload.toString(payload.readerIndex() + 1, payload.readableBytes() - 1, StandardCharsets.UTF_8);
    }
}
