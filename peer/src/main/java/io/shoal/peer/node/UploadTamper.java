package io.shoal.peer.node;

import io.netty.buffer.ByteBuf;

/**
 * Fault injection for tests: sees every block just before it is sent and may change its bytes in place (a node that
 * serves corrupt data). The default does nothing. Runs on the node's event loop.
 */
@FunctionalInterface
public interface UploadTamper {
    /** The identity tamper. */
    UploadTamper NONE = (piece, begin, block) -> { };

    /** @param block the block's bytes (readable region), owned by the caller; change them in place only */
    void beforeSend(int piece, int begin, ByteBuf block);
}
