package io.shoal.rudp.session;

import io.netty.buffer.ByteBuf;
import io.shoal.rudp.packet.PacketProtection;
import io.shoal.rudp.packet.PathValidator;
import io.shoal.rudp.packet.SecurePacketType;

import java.net.InetSocketAddress;
import java.security.SecureRandom;

/**
 * Path migration of one established {@link SecureConnection}: a {@link PathValidator} fed with its authenticated
 * packets and timer, the PATH_CHALLENGE / PATH_RESPONSE exchange (sealed onto the connection's
 * {@link SealedOutput}) and the count of path switches. {@code live} is false once the connection closed: packets
 * are still checked, but nothing is sent and the path no longer changes. One thread only.
 */
final class ConnectionPath {
    private final PathValidator validator;
    private final SealedOutput output;
    private long changes;

    /** @param validated the address the handshake ran over */
    ConnectionPath(final InetSocketAddress validated, final SecureRandom random, final long retryNs,
                   final SealedOutput output) {
        this.validator = new PathValidator(validated, random, retryNs);
        this.output = output;
    }

    /** @return the peer's current validated address */
    InetSocketAddress validatedPath() {
        return validator.validatedPath();
    }

    /** @return path switches so far */
    long changes() {
        return changes;
    }

    /** @return when {@link #handleTimeout} has work, or {@link PathValidator#NO_DEADLINE} */
    long nextDeadlineNs() {
        return validator.nextDeadlineNs();
    }

    /** Reports an authenticated packet of {@code bytes} from {@code from}; a new address is challenged. */
    void onAuthenticatedPacket(final InetSocketAddress from, final int bytes, final long nowNs) {
        if (validator.onAuthenticatedPacket(from, bytes, nowNs) == PathValidator.Action.SEND_CHALLENGE) {
            sendChallenge();
        }
    }

    /** Repeats a due challenge. */
    void handleTimeout(final long nowNs) {
        if (validator.handleTimeout(nowNs) == PathValidator.Action.SEND_CHALLENGE) {
            sendChallenge();
        }
    }

    /** A PATH_CHALLENGE from {@code from} (plaintext borrowed): echoed within the amplification budget. */
    DropReason handleChallenge(final InetSocketAddress from, final ByteBuf plaintext, final boolean live) {
        if (plaintext.readableBytes() != PathValidator.CHALLENGE_BYTES) {
            return DropReason.MALFORMED;
        }
        final byte[] echo = new byte[PathValidator.CHALLENGE_BYTES];
        plaintext.getBytes(plaintext.readerIndex(), echo);
        if (live && validator.trySend(from, PacketProtection.OVERHEAD_BYTES + echo.length)) {
            output.sendSealed(SecurePacketType.PATH_RESPONSE, echo, from);
        }
        return null;
    }

    /** A PATH_RESPONSE from {@code from} (plaintext borrowed): the path switches when it echoes our challenge. */
    DropReason handleResponse(final InetSocketAddress from, final ByteBuf plaintext, final boolean live) {
        if (plaintext.readableBytes() != PathValidator.CHALLENGE_BYTES) {
            return DropReason.MALFORMED;
        }
        final byte[] echoed = new byte[PathValidator.CHALLENGE_BYTES];
        plaintext.getBytes(plaintext.readerIndex(), echoed);
        if (live && validator.onPathResponse(from, echoed)) {
            changes++;
        }
        return null;
    }

    private void sendChallenge() {
        output.sendSealed(SecurePacketType.PATH_CHALLENGE, validator.challenge(), validator.candidate());
    }
}
