package io.shoal.peer.node;

/** The transports a {@link PeerNode} listens on and dials with. */
public enum PeerTransport {
    /** Plain TCP: talks to any BitTorrent client. */
    TCP,
    /** Secure rudp (Noise + AEAD over UDP): between shoal peers, tried first when dialling. */
    RUDP
}
