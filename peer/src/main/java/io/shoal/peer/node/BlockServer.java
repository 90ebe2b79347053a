package io.shoal.peer.node;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.shoal.peer.wire.PeerMessage;
import io.shoal.peer.wire.PeerWireEncoder;

import java.util.concurrent.TimeUnit;

/**
 * The serving side of one {@link PeerSession}: requests wait in a bounded {@link ServeQueue} and are read from storage
 * only while the channel is writable and the upload limit allows, so a slow peer never makes us buffer piece data
 * (backpressure by writability). Blocks leave in batches: each piece message (header and block) is read straight into
 * one pooled direct buffer of up to {@link #BATCH_BYTES}, so the transport gets one write per batch instead of two
 * per block (on rudp each write is a KCP send and flush: fewer, fuller segments and datagrams). Event-loop confined.
 */
final class BlockServer {
    static final int SERVE_QUEUE = 512;
    /** Four 16 KiB blocks with their 13-byte headers. */
    static final int BATCH_BYTES = 4 * (13 + (16 << 10));

    private final PeerSession session;
    private final ServeQueue queue = new ServeQueue(SERVE_QUEUE);
    private final Runnable pumpTask = this::pump;
    private Torrent torrent;
    private int peer = -1;
    private boolean fast;
    private boolean pumpScheduled;

    BlockServer(PeerSession session) {
        this.session = session;
    }

    /** The peer joined {@code torrent} as swarm id {@code id}; {@code fast}: BEP 6 rejects are sent. */
    void joined(Torrent t, int id, boolean fastExtension) {
        this.torrent = t;
        this.peer = id;
        this.fast = fastExtension;
    }

    void onRequest(int piece, int begin, int length) {
        boolean ok = torrent.layout().blockAt(piece, begin, length) >= 0 && torrent.canServe(peer, piece)
            && queue.offer(piece, begin, length);
        if (!ok) {
            // BEP 6: a request we will not serve is rejected; without it, it is silently dropped.
            if (fast) {
                session.write(new PeerMessage.Reject(piece, begin, length));
            }
            return;
        }
        schedulePump();
    }

    void onCancel(int piece, int begin, int length) {
        queue.remove(piece, begin, length);
    }

    /** We choke the peer: its queued requests are dropped (rejected one by one with BEP 6). */
    void choke(boolean choke) {
        if (choke) {
            while (!queue.isEmpty()) {
                if (fast) {
                    session.write(new PeerMessage.Reject(queue.peekPiece(), queue.peekBegin(), queue.peekLength()));
                }
                queue.poll();
            }
            session.write(PeerMessage.Choke.INSTANCE);
        } else {
            session.write(PeerMessage.Unchoke.INSTANCE);
        }
    }

    void clear() {
        queue.clear();
    }

    void schedulePump() {
        if (!pumpScheduled && !session.isClosed()) {
            pumpScheduled = true;
            session.context().executor().execute(pumpTask);
        }
    }

    /** Serves queued requests while the channel takes more and the upload limit allows. */
    private void pump() {
        pumpScheduled = false;
        ChannelHandlerContext ctx = session.context();
        ByteBuf batch = null;
        while (!session.isClosed() && !queue.isEmpty() && ctx.channel().isWritable()) {
            int piece = queue.peekPiece();
            int begin = queue.peekBegin();
            int length = queue.peekLength();
            int messageBytes = 13 + length;
            if (batch != null && batch.writableBytes() < messageBytes) {
                ctx.write(batch, ctx.voidPromise()); // the channel's writability now counts it
                batch = null;
                continue;
            }
            long waitNs = torrent.uploads().waitNs(length);
            if (waitNs > 0) {
                pumpScheduled = true;
                ctx.executor().schedule(pumpTask, waitNs, TimeUnit.NANOSECONDS);
                break;
            }
            queue.poll();
            if (batch == null) {
                session.writeControl(); // control messages keep their order before the blocks
                batch = ctx.alloc().directBuffer(Math.max(BATCH_BYTES, messageBytes));
            }
            PeerWireEncoder.encodePieceHeader(piece, begin, length, batch);
            if (!torrent.uploads().readBlock(batch, piece, begin, length)) {
                batch.release();
                session.close(); // storage failed; the torrent has been marked failed
                return;
            }
            torrent.uploads().onBlockSent(peer, length);
        }
        if (batch != null) {
            ctx.write(batch, ctx.voidPromise());
        }
        session.flushNow();
    }
}
