package io.shoal.bench.tracker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * BEP 15 announce load from one UDP socket: connect once, then keep {@code depth} announces in flight, sending one
 * more for each reply, for a fixed time. Announces pick one of {@code torrents} info hashes and a random port (so the
 * swarms fill up with distinct peers) and ask for 50 peers. After 100 ms without a reply, the pipeline is assumed lost
 * and refilled; those are counted as lost. One thread, no allocation per request.
 */
public final class UdpAnnounceLoad {
    private static final long PROTOCOL_ID = 0x41727101980L;
    private static final long IDLE_REFILL_MS = 100;

    /** Replies per second and requests presumed lost. */
    public record Result(double announcesPerSec, long lost) {
    }

    private UdpAnnounceLoad() {
    }

    public static Result run(InetSocketAddress tracker, byte[][] hashes, int depth, long durationMs, long seed)
        throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        try (DatagramChannel ch = DatagramChannel.open(); Selector selector = Selector.open()) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            ch.connect(tracker);
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
            ByteBuffer out = ByteBuffer.allocateDirect(98);
            ByteBuffer in = ByteBuffer.allocateDirect(4096);
            long connectionId = connect(ch, selector, out, in);
            long replies = 0;
            long lost = 0;
            int inFlight = 0;
            long startNs = System.nanoTime();
            long endNs = startNs + TimeUnit.MILLISECONDS.toNanos(durationMs);
            while (true) {
                while (inFlight < depth) {
                    announce(ch, out, connectionId, hashes[random.nextInt(hashes.length)], random);
                    inFlight++;
                }
                in.clear();
                if (ch.read(in) <= 0) {
                    if (System.nanoTime() - endNs >= 0) {
                        break;
                    }
                    if (selector.select(IDLE_REFILL_MS) == 0) {
                        lost += inFlight;
                        inFlight = 0;
                    }
                    selector.selectedKeys().clear();
                    continue;
                }
                if (in.position() >= 20 && in.getInt(0) == 1) {
                    replies++;
                }
                inFlight--;
                if (System.nanoTime() - endNs >= 0) {
                    break;
                }
            }
            double seconds = (System.nanoTime() - startNs) / 1e9;
            return new Result(replies / seconds, lost);
        }
    }

    private static long connect(DatagramChannel ch, Selector selector, ByteBuffer out, ByteBuffer in)
        throws IOException {
        for (int attempt = 0; attempt < 10; attempt++) {
            out.clear();
            out.putLong(PROTOCOL_ID).putInt(0).putInt(attempt).flip();
            ch.write(out);
            long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            while (System.nanoTime() - deadlineNs < 0) {
                in.clear();
                if (ch.read(in) >= 16 && in.getInt(0) == 0 && in.getInt(4) == attempt) {
                    return in.getLong(8);
                }
                selector.select(50);
                selector.selectedKeys().clear();
            }
        }
        throw new IOException("no connect reply from " + ch.getRemoteAddress());
    }

    private static void announce(DatagramChannel ch, ByteBuffer out, long connectionId, byte[] hash,
                                 SplittableRandom random) throws IOException {
        out.clear();
        out.putLong(connectionId).putInt(1).putInt(random.nextInt()).put(hash);
        out.putLong(random.nextLong()).putLong(random.nextLong()).putInt(random.nextInt()); // peer id
        out.putLong(0).putLong(random.nextInt(2)).putLong(0); // downloaded, left (seeder or leecher), uploaded
        out.putInt(0).putInt(0).putInt(random.nextInt()).putInt(50).putShort((short) (1024 + random.nextInt(64000)));
        out.flip();
        ch.write(out);
    }
}
