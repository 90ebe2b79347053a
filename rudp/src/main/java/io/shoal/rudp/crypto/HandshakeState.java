package io.shoal.rudp.crypto;

import io.shoal.rudp.crypto.HandshakePattern.Token;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The Noise {@code HandshakeState} (spec section 5.3) for the {@link HandshakePattern}s shoal uses, over X25519,
 * a {@link NoiseCipher} and a {@link NoiseHash}. Call {@link #writeMessage} and {@link #readMessage} alternately in the
 * pattern's order; when {@link #isComplete()} turns true, {@link #split()} yields the transport cipher states.
 * Failures raise {@link NoiseException} and leave the object unusable: a failed handshake is abandoned, never
 * retried on the same state. One thread only.
 */
public final class HandshakeState {
    /** Largest Noise message (spec section 3). */
    public static final int MAX_MESSAGE_BYTES = 65535;
    /** Most a message adds to its payload: an ephemeral key, a static key and two 16-byte AEAD tags (s, payload). */
    private static final int MESSAGE_OVERHEAD_BYTES = 2 * X25519KeyPair.KEY_BYTES + 2 * 16;

    private final HandshakePattern pattern;
    private final NoiseCipher cipher;
    private final boolean initiator;
    private final SymmetricState symmetric;
    private final SecureRandom random;
    private final X25519KeyPair s;
    private final byte[] psk;
    private X25519KeyPair e;
    private byte[] rs;
    private byte[] re;
    private int messageIndex;
    private boolean failed;

    /**
     * {@code Initialize}.
     *
     * @param localStatic this side's static key pair (every pattern here uses one on both sides)
     * @param remoteStatic the responder's static key, required when the initiator runs a pattern that needs it
     *                     (IK); otherwise null
     * @param psk 32-byte pre-shared key for psk patterns, else null
     */
    public HandshakeState(final HandshakePattern pattern, final boolean initiator, final NoiseCipher cipher,
                          final NoiseHash hash, final byte[] prologue, final X25519KeyPair localStatic,
                          final PeerKey remoteStatic, final byte[] psk, final SecureRandom random) {
        if (pattern.usesPsk() != (psk != null)) {
            throw new IllegalArgumentException(pattern + (psk == null ? " needs a psk" : " takes no psk"));
        }
        if (psk != null && psk.length != 32) {
            throw new IllegalArgumentException("psk must be 32 bytes");
        }
        if (initiator && pattern.needsResponderKey() && remoteStatic == null) {
            throw new IllegalArgumentException(pattern + " needs the responder's static key");
        }
        this.pattern = pattern;
        this.cipher = cipher;
        this.initiator = initiator;
        this.symmetric = new SymmetricState(hash, cipher, pattern.protocolName(cipher, hash));
        this.random = random;
        this.s = localStatic;
        this.psk = psk == null ? null : psk.clone();
        this.rs = remoteStatic == null ? null : remoteStatic.bytes();
        symmetric.mixHash(prologue);
        if (pattern.needsResponderKey()) {
            symmetric.mixHash(initiator ? rs : s.publicKey().rawBytes());
        }
    }

    /** Uses {@code ephemeral} instead of a random key for the next {@code e} token; for test vectors only. */
    void fixEphemeral(final X25519KeyPair ephemeral) {
        this.e = ephemeral;
    }

    /** @return the pattern */
    public HandshakePattern pattern() {
        return pattern;
    }

    /** @return the cipher function */
    public NoiseCipher cipher() {
        return cipher;
    }

    /** @return whether it is this side's turn to write */
    public boolean isMyTurn() {
        return (messageIndex % 2 == 0) == initiator;
    }

    /** @return whether every message has been written or read */
    public boolean isComplete() {
        return messageIndex == pattern.messageCount();
    }

    /** @return the peer's static key once received (or given), else null */
    public PeerKey remoteStatic() {
        return rs == null ? null : PeerKey.of(rs);
    }

    /** @return the handshake hash {@code h}; after completion it is the channel binding */
    public byte[] handshakeHash() {
        return symmetric.handshakeHash();
    }

    /** {@code WriteMessage(payload)}: returns the message bytes. */
    public byte[] writeMessage(final byte[] payload) throws NoiseException {
        checkTurn(true);
        // Room for what one message can hold (an e, an encrypted s, the encrypted payload), not 64 KiB: zeroing
        // 64 KiB per message was most of a server's allocation per handshake. Longer than 65535 still fails in put.
        final byte[] out = new byte[Math.min(MAX_MESSAGE_BYTES, payload.length + MESSAGE_OVERHEAD_BYTES)];
        int pos = 0;
        try {
            for (final byte t : pattern.tokens(messageIndex)) {
                if (t == Token.E) {
                    if (e == null) {
                        // A responder (a server, many handshakes per thread) takes a key from its thread's batch.
                        e = initiator ? X25519KeyPair.generate(random) : EphemeralKeyPool.take(random);
                    }
                    final byte[] pub = e.publicKey().rawBytes();
                    pos = put(out, pos, pub);
                    symmetric.mixHash(pub);
                    if (psk != null) {
                        symmetric.mixKey(pub);
                    }
                } else if (t == Token.S) {
                    pos = put(out, pos, symmetric.encryptAndHash(s.publicKey().bytes()));
                } else {
                    mix(t);
                }
            }
            pos = put(out, pos, symmetric.encryptAndHash(payload));
        } catch (NoiseException | RuntimeException ex) {
            failed = true;
            throw ex;
        }
        messageIndex++;
        return Arrays.copyOf(out, pos);
    }

    /** {@code ReadMessage(message)}: returns the decrypted payload. */
    public byte[] readMessage(final byte[] message) throws NoiseException {
        checkTurn(false);
        if (message.length > MAX_MESSAGE_BYTES) {
            failed = true;
            throw new NoiseException("message longer than 65535 bytes");
        }
        int pos = 0;
        try {
            for (final byte t : pattern.tokens(messageIndex)) {
                if (t == Token.E) {
                    re = take(message, pos, X25519KeyPair.KEY_BYTES);
                    pos += X25519KeyPair.KEY_BYTES;
                    symmetric.mixHash(re);
                    if (psk != null) {
                        symmetric.mixKey(re);
                    }
                } else if (t == Token.S) {
                    final int len = X25519KeyPair.KEY_BYTES + (symmetric.hasKey() ? Aead.TAG_BYTES : 0);
                    rs = symmetric.decryptAndHash(take(message, pos, len));
                    pos += len;
                } else {
                    mix(t);
                }
            }
            final byte[] payload = symmetric.decryptAndHash(Arrays.copyOfRange(message, pos, message.length));
            messageIndex++;
            return payload;
        } catch (NoiseException ex) {
            failed = true;
            throw ex;
        }
    }

    /** {@code Split()}: [initiator-to-responder, responder-to-initiator]. */
    public CipherState[] split() {
        if (!isComplete() || failed) {
            throw new IllegalStateException("handshake not complete");
        }
        return symmetric.split();
    }

    private void mix(final byte token) throws NoiseException {
        switch (token) {
            case Token.EE:
                symmetric.mixKey(e.dh(re));
                break;
            case Token.ES:
                symmetric.mixKey(initiator ? e.dh(rs) : s.dh(re));
                break;
            case Token.SE:
                symmetric.mixKey(initiator ? s.dh(re) : e.dh(rs));
                break;
            case Token.SS:
                symmetric.mixKey(s.staticDh(rs));
                break;
            case Token.PSK:
                symmetric.mixKeyAndHash(psk);
                break;
            default:
                throw new IllegalStateException("unknown token " + token);
        }
    }

    private void checkTurn(final boolean writing) {
        if (failed || isComplete() || isMyTurn() != writing) {
            throw new IllegalStateException("not this side's turn to " + (writing ? "write" : "read"));
        }
    }

    private static int put(final byte[] out, final int pos, final byte[] data) throws NoiseException {
        if (pos + data.length > out.length) {
            throw new NoiseException("message longer than 65535 bytes");
        }
        System.arraycopy(data, 0, out, pos, data.length);
        return pos + data.length;
    }

    private static byte[] take(final byte[] in, final int pos, final int len) throws NoiseException {
        if (pos + len > in.length) {
            throw new NoiseException("message too short");
        }
        return Arrays.copyOfRange(in, pos, pos + len);
    }
}
