package io.shoal.peer.swarm;

import java.net.InetAddress;
import java.util.BitSet;
import java.util.SplittableRandom;

/** One simulated peer: wires the real swarm classes to modelled messages. Confined to the simulation's clock. */
final class SimNode implements Choker.Rates {
    private static final long TICK_NS = SwarmSimulation.SECOND;

    final SwarmSimulation sim;
    final int id;
    final InetAddress address;
    final SwarmSimulation.NodeSpec spec;
    final PiecePicker picker;
    final Choker choker;
    final RateLimiter limiter;
    final BadPeerTracker badPeers;
    final long[] tokens;
    private final SplittableRandom random;
    private final SimConnection[] connections;
    private final int[] picked = new int[256];
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
        this.picker = new PiecePicker(sim.layout, spec.picker(), random.nextLong());
        this.choker = new Choker(ChokerConfig.defaults(), random.nextLong());
        RateLimiter global = RateLimiter.unlimited();
        this.limiter = new RateLimiter(spec.uploadLimitBytesPerSecond(), 4L * BlockLayout.BLOCK_BYTES, global);
        this.badPeers = new BadPeerTracker(sim.layout, 0, 256);
        this.tokens = new long[sim.layout.blockSlots()];
        this.connections = new SimConnection[64];
        if (spec.seed()) {
            for (int p = 0; p < sim.layout.pieceCount(); p++) {
                picker.onPieceVerified(p);
            }
            for (int b = 0; b < tokens.length; b++) {
                tokens[b] = SwarmSimulation.token(b);
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
        if (!badPeers.onPeerConnected(remote, remoteAddress)) {
            return;
        }
        connections[remote] = new SimConnection(remote);
        picker.addPeer(remote);
        choker.addPeer(remote, sim.clock.nowNs());
        if (picker.isFinished()) {
            sim.send(this, remote, n -> n.onHaveAll(id));
        } else if (picker.haveCount() > 0) {
            BitSet have = new BitSet();
            for (int p = 0; p < sim.layout.pieceCount(); p++) {
                if (picker.have(p)) {
                    have.set(p);
                }
            }
            sim.send(this, remote, n -> n.onBitfield(id, have));
        }
    }

    // ---- messages in ---------------------------------------------------------------------------------------------

    private void onHaveAll(int from) {
        picker.onHaveAll(from);
        updateInterest(from);
    }

    private void onBitfield(int from, BitSet have) {
        picker.onBitfield(from, have);
        updateInterest(from);
    }

    private void onHave(int from, int piece) {
        picker.onHave(from, piece);
        updateInterest(from);
    }

    private void onInterested(int from, boolean interested) {
        connections[from].peerInterested = interested;
        boolean wasUnchoked = choker.isUnchoked(from);
        choker.onInterested(from, interested);
        // A slot that opens (free, or held by a peer that lost interest) is refilled now, not at the next rechoke.
        if (interested ? choker.unchokedCount() < choker.slots() : wasUnchoked) {
            rechoke();
        }
    }

    private void onChoke(int from, boolean choked) {
        SimConnection c = connections[from];
        c.peerChoking = choked;
        if (choked) {
            picker.onChoke(from, true); // no BEP 6 here: a choke drops every request
        } else {
            picker.onUnchoke(from);
            fillRequests(from);
        }
    }

    private void onRequest(int from, int block) {
        SimConnection c = connections[from];
        if (c.amChoking || c.toServe.size() >= SimConnection.MAX_SERVE_QUEUE
                || !picker.have(sim.layout.pieceOf(block))) {
            return;
        }
        c.toServe.add(block);
        pumpUpload();
    }

    private void onCancel(int from, int block) {
        connections[from].toServe.remove(block);
    }

    private void onBlock(int from, int block, long token) {
        long now = sim.clock.nowNs();
        SimConnection c = connections[from];
        int length = sim.layout.lengthOf(block);
        downloadedBytes += length;
        c.pipeline.onBlockReceived(length, now);
        c.pipeline.onRttSample(2 * (spec.oneWayNs() + sim.nodes.get(from).spec.oneWayNs()));
        choker.onBlockFrom(from, now);
        PiecePicker.BlockResult result = picker.onBlockReceived(from, block, now);
        for (int i = 0; i < picker.cancelCount(); i++) {
            int peer = picker.cancelPeer(i);
            sim.send(this, peer, n -> n.onCancel(id, block));
        }
        if (result != PiecePicker.BlockResult.DUPLICATE) {
            tokens[block] = token;
            badPeers.onBlockStored(from, block);
        }
        if (result == PiecePicker.BlockResult.PIECE_COMPLETE) {
            verify(sim.layout.pieceOf(block));
        }
        if (connections[from] != null) {
            fillRequests(from);
        }
    }

    // ---- decisions -----------------------------------------------------------------------------------------------

    private void verify(int piece) {
        int first = sim.layout.firstBlock(piece);
        boolean good = true;
        for (int b = first; b < first + sim.layout.blockCount(piece); b++) {
            good &= tokens[b] == SwarmSimulation.token(b);
        }
        if (good) {
            boolean compare = badPeers.needsDataOnPass(piece);
            picker.onPieceVerified(piece);
            banAll(badPeers.onPiecePassed(piece, compare ? sim.materialize(piece, tokens) : null));
            for (int remote = 0; remote < connections.length; remote++) {
                if (connections[remote] != null) {
                    sim.send(this, remote, n -> n.onHave(id, piece));
                    updateInterest(remote);
                }
            }
            if (picker.isFinished()) {
                finishedNs = sim.clock.nowNs();
            }
            if (picker.haveCount() <= sim.layout.pieceCount() / 4) {
                earlyFromFront += piece < sim.layout.pieceCount() / 4 ? 1 : 0;
            }
        } else {
            failedPieces++;
            picker.onPieceFailed(piece);
            banAll(badPeers.onPieceFailed(piece, sim.materialize(piece, tokens)));
            fillAll();
        }
    }

    private void banAll(int count) {
        for (int i = 0; i < count; i++) {
            disconnect(badPeers.newlyBanned(i));
        }
    }

    private void disconnect(int remote) {
        if (connections[remote] == null) {
            return;
        }
        connections[remote] = null;
        picker.onPeerGone(remote);
        choker.removePeer(remote);
        SimNode other = sim.nodes.get(remote);
        sim.clock.at(sim.clock.nowNs() + spec.oneWayNs() + other.spec.oneWayNs(), () -> other.onClosed(id));
    }

    private void onClosed(int remote) {
        if (connections[remote] != null) {
            connections[remote] = null;
            picker.onPeerGone(remote);
            choker.removePeer(remote);
        }
    }

    private void updateInterest(int remote) {
        SimConnection c = connections[remote];
        boolean want = picker.isInteresting(remote);
        if (c == null || want == c.amInterested) {
            return;
        }
        c.amInterested = want;
        choker.onWeAreInterested(remote, want, sim.clock.nowNs());
        sim.send(this, remote, n -> n.onInterested(id, want));
        if (want) {
            fillRequests(remote);
        }
    }

    private void fillRequests(int remote) {
        SimConnection c = connections[remote];
        if (c == null || c.peerChoking || !c.amInterested || picker.isFinished()) {
            return;
        }
        long now = sim.clock.nowNs();
        int room = Math.min(picked.length, c.pipeline.room(picker.outstanding(remote), now));
        int n = picker.pick(remote, c.pipeline.speedClass(now), room, now, picked);
        for (int i = 0; i < n; i++) {
            int block = picked[i];
            sim.send(this, remote, node -> node.onRequest(id, block));
        }
    }

    private void fillAll() {
        for (int remote = 0; remote < connections.length; remote++) {
            fillRequests(remote);
        }
    }

    private void tick() {
        long now = sim.clock.nowNs();
        for (int remote = 0; remote < connections.length; remote++) {
            SimConnection c = connections[remote];
            if (c == null) {
                continue;
            }
            long timeoutNs = c.pipeline.requestTimeoutNs(picker.outstanding(remote), now);
            int n = picker.expireRequests(remote, now - timeoutNs, picked);
            for (int i = 0; i < n; i++) {
                int block = picked[i];
                sim.send(this, remote, node -> node.onCancel(id, block));
            }
        }
        fillAll();
        if (choker.isRechokeDue(now)) {
            rechoke();
        }
        sim.clock.at(now + TICK_NS, this::tick);
    }

    private void rechoke() {
        choker.rechoke(sim.clock.nowNs(), picker.isFinished(), this);
        for (int i = 0; i < choker.changedCount(); i++) {
            int remote = choker.changedPeer(i);
            SimConnection c = connections[remote];
            boolean choke = !choker.isUnchoked(remote);
            c.amChoking = choke;
            if (choke) {
                c.toServe.clear();
            }
            sim.send(this, remote, n -> n.onChoke(id, choke));
        }
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
        long now = sim.clock.nowNs();
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
        c.uploadRate.onBytes(length, now);
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
        long now = sim.clock.nowNs();
        long doneNs = Math.max(now, downloadFreeNs)
                + sim.layout.lengthOf(block) * SwarmSimulation.SECOND / spec.downBytesPerSecond();
        downloadFreeNs = doneNs;
        sim.clock.at(doneNs, () -> {
            if (connections[from] != null) {
                onBlock(from, block, token);
            }
        });
    }

    @Override
    public long downloadBytesPerSecond(int peer) {
        SimConnection c = connections[peer];
        return c == null ? 0 : c.pipeline.downloadBytesPerSecond(sim.clock.nowNs());
    }

    @Override
    public long uploadBytesPerSecond(int peer) {
        SimConnection c = connections[peer];
        return c == null ? 0 : c.uploadRate.bytesPerSecond(sim.clock.nowNs());
    }
}
