package io.shoal.peer.metadata;

import io.shoal.peer.wire.ExtendedHandshake;
import io.shoal.peer.wire.PeerMessage;

import java.util.Map;

/**
 * The serving side of BEP 9 inside one peer connection, as the smallest hook a session needs: what to advertise in
 * our BEP 10 handshake ({@link #advertised()}, {@link #metadataSizeBytes()}), the peer's handshake
 * ({@link #onHandshake}), and an answer for each {@code ut_metadata} message sent to us ({@link #onExtended}).
 *
 * <p>Answers per connection are capped at {@link #answerBudget(int)}: BEP 9 lets a peer reject a flood, and a peer
 * that asks for every piece many times over only gets rejects, so one connection cannot make us copy out megabytes.
 * One instance per connection, used on its event loop.
 */
public final class MetadataExtension {
    /** The extended id we ask peers to use for {@code ut_metadata} messages sent to us. */
    public static final int LOCAL_ID = 3;

    private final MetadataServer server;
    private int remoteId;
    private int answersLeft;

    /** Serves {@code server}'s metadata on one connection. */
    public MetadataExtension(MetadataServer server) {
        this.server = server;
        this.answersLeft = answerBudget(MetadataCodec.pieceCount(server.sizeBytes()));
    }

    /** Answers allowed on one connection: every piece twice, plus a little slack. */
    static int answerBudget(int pieces) {
        return 2 * pieces + 8;
    }

    /** The {@code m} entries to merge into our BEP 10 handshake. */
    public static Map<String, Integer> advertised() {
        return Map.of(MetadataCodec.EXTENSION, LOCAL_ID);
    }

    /** The {@code metadata_size} for our BEP 10 handshake. */
    public long metadataSizeBytes() {
        return server.sizeBytes();
    }

    /** Remembers which id the peer wants {@code ut_metadata} messages on (0: it does not speak BEP 9). */
    public void onHandshake(ExtendedHandshake handshake) {
        Integer id = handshake.extensions().get(MetadataCodec.EXTENSION);
        remoteId = id == null ? 0 : id;
    }

    /**
     * Handles an extended message sent to us.
     *
     * @return the message to send back (a data or reject), or {@code null} when there is nothing to send: not a
     *     {@code ut_metadata} message, not a request, malformed, or the peer never told us its id
     */
    public PeerMessage.Extended onExtended(PeerMessage.Extended message) {
        if (message.extendedId() != LOCAL_ID || remoteId == 0) {
            return null;
        }
        MetadataCodec.Decoded d = MetadataCodec.decode(message.payload());
        if (!(d.message() instanceof MetadataMessage.Request r)) {
            return null;
        }
        MetadataMessage reply = answersLeft > 0 ? server.respond(r.piece()) : new MetadataMessage.Reject(r.piece());
        answersLeft--;
        return new PeerMessage.Extended(remoteId, MetadataCodec.encode(reply));
    }
}
