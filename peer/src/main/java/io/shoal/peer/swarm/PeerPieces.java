package io.shoal.peer.swarm;

import java.util.BitSet;

/** What the picker knows about one connected peer: its pieces, allowed-fast set, choke state and our requests. */
final class PeerPieces {
    final BitSet has = new BitSet();
    /** BEP 6 allowed-fast pieces: requestable even while the peer chokes us. */
    final BitSet allowedFast = new BitSet();
    final PeerRequests requests = new PeerRequests();
    boolean seed;
    boolean chokingUs = true;
    /** Pieces this peer has that we do not: the peer is interesting while this is above zero (or it is a seed). */
    int wantedFromIt;

    boolean hasPiece(int piece) {
        return seed || has.get(piece);
    }
}
