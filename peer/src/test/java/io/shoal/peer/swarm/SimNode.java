package io.shoal.peer.swarm;

import java.net.InetAddress;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * One simulated peer: the real {@link TorrentSwarm} decides, this class carries its messages through the simulation
 * and models the node's upload and download links. Confined to the simulation's clock.
 */
final class SimNode implements TorrentSwarm.Outbox {
    private static final long TICK_NS = SwarmSimulation.SECOND;
    private static final int MAX_PEERS = 64;

    final SwarmSimulation sim;
    final int id;
    final InetAddress address;
    final SwarmSimulation.NodeSpec spec;
    final TorrentSwarm swarm;
    final PiecePicker picker;
    final BadPeerTracker badPeers;
    final RateLimiter limiter;
    final long[] tokens;
    private final SplittableRandom random;
    private final SimConnection[] connections;
    long uploadedBytes;
    long downloadedBytes;
    long finishedNs = -1;
    int failedPieces;
    /** Of the first quarter of the pieces we verified, how many lie in the first quarter of the file. */
    int earlyFromFront;
    private boolean uploadBusy;
    private boolean uploadWakeScheduled;
    private int serveCursor;
    private long downloadFreeNs;

    SimNode(SwarmSimulation sim, int id, InetAddress address, SwarmSimulation.NodeSpec spec, long seed) {
        this.sim = sim;
        this.id = id;
        this.address = address;
        this.spec = spec;
        this.random = new SplittableRandom(seed);
        this.swarm = new TorrentSwarm(sim.layout, spec.picker(), ChokerConfig.defaults(), MAX_PEERS, null,
            random.nextLong(), random.nextLong(), this);
        this.picker = swarm.picker();
        this.badPeers = swarm.badPeers();
        RateLimiter global = RateLimiter.unlimited();
        this.limiter = new RateLimiter(spec.uploadLimitBytesPerSecond(), 4L * BlockLayout.BLOCK_BYTES, global);
        this.tokens = new long[sim.layout.blockSlots()];
        this.connections = new SimConnection[MAX_PEERS];
        if (spec.seed()) {
            for (int p = 0; p < sim.layout.pieceCount(); p++) {
                swarm.havePiece(p);
            }
            for (int b = 0; b < tokens.length; b++) {
                tokens[b] = SwarmSimulation.token(b);
            }
            if (sim.superSeed) {
                swarm.superSeed(random.nextLong());
            }
        }
    }

    boolean finished() {
        return picker.isFinished();
    }

    boolean isConnected(int remote) {
        return connections[remote] != null;
    }

    void start() {
        sim.clock.at(TICK_NS, this::tick);
    }

    void connect(int remote, InetAddress remoteAddress) {
        if (!swarm.connect(remote, remoteAddress, sim.clock.nowNs())) {
            return;
        }
        connections[remote] = new SimConnection(remote);
        if (swarm.hidesPieces()) {
            // BEP 16: no bitfield at all; pieces are revealed by HAVE.
        } else if (picker.isFinished()) {
            sim.send(this, remote, n -> n.swarm.onHaveAll(id, n.now()));
        } else if (picker.haveCount() > 0) {
            BitSet have = swarm.havePieces();
            sim.send(this, remote, n -> n.swarm.onBitfield(id, have, n.now()));
        }
        swarm.onOpeningSent(remote, now());
    }

    private long now() {
        return sim.clock.nowNs();
    }

    // ---- the swarm's decisions, carried by the simulation ---------------------------------------------------------

    @Override
    public void sendHave(int peer, int piece) {
        sim.send(this, peer, n -> n.swarm.onHave(id, piece, n.now()));
    }

    @Override
    public void sendInterested(int peer, boolean interested) {
        sim.send(this, peer, n -> n.swarm.onInterested(id, interested, n.now()));
    }

    @Override
    public void sendChoke(int peer, boolean choke) {
        if (choke) {
            connections[peer].toServe.clear();
        }
        // No BEP 6 here: a choke drops every request.
        sim.send(this, peer, n -> n.swarm.onChoke(id, choke, true, n.now()));
    }

    @Override
    public void sendRequest(int peer, int block) {
        sim.send(this, peer, n -> n.onRequest(id, block));
    }

    @Override
    public void sendCancel(int peer, int block) {
        sim.send(this, peer, n -> n.onCancel(id, block));
    }

    @Override
    public void disconnect(int peer) {
        if (connections[peer] == null) {
            return;
        }
        connections[peer] = null;
        SimNode other = sim.nodes.get(peer);
        sim.clock.at(now() + spec.oneWayNs() + other.spec.oneWayNs(), () -> other.onClosed(id));
    }

    private void onClosed(int remote) {
        if (connections[remote] != null) {
            connections[remote] = null;
            swarm.onPeerGone(remote);
        }
    }

    // ---- data ----------------------------------------------------------------------------------------------------

    private void onRequest(int from, int block) {
        SimConnection c = connections[from];
        if (!swarm.canServe(from, sim.layout.pieceOf(block)) || c.toServe.size() >= SimConnection.MAX_SERVE_QUEUE) {
            return;
        }
        c.toServe.add(block);
        pumpUpload();
    }

    private void onCancel(int from, int block) {
        connections[from].toServe.remove(block);
    }

    private void onBlock(int from, int block, long token) {
        long now = now();
        downloadedBytes += sim.layout.lengthOf(block);
        swarm.link(from).pipeline().onRttSample(2 * (spec.oneWayNs() + sim.nodes.get(from).spec.oneWayNs()));
        PiecePicker.BlockResult result = swarm.onBlock(from, block, now);
        if (result != PiecePicker.BlockResult.DUPLICATE) {
            tokens[block] = token;
        }
        if (result == PiecePicker.BlockResult.PIECE_COMPLETE) {
            verify(sim.layout.pieceOf(block));
        }
        if (connections[from] != null) {
            swarm.fillRequests(from, now);
        }
    }

    private void verify(int piece) {
        int first = sim.layout.firstBlock(piece);
        boolean good = true;
        for (int b = first; b < first + sim.layout.blockCount(piece); b++) {
            good &= tokens[b] == SwarmSimulation.token(b);
        }
        if (good) {
            boolean compare = swarm.needsDataOnPass(piece);
            swarm.onPieceVerified(piece, compare ? sim.materialize(piece, tokens) : null, now());
            if (picker.isFinished()) {
                finishedNs = now();
            }
            if (picker.haveCount() <= sim.layout.pieceCount() / 4) {
                earlyFromFront += piece < sim.layout.pieceCount() / 4 ? 1 : 0;
            }
        } else {
            failedPieces++;
            swarm.onPieceFailed(piece, sim.materialize(piece, tokens), now());
        }
    }

    private void tick() {
        swarm.tick(now());
        sim.clock.at(now() + TICK_NS, this::tick);
    }

    // ---- upload link ---------------------------------------------------------------------------------------------

    private void pumpUpload() {
        if (uploadBusy) {
            return;
        }
        SimConnection c = nextToServe();
        if (c == null) {
            return;
        }
        long now = now();
        int block = c.toServe.peek();
        int length = sim.layout.lengthOf(block);
        if (!limiter.tryAcquire(length, now)) {
            if (!uploadWakeScheduled) {
                uploadWakeScheduled = true;
                sim.clock.at(limiter.nextAvailableNs(length, now), () -> {
                    uploadWakeScheduled = false;
                    pumpUpload();
                });
            }
            return;
        }
        c.toServe.poll();
        uploadBusy = true;
        uploadedBytes += length;
        swarm.onBlockSent(c.remote, length, now);
        long token = random.nextDouble() < spec.corruptFraction() ? ~tokens[block] : tokens[block];
        int remote = c.remote;
        sim.clock.at(now + length * SwarmSimulation.SECOND / spec.upBytesPerSecond(), () -> {
            uploadBusy = false;
            sim.send(this, remote, n -> n.arrive(id, block, token));
            pumpUpload();
        });
    }

    /** Round robin over connections with queued requests, so one greedy peer cannot take the whole link. */
    private SimConnection nextToServe() {
        for (int i = 0; i < connections.length; i++) {
            int remote = (serveCursor + i) % connections.length;
            SimConnection c = connections[remote];
            if (c != null && !c.toServe.isEmpty()) {
                serveCursor = remote + 1;
                return c;
            }
        }
        return null;
    }

    /** A block reached our download link: it is delivered once the link has carried it. */
    private void arrive(int from, int block, long token) {
        long now = now();
        long doneNs = Math.max(now, downloadFreeNs)
            + sim.layout.lengthOf(block) * SwarmSimulation.SECOND / spec.downBytesPerSecond();
        downloadFreeNs = doneNs;
        sim.clock.at(doneNs, () -> {
            if (connections[from] != null) {
                onBlock(from, block, token);
            }
        });
    }
}
