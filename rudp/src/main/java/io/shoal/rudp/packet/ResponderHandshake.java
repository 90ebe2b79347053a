package io.shoal.rudp.packet;

import io.shoal.rudp.crypto.CipherState;
import io.shoal.rudp.crypto.HandshakePattern;
import io.shoal.rudp.crypto.HandshakeState;
import io.shoal.rudp.crypto.NoiseCipher;
import io.shoal.rudp.crypto.NoiseException;

import java.net.InetSocketAddress;
import java.security.SecureRandom;

/**
 * The expensive half of a handshake step {@link SecureResponder} admitted: for an INITIATION, reading Noise message 1
 * and writing message 2 (the responder's Diffie-Hellman work and key generation, ~90% of a handshake's CPU), and for
 * patterns that end there (IK) splitting the session keys; for an XX FINISH, reading message 3 (one more
 * Diffie-Hellman) and splitting the keys. {@link #compute()} may run on any thread, once; it touches
 * nothing shared but the identity's thread-safe static-DH cache and a thread-safe {@link SecureRandom}. The
 * responder's thread then takes the result back with {@link SecureResponder#finishInitiation}; handing the object
 * between threads through a queue or executor (a happens-before edge) is the caller's part.
 */
public final class ResponderHandshake {
    final long initiatorId;
    final long localId;
    final InetSocketAddress from;
    private final HandshakePattern pattern;
    private final NoiseCipher cipher;
    /** The initiation's suite byte (pattern, cipher, fallback flag); -1 for a FINISH. */
    private final int suite;
    /** Message 1 (an initiation), or message 3 (a FINISH, {@link #finish}). */
    private final byte[] message;
    private final SecureHandshakeConfig config;
    private final SecureRandom random;
    final boolean finish;
    HandshakeState noise;
    byte[] response;
    CipherState[] split;
    boolean failed;

    /** The INITIATION step; {@code suite} is the initiation's suite byte, bound into the prologue as it was sent. */
    ResponderHandshake(final int suite, final long initiatorId, final long localId, final InetSocketAddress from,
                       final byte[] msg1, final SecureHandshakeConfig config, final SecureRandom random) {
        this.suite = suite;
        this.pattern = HandshakeCodec.pattern(suite);
        this.cipher = HandshakeCodec.cipher(suite);
        this.initiatorId = initiatorId;
        this.localId = localId;
        this.from = from;
        this.message = msg1;
        this.config = config;
        this.random = random;
        this.finish = false;
    }

    /** The FINISH step of a half-open XX handshake: {@code noise} (taken from the responder) reads {@code msg3}. */
    ResponderHandshake(final HandshakeState noise, final long initiatorId, final long localId,
                       final InetSocketAddress from, final byte[] msg3) {
        this.pattern = noise.pattern();
        this.cipher = noise.cipher();
        this.suite = -1;
        this.initiatorId = initiatorId;
        this.localId = localId;
        this.from = from;
        this.message = msg3;
        this.config = null;
        this.random = null;
        this.finish = true;
        this.noise = noise;
    }

    /** @return the connection id this side chose: the id the initiator's DATA will carry */
    public long localConnectionId() {
        return localId;
    }

    /** @return true for the work of a handshake's last message (XX's FINISH), after which the initiator sends DATA */
    public boolean isFinish() {
        return finish;
    }

    /** @return where the initiation came from: the RESPONSE goes there */
    public InetSocketAddress from() {
        return from;
    }

    /** Runs the Diffie-Hellman work; never throws (a message that fails authentication marks the job failed). */
    public void compute() {
        if (finish) {
            try {
                noise.readMessage(message);
                split = noise.split();
            } catch (NoiseException e) {
                failed = true;
            }
            return;
        }
        final HandshakeState n = new HandshakeState(pattern, false, cipher, config.hash(),
                HandshakeCodec.prologue(suite, initiatorId),
                config.identity().keyPair(), null,
                config.psk(), random);
        try {
            n.readMessage(message);
            final byte[] idBytes = new byte[HandshakeCodec.CONNECTION_ID_BYTES];
            PacketProtection.putLong(idBytes, 0, localId);
            final byte[] msg2 = n.writeMessage(idBytes);
            final byte[] r = new byte[HandshakeCodec.REPLY_HEADER_BYTES + msg2.length];
            r[0] = (byte) SecurePacketType.RESPONSE.firstByte(0);
            PacketProtection.putLong(r, 1, initiatorId);
            System.arraycopy(msg2, 0, r, HandshakeCodec.REPLY_HEADER_BYTES, msg2.length);
            if (n.isComplete()) {
                split = n.split();
            }
            noise = n;
            response = r;
        } catch (NoiseException e) {
            failed = true;
        }
    }
}
