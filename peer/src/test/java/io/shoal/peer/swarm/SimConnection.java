package io.shoal.peer.swarm;

import java.util.ArrayDeque;

/** The simulation's side of one connection: the requests waiting for the modelled upload link. */
final class SimConnection {
    static final int MAX_SERVE_QUEUE = 500;

    final int remote;
    final ArrayDeque<Integer> toServe = new ArrayDeque<>();

    SimConnection(int remote) {
        this.remote = remote;
    }
}
