package io.shoal.rudp.packet;

import io.netty.buffer.ByteBuf;
import io.shoal.rudp.crypto.Aead;
import io.shoal.rudp.crypto.CipherState;
import io.shoal.rudp.crypto.NoiseCipher;

/**
 * Seals and opens key-protected secure packets for one connection: {@code first byte | receiver connection id (8)
 * | packet number (8) | AEAD(payload) | tag (16)}, big-endian, under the {@link NoiseCipher} the handshake
 * negotiated. The header is bound without associated data ({@link Aead#sealPacket}): the first byte and the packet
 * number make the nonce and the connection id picks the keys (layout and reasoning in {@code rudp/PROTOCOL.md}).
 * Packet numbers start at 0 and only grow, so a nonce never repeats; sealing stops at {@code maxPacketNumber}.
 *
 * <p>Replays are dropped by a {@link ReplayWindow} checked before decryption and updated after authentication.
 * Keys move on one-way (Noise REKEY) after {@code keyUpdatePackets} packets (never more than the cipher's
 * {@link NoiseCipher#maxPacketsPerKey()}) or {@code keyUpdateBytes} bytes; the
 * key-phase bit tells the receiver, which tries its precomputed next key and keeps the previous one for
 * {@code oldKeyRetainNs} for reordered packets. Each direction updates on its own.
 *
 * <p>Buffers: {@link #seal} and {@link #open} borrow their input (reader index untouched) and append to the output
 * buffer the caller owns. No allocation per packet: heap buffers are used in place, direct ones go through two
 * scratch arrays of {@code maxDatagramBytes}, shared per thread ({@link PacketScratch}). One thread only.
 */
public final class PacketProtection {
    /** Header bytes: type, receiver connection id, packet number. */
    public static final int HEADER_BYTES = 17;
    /** Header plus tag. */
    public static final int OVERHEAD_BYTES = HEADER_BYTES + Aead.TAG_BYTES;

    private final PacketProtectionConfig config;
    private final NoiseCipher cipher;
    /** keyUpdatePackets, capped by the cipher's confidentiality limit. */
    private final long packetsPerKey;
    private final long localConnectionId;
    private final long peerConnectionId;

    private final Aead sendAead;
    private byte[] sendKey;
    private int sendPhase;
    private long nextPacketNumber;
    private long packetsUnderKey;
    private long bytesUnderKey;

    private final ReplayWindow replay = new ReplayWindow();
    private Aead oldAead;
    private Aead currentAead;
    private Aead nextAead;
    /** The current receive key, which the next one derives from; kept until {@link #nextKeyAead()} derives it. */
    private byte[] currentReceiveKey;
    /** Null until the peer's first packet under it (most connections never update their keys). */
    private byte[] nextReceiveKey;
    private int receivePhase;
    private long firstPacketNumberOfCurrent;
    private boolean oldKeyValid;
    private long oldKeyDiscardNs;

    private SecurePacketType lastType;
    private long lastPacketNumber = -1;
    private long sealed;
    private long opened;
    private long malformed;
    private long duplicates;
    private long tooOld;
    private long authFailed;
    private long keyDiscarded;
    private long sendKeyUpdates;
    private long receiveKeyUpdates;

    /** ChaCha20-Poly1305 protection: {@link #PacketProtection(NoiseCipher, byte[], byte[], long, long,
     * PacketProtectionConfig)} with {@link NoiseCipher#CHACHA20_POLY1305}. */
    public PacketProtection(final byte[] sendKey, final byte[] receiveKey, final long localConnectionId,
                            final long peerConnectionId, final PacketProtectionConfig config) {
        this(NoiseCipher.CHACHA20_POLY1305, sendKey, receiveKey, localConnectionId, peerConnectionId, config);
    }

    /**
     * @param cipher the cipher the handshake negotiated (the one its Split keys belong to)
     * @param sendKey 32-byte key for packets this side sends (copied)
     * @param receiveKey 32-byte key for packets the peer sends (copied)
     * @param localConnectionId the id the peer writes into packets for us
     * @param peerConnectionId the id we write into packets for the peer
     */
    public PacketProtection(final NoiseCipher cipher, final byte[] sendKey, final byte[] receiveKey,
                            final long localConnectionId, final long peerConnectionId,
                            final PacketProtectionConfig config) {
        this.config = config;
        this.cipher = cipher;
        this.packetsPerKey = Math.min(config.keyUpdatePackets(), cipher.maxPacketsPerKey());
        this.localConnectionId = localConnectionId;
        this.peerConnectionId = peerConnectionId;
        this.sendKey = sendKey.clone();
        sendAead = cipher.newPacketAead();
        oldAead = cipher.newPacketAead();
        currentAead = cipher.newPacketAead();
        nextAead = cipher.newPacketAead();
        sendAead.setKey(this.sendKey);
        currentAead.setKey(receiveKey);
        currentReceiveKey = receiveKey.clone();
    }

    /** @return the cipher protecting this connection's packets */
    public NoiseCipher cipher() {
        return cipher;
    }

    /**
     * Seals {@code plaintext}'s readable bytes (borrowed) as a packet of {@code type}, appending the datagram to
     * {@code out}. {@code plaintext} and {@code out} must be different buffers.
     */
    public SealResult seal(final SecurePacketType type, final ByteBuf plaintext, final ByteBuf out) {
        final int len = plaintext.readableBytes();
        if (!type.keyProtected() || OVERHEAD_BYTES + len > config.maxDatagramBytes()) {
            return SealResult.TOO_LARGE;
        }
        if (nextPacketNumber > config.maxPacketNumber()) {
            return SealResult.PACKET_NUMBERS_EXHAUSTED;
        }
        maybeUpdateSendKey();
        final long pn = nextPacketNumber++;
        final int first = type.firstByte(sendPhase);
        out.ensureWritable(OVERHEAD_BYTES + len);
        out.writeByte(first).writeLong(peerConnectionId).writeLong(pn);
        final byte[] src;
        final int srcOff;
        if (plaintext.hasArray()) {
            src = plaintext.array();
            srcOff = plaintext.arrayOffset() + plaintext.readerIndex();
        } else {
            src = PacketScratch.get(config.maxDatagramBytes()).in;
            plaintext.getBytes(plaintext.readerIndex(), src, 0, len);
            srcOff = 0;
        }
        if (out.hasArray()) {
            final int w = out.writerIndex();
            sendAead.sealPacket(first, pn, src, srcOff, len, out.array(), out.arrayOffset() + w);
            out.writerIndex(w + len + Aead.TAG_BYTES);
        } else {
            final PacketScratch scratch = PacketScratch.get(config.maxDatagramBytes());
            final int n = sendAead.sealPacket(first, pn, src, srcOff, len, scratch.out, 0);
            scratch.copyOut(n, out);
        }
        packetsUnderKey++;
        bytesUnderKey += len;
        sealed++;
        return SealResult.SEALED;
    }

    /**
     * Authenticates and decrypts {@code datagram}'s readable bytes (borrowed), appending the plaintext to
     * {@code out}. Never throws on bad input; every drop is counted in {@link #stats()}.
     */
    public OpenResult open(final ByteBuf datagram, final ByteBuf out, final long nowNs) {
        final int len = datagram.readableBytes();
        final int r = datagram.readerIndex();
        if (len < OVERHEAD_BYTES || len > config.maxDatagramBytes()) {
            return drop(OpenResult.MALFORMED);
        }
        final int first = datagram.getUnsignedByte(r);
        if (!SecurePacketType.isSecure(first) || !SecurePacketType.of(first).keyProtected()
                || datagram.getLong(r + 1) != localConnectionId) {
            return drop(OpenResult.MALFORMED);
        }
        final long pn = datagram.getLong(r + 9);
        if (pn < 0 || pn > config.maxPacketNumber()) {
            return drop(OpenResult.MALFORMED);
        }
        final ReplayWindow.Verdict verdict = replay.check(pn);
        if (verdict != ReplayWindow.Verdict.FRESH) {
            return drop(verdict == ReplayWindow.Verdict.DUPLICATE ? OpenResult.DUPLICATE : OpenResult.TOO_OLD);
        }
        if (oldKeyValid && nowNs - oldKeyDiscardNs >= 0) {
            oldKeyValid = false;
        }
        final Aead key;
        final boolean promote = SecurePacketType.keyPhase(first) != receivePhase
                && pn >= firstPacketNumberOfCurrent;
        if (SecurePacketType.keyPhase(first) == receivePhase) {
            key = currentAead;
        } else if (promote) {
            key = nextKeyAead();
        } else if (oldKeyValid) {
            key = oldAead;
        } else {
            return drop(OpenResult.KEY_DISCARDED);
        }
        final byte[] src;
        final int off;
        if (datagram.hasArray()) {
            src = datagram.array();
            off = datagram.arrayOffset() + r;
        } else {
            src = PacketScratch.get(config.maxDatagramBytes()).in;
            datagram.getBytes(r, src, 0, len);
            off = 0;
        }
        final int plainLen = len - OVERHEAD_BYTES;
        out.ensureWritable(plainLen);
        final boolean direct = !out.hasArray();
        final PacketScratch scratch = direct ? PacketScratch.get(config.maxDatagramBytes()) : null;
        final byte[] dst = direct ? scratch.out : out.array();
        final int dstOff = direct ? 0 : out.arrayOffset() + out.writerIndex();
        final int n = key.openPacket(first, pn, src, off + HEADER_BYTES, len - HEADER_BYTES, dst, dstOff);
        if (n < 0) {
            return drop(OpenResult.AUTH_FAILED);
        }
        replay.mark(pn);
        if (promote) {
            rotateReceiveKeys(pn, nowNs);
        }
        if (direct) {
            scratch.copyOut(n, out);
        } else {
            out.writerIndex(out.writerIndex() + n);
        }
        lastType = SecurePacketType.of(first);
        lastPacketNumber = pn;
        opened++;
        return OpenResult.OPENED;
    }

    /** @return the type of the last packet opened, or null */
    public SecurePacketType lastType() {
        return lastType;
    }

    /** @return the packet number of the last packet opened, or -1 */
    public long lastPacketNumber() {
        return lastPacketNumber;
    }

    /** @return the next packet number this side will send */
    public long nextPacketNumber() {
        return nextPacketNumber;
    }

    /** @return the id the peer writes for us; connections are found by it */
    public long localConnectionId() {
        return localConnectionId;
    }

    /** @return the counters */
    public ProtectionStats stats() {
        return new ProtectionStats(cipher, sealed, opened, malformed, duplicates, tooOld, authFailed, keyDiscarded,
                sendKeyUpdates, receiveKeyUpdates);
    }

    /** @return packets sealed under one key before the next key update */
    long packetsPerKey() {
        return packetsPerKey;
    }

    /** Jumps the send packet number forward; for tests of the packet-number limit. */
    void skipPacketNumbersTo(final long pn) {
        nextPacketNumber = pn;
    }

    private void maybeUpdateSendKey() {
        final boolean budgetSpent = packetsUnderKey >= packetsPerKey
                || bytesUnderKey >= config.keyUpdateBytes();
        // Never two updates within MIN_PACKETS_PER_KEY packets: see PacketProtectionConfig.
        if (budgetSpent && packetsUnderKey >= PacketProtectionConfig.MIN_PACKETS_PER_KEY) {
            sendKey = CipherState.nextPacketKey(cipher, sendKey);
            sendAead.setKey(sendKey);
            sendPhase ^= 1;
            packetsUnderKey = 0;
            bytesUnderKey = 0;
            sendKeyUpdates++;
        }
    }

    /**
     * The AEAD under the next receive key, derived (REKEY) on the first packet that needs it rather than when the
     * connection or the previous update is set up: a REKEY with AES-GCM is a JCA key schedule and cipher setup,
     * about 4 us of a server's event loop per accepted handshake, and most connections never update. A forged
     * packet with the other key phase costs that derivation once per key phase, as the eager one did.
     */
    private Aead nextKeyAead() {
        if (nextReceiveKey == null) {
            nextReceiveKey = CipherState.nextPacketKey(cipher, currentReceiveKey);
            nextAead.setKey(nextReceiveKey);
        }
        return nextAead;
    }

    private void rotateReceiveKeys(final long pn, final long nowNs) {
        final Aead recycled = oldAead;
        oldAead = currentAead;
        currentAead = nextAead;
        nextAead = recycled;
        currentReceiveKey = nextReceiveKey;
        nextReceiveKey = null;
        receivePhase ^= 1;
        firstPacketNumberOfCurrent = pn;
        oldKeyValid = true;
        oldKeyDiscardNs = nowNs + config.oldKeyRetainNs();
        receiveKeyUpdates++;
    }

    private OpenResult drop(final OpenResult why) {
        switch (why) {
            case DUPLICATE:
                duplicates++;
                break;
            case TOO_OLD:
                tooOld++;
                break;
            case AUTH_FAILED:
                authFailed++;
                break;
            case KEY_DISCARDED:
                keyDiscarded++;
                break;
            default:
                malformed++;
                break;
        }
        return why;
    }

    static void putLong(final byte[] b, final int off, final long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (56 - 8 * i));
        }
    }

    /** Drops every key's rebuildable working state ({@link Aead#releaseWorkState}); for an idle connection. */
    public void releaseIdleMemory() {
        sendAead.releaseWorkState();
        oldAead.releaseWorkState();
        currentAead.releaseWorkState();
        nextAead.releaseWorkState();
    }

    /** @return whether any key holds working state that {@link #releaseIdleMemory()} would drop */
    public boolean holdsIdleMemory() {
        return sendAead.hasWorkState() || oldAead.hasWorkState() || currentAead.hasWorkState()
                || nextAead.hasWorkState();
    }
}
