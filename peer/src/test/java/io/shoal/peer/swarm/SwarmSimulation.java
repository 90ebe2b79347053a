package io.shoal.peer.swarm;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A seeded, virtual-time swarm: nodes running the real picker, pipeline, choker, limiter and bad-peer tracker,
 * connected in a full mesh. Messages are modelled, not encoded: control messages take the one-way delay of both ends;
 * a block also queues on the sender's upload link and the receiver's download link at their capacities. Block
 * content is a 64-bit token per block (the honest token is a function of the block index), expanded to real bytes
 * only when the bad-peer tracker needs to hash a piece.
 */
final class SwarmSimulation {
    /**
     * One node.
     *
     * @param seed             starts with every piece
     * @param upBytesPerSecond upload link capacity
     * @param downBytesPerSecond download link capacity
     * @param oneWayNs         delay from this node to the network core (RTT to another node = sum of both, twice)
     * @param corruptFraction  share of served blocks sent with wrong content (0 for honest nodes)
     * @param uploadLimitBytesPerSecond per-torrent upload limit (0 = unlimited), under an unlimited global bucket
     * @param picker           the node's picker configuration
     */
    record NodeSpec(boolean seed, long upBytesPerSecond, long downBytesPerSecond, long oneWayNs,
                    double corruptFraction, long uploadLimitBytesPerSecond, PickerConfig picker) {
        NodeSpec(boolean seed, long up, long down, long oneWayNs, double corruptFraction, long uploadLimit) {
            this(seed, up, down, oneWayNs, corruptFraction, uploadLimit, PickerConfig.rarestFirst());
        }
    }

    static final long SECOND = 1_000_000_000L;

    final SimClock clock = new SimClock();
    final BlockLayout layout;
    final List<SimNode> nodes = new ArrayList<>();
    final long seed;
    /** Seeds start in BEP 16 super-seeding. */
    final boolean superSeed;

    SwarmSimulation(BlockLayout layout, List<NodeSpec> specs, long seed) {
        this(layout, specs, seed, false);
    }

    SwarmSimulation(BlockLayout layout, List<NodeSpec> specs, long seed, boolean superSeed) {
        this.layout = layout;
        this.seed = seed;
        this.superSeed = superSeed;
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < specs.size(); i++) {
            nodes.add(new SimNode(this, i, address(i), specs.get(i), random.nextLong()));
        }
    }

    /** Connects every pair at a random time in the first second, then runs until all finish or the deadline. */
    boolean run(long deadlineNs) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (SimNode node : nodes) {
            node.start();
        }
        for (int a = 0; a < nodes.size(); a++) {
            for (int b = a + 1; b < nodes.size(); b++) {
                SimNode x = nodes.get(a);
                SimNode y = nodes.get(b);
                clock.at(random.nextLong(SECOND), () -> {
                    x.connect(y.id, y.address);
                    y.connect(x.id, x.address);
                });
            }
        }
        while (!allFinished() && clock.step(deadlineNs)) {
            // Events drive everything.
        }
        return allFinished();
    }

    boolean allFinished() {
        for (SimNode node : nodes) {
            if (!node.spec.seed() && !node.finished()) {
                return false;
            }
        }
        return true;
    }

    /** Delivers {@code action} at node {@code to} after the path delay, if the connection still exists there. */
    void send(SimNode from, int to, Consumer<SimNode> action) {
        SimNode target = nodes.get(to);
        int fromId = from.id;
        clock.at(clock.nowNs() + from.spec.oneWayNs() + target.spec.oneWayNs(), () -> {
            if (target.isConnected(fromId)) {
                action.accept(target);
            }
        });
    }

    /** The honest content token of {@code block}. */
    static long token(int block) {
        return block * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
    }

    /** Real bytes for a piece whose blocks carry {@code tokens}: each block is a stream seeded by its token. */
    ByteBuffer materialize(int piece, long[] tokens) {
        byte[] data = new byte[layout.pieceLength(piece)];
        int first = layout.firstBlock(piece);
        byte[] block = new byte[layout.blockBytes()];
        for (int b = 0; b < layout.blockCount(piece); b++) {
            new SplittableRandom(tokens[first + b]).nextBytes(block);
            int begin = b * layout.blockBytes();
            System.arraycopy(block, 0, data, begin, Math.min(block.length, data.length - begin));
        }
        return ByteBuffer.wrap(data);
    }

    static InetAddress address(int i) {
        try {
            return InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
