package io.shoal.rudp.crypto;

/**
 * The Noise handshake patterns shoal implements (spec sections 7.5 and 9.4), as token lists. XX when the initiator
 * does not know the responder's static key, IK when it does (one round trip); the psk variants add a pre-shared
 * key in the position the spec recommends for each (XXpsk3, IKpsk2, the latter being WireGuard's pattern).
 */
public enum HandshakePattern {
    /** {@code -> e; <- e, ee, s, es; -> s, se}. */
    XX("XX", false, new byte[][] {{Token.E}, {Token.E, Token.EE, Token.S, Token.ES}, {Token.S, Token.SE}}),
    /** {@code <- s; ... -> e, es, s, ss; <- e, ee, se}. */
    IK("IK", true, new byte[][] {{Token.E, Token.ES, Token.S, Token.SS}, {Token.E, Token.EE, Token.SE}}),
    /** XX with the psk mixed in after the last message's tokens. */
    XX_PSK3("XXpsk3", false,
            new byte[][] {{Token.E}, {Token.E, Token.EE, Token.S, Token.ES}, {Token.S, Token.SE, Token.PSK}}),
    /** IK with the psk mixed in at the end of the second message. */
    IK_PSK2("IKpsk2", true,
            new byte[][] {{Token.E, Token.ES, Token.S, Token.SS}, {Token.E, Token.EE, Token.SE, Token.PSK}});

    /** Message tokens as small constants (spec section 7.1). */
    static final class Token {
        static final byte E = 1;
        static final byte S = 2;
        static final byte EE = 3;
        static final byte ES = 4;
        static final byte SE = 5;
        static final byte SS = 6;
        static final byte PSK = 7;

        private Token() {
        }
    }

    private final String noiseName;
    private final boolean responderStaticPremessage;
    private final byte[][] messages;
    /** Protocol names by cipher and hash ordinal: built once, not per handshake (a string concatenation each). */
    private final String[][] protocolNames;

    HandshakePattern(final String noiseName, final boolean responderStaticPremessage, final byte[][] messages) {
        this.noiseName = noiseName;
        this.responderStaticPremessage = responderStaticPremessage;
        this.messages = messages;
        final NoiseCipher[] ciphers = NoiseCipher.values();
        final NoiseHash[] hashes = NoiseHash.values();
        this.protocolNames = new String[ciphers.length][hashes.length];
        for (final NoiseCipher c : ciphers) {
            for (final NoiseHash h : hashes) {
                protocolNames[c.ordinal()][h.ordinal()] =
                        "Noise_" + noiseName + "_25519_" + c.noiseName() + "_" + h.noiseName();
            }
        }
    }

    /** @return the pattern's name inside a protocol name, e.g. {@code XXpsk3} */
    public String noiseName() {
        return noiseName;
    }

    /** @return whether the initiator must know the responder's static key beforehand ({@code <- s}) */
    public boolean needsResponderKey() {
        return responderStaticPremessage;
    }

    /** @return whether a pre-shared key is mixed in */
    public boolean usesPsk() {
        return this == XX_PSK3 || this == IK_PSK2;
    }

    /** @return number of handshake messages */
    public int messageCount() {
        return messages.length;
    }

    /** @return the full Noise protocol name for this pattern, cipher and hash */
    public String protocolName(final NoiseCipher cipher, final NoiseHash hash) {
        return protocolNames[cipher.ordinal()][hash.ordinal()];
    }

    byte[] tokens(final int message) {
        return messages[message];
    }

    /**
     * @return the exact length of handshake message {@code message} carrying a payload of {@code payloadBytes}
     */
    public int messageLength(final int message, final int payloadBytes) {
        boolean keyed = false;
        int length = 0;
        for (int m = 0; m <= message; m++) {
            for (final byte t : messages[m]) {
                if (t == Token.E) {
                    length += m == message ? X25519KeyPair.KEY_BYTES : 0;
                    keyed |= usesPsk();
                } else if (t == Token.S) {
                    length += m == message ? X25519KeyPair.KEY_BYTES + (keyed ? Aead.TAG_BYTES : 0) : 0;
                } else {
                    keyed = true;
                }
            }
        }
        return length + payloadBytes + (keyed ? Aead.TAG_BYTES : 0);
    }
}
