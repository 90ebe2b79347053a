package io.shoal.rudp.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.shoal.rudp.crypto.NoiseCipher;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Packet protection with each cipher: sealing, opening, replay, key updates, limits, bad input. */
class PacketProtectionTest {
    private static final long A_ID = 0x1111_2222_3333_4444L;
    private static final long B_ID = 0x5555_6666_7777_8888L;
    private final List<ByteBuf> owned = new ArrayList<>();

    @AfterEach
    void releaseAll() {
        for (final ByteBuf b : owned) {
            assertTrue(b.release(), "buffer still referenced elsewhere");
        }
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void shouldRoundTripWithHeapAndDirectBuffers(final NoiseCipher cipher) {
        final PacketProtection[] p = pair(PacketProtectionConfig.defaults(), cipher);
        for (final ByteBufAllocator alloc : List.of(Unpooled.buffer().alloc(), PooledByteBufAllocator.DEFAULT)) {
            for (final boolean direct : new boolean[] {false, true}) {
                final ByteBuf plain = buf(alloc, direct, payload(1200, 7));
                final ByteBuf wire = own(direct ? alloc.directBuffer() : alloc.heapBuffer());
                assertEquals(SealResult.SEALED, p[0].seal(SecurePacketType.DATA, plain, wire));
                assertEquals(1200 + PacketProtection.OVERHEAD_BYTES, wire.readableBytes());
                assertEquals(0xE0 | 4 << 1, wire.getUnsignedByte(0));
                assertEquals(B_ID, wire.getLong(1), "header carries the receiver's id");
                final ByteBuf back = own(direct ? alloc.directBuffer() : alloc.heapBuffer());
                assertEquals(OpenResult.OPENED, p[1].open(wire, back, 0));
                assertEquals(plain, back);
                assertEquals(SecurePacketType.DATA, p[1].lastType());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void shouldRejectEveryFlippedBit(final NoiseCipher cipher) {
        final PacketProtection[] p = pair(PacketProtectionConfig.defaults(), cipher);
        final ByteBuf wire = own(Unpooled.buffer());
        p[0].seal(SecurePacketType.DATA, own(Unpooled.wrappedBuffer(payload(40, 1))), wire);
        final ByteBuf out = own(Unpooled.buffer());
        for (int bit = 0; bit < wire.readableBytes() * 8; bit++) {
            final ByteBuf copy = own(wire.copy());
            copy.setByte(bit / 8, copy.getByte(bit / 8) ^ (1 << (bit % 8)));
            assertNotEquals(OpenResult.OPENED, p[1].open(copy, out.clear(), 0), "bit " + bit);
        }
        assertEquals(OpenResult.OPENED, p[1].open(wire, out.clear(), 0), "the intact packet still opens");
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void shouldDropDuplicatesAndTooOldButAcceptReorderingInsideTheWindow(final NoiseCipher cipher) {
        final PacketProtection[] p = pair(PacketProtectionConfig.defaults(), cipher);
        final List<ByteBuf> wires = sealMany(p[0], ReplayWindow.WINDOW + 100);
        final ByteBuf out = own(Unpooled.buffer());
        assertEquals(OpenResult.OPENED, p[1].open(wires.get(5), out.clear(), 0));
        assertEquals(OpenResult.DUPLICATE, p[1].open(wires.get(5), out.clear(), 0));
        assertEquals(OpenResult.OPENED, p[1].open(wires.get(2), out.clear(), 0), "reordered but inside the window");
        assertEquals(OpenResult.OPENED, p[1].open(wires.get(wires.size() - 1), out.clear(), 0));
        assertEquals(OpenResult.TOO_OLD, p[1].open(wires.get(50), out.clear(), 0));
        assertEquals(OpenResult.OPENED, p[1].open(wires.get(200), out.clear(), 0));
        final ProtectionStats s = p[1].stats();
        assertEquals(1, s.duplicates());
        assertEquals(1, s.tooOld());
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void shouldFollowKeyUpdatesAcrossReorderingAndDropReplaysAfterwards(final NoiseCipher cipher) {
        final PacketProtectionConfig cfg = PacketProtectionConfig.builder()
                .keyUpdatePackets(PacketProtectionConfig.MIN_PACKETS_PER_KEY).build();
        final PacketProtection[] p = pair(cfg, cipher);
        final int count = 5 * (int) PacketProtectionConfig.MIN_PACKETS_PER_KEY;
        final List<ByteBuf> wires = sealMany(p[0], count);
        final Random random = new Random(7);
        // Shuffle within blocks of 300: reordering that crosses every key-phase boundary.
        for (int i = 0; i < count; i += 300) {
            Collections.shuffle(wires.subList(i, Math.min(count, i + 300)), random);
        }
        final ByteBuf out = own(Unpooled.buffer());
        long nowNs = 0;
        for (final ByteBuf w : wires) {
            nowNs += 1_000;
            assertEquals(OpenResult.OPENED, p[1].open(w, out.clear(), nowNs));
        }
        assertEquals(4, p[0].stats().sendKeyUpdates());
        assertEquals(4, p[1].stats().receiveKeyUpdates());
        assertEquals(OpenResult.DUPLICATE, p[1].open(wires.get(count - 1), out.clear(), nowNs));
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void shouldFollowTheKeyUpdateWhenAForgedPacketClaimedTheNextKeyPhaseFirst(final NoiseCipher cipher) {
        final PacketProtectionConfig cfg = PacketProtectionConfig.builder()
                .keyUpdatePackets(PacketProtectionConfig.MIN_PACKETS_PER_KEY).build();
        final PacketProtection[] p = pair(cfg, cipher);
        final int perKey = (int) PacketProtectionConfig.MIN_PACKETS_PER_KEY;
        final List<ByteBuf> wires = sealMany(p[0], 2 * perKey + 2);
        final ByteBuf out = own(Unpooled.buffer());
        // The next receive key is derived on first need: here by a forgery, which must change nothing.
        final ByteBuf forged = wires.get(perKey).copy();
        own(forged).setByte(forged.writerIndex() - 1, forged.getByte(forged.writerIndex() - 1) ^ 1);
        assertEquals(OpenResult.AUTH_FAILED, p[1].open(forged, out.clear(), 0));
        for (final ByteBuf w : wires) {
            assertEquals(OpenResult.OPENED, p[1].open(w, out.clear(), 0));
        }
        assertEquals(2, p[1].stats().receiveKeyUpdates());
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void shouldDiscardThePreviousKeyAfterTheRetentionTime(final NoiseCipher cipher) {
        final PacketProtectionConfig cfg = PacketProtectionConfig.builder()
                .keyUpdatePackets(PacketProtectionConfig.MIN_PACKETS_PER_KEY).oldKeyRetainNs(1_000).build();
        final PacketProtection[] p = pair(cfg, cipher);
        final int perKey = (int) PacketProtectionConfig.MIN_PACKETS_PER_KEY;
        final List<ByteBuf> wires = sealMany(p[0], perKey + 10);
        final ByteBuf out = own(Unpooled.buffer());
        for (int i = 0; i < perKey - 10; i++) {
            p[1].open(wires.get(i), out.clear(), 0);
        }
        assertEquals(OpenResult.OPENED, p[1].open(wires.get(perKey + 5), out.clear(), 0), "new key phase");
        assertEquals(OpenResult.OPENED, p[1].open(wires.get(perKey - 5), out.clear(), 500), "old key kept");
        assertEquals(OpenResult.KEY_DISCARDED, p[1].open(wires.get(perKey - 4), out.clear(), 1_000));
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void shouldRefuseToSealPastThePacketNumberLimit(final NoiseCipher cipher) {
        final PacketProtection[] p = pair(PacketProtectionConfig.builder().maxPacketNumber(1000).build(), cipher);
        p[0].skipPacketNumbersTo(1000);
        final ByteBuf wire = own(Unpooled.buffer());
        final ByteBuf plain = own(Unpooled.wrappedBuffer(new byte[8]));
        assertEquals(SealResult.SEALED, p[0].seal(SecurePacketType.DATA, plain, wire));
        assertEquals(SealResult.PACKET_NUMBERS_EXHAUSTED, p[0].seal(SecurePacketType.DATA, plain, wire));
        assertEquals(OpenResult.OPENED, p[1].open(wire, own(Unpooled.buffer()), 0));
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void shouldRefuseOversizedPacketsBothWays(final NoiseCipher cipher) {
        final PacketProtection[] p = pair(PacketProtectionConfig.builder().maxDatagramBytes(100).build(), cipher);
        final ByteBuf big = own(Unpooled.wrappedBuffer(new byte[100]));
        final ByteBuf wire = own(Unpooled.buffer());
        assertEquals(SealResult.TOO_LARGE, p[0].seal(SecurePacketType.DATA, big, wire));
        assertEquals(0, wire.readableBytes());
        assertEquals(OpenResult.MALFORMED, p[1].open(big, wire, 0));
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void shouldNeverThrowNorOpenRandomDatagramsAddressedToTheConnection(final NoiseCipher cipher) {
        final PacketProtection[] p = pair(PacketProtectionConfig.defaults(), cipher);
        final Random random = new Random(31337);
        final ByteBuf out = own(Unpooled.buffer());
        for (int i = 0; i < 20_000; i++) {
            final byte[] junk = new byte[random.nextInt(1600)];
            random.nextBytes(junk);
            if (junk.length >= PacketProtection.HEADER_BYTES && random.nextBoolean()) {
                junk[0] = (byte) (0xE8 | random.nextInt(8));
                PacketProtection.putLong(junk, 1, B_ID);
                PacketProtection.putLong(junk, 9, random.nextInt(5000));
            }
            assertNotEquals(OpenResult.OPENED, p[1].open(Unpooled.wrappedBuffer(junk), out.clear(), i));
        }
        assertTrue(p[1].stats().authFailed() > 1000, "the well-formed ones reached authentication");
        assertEquals(0, p[1].stats().opened());
    }

    @Test
    void shouldNotAllocatePerPacketWithChaChaPoly() {
        final java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's per-thread allocation counter");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        final PacketProtection[] p = pair(PacketProtectionConfig.defaults(), NoiseCipher.CHACHA20_POLY1305);
        // Plain heap buffers: the paranoid leak detector's wrappers allocate a record on every access.
        final ByteBuf plain = Unpooled.wrappedBuffer(payload(1200, 5));
        final ByteBuf wire = Unpooled.wrappedBuffer(new byte[1500]);
        final ByteBuf out = Unpooled.wrappedBuffer(new byte[1500]);
        final int packets = 20_000;
        for (int round = 0; round < 2; round++) {
            final long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < packets; i++) {
                p[0].seal(SecurePacketType.DATA, plain, wire.clear());
                if (p[1].open(wire, out.clear(), 0) != OpenResult.OPENED) {
                    throw new AssertionError("packet " + i);
                }
            }
            final long perPacket = (threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before) / packets;
            if (round == 1) {
                assertEquals(0, perPacket, "bytes allocated per sealed and opened packet");
            }
        }
    }

    @Test
    void shouldCapTheKeyBudgetAtTheCiphersConfidentialityLimit() {
        final PacketProtectionConfig cfg = PacketProtectionConfig.defaults();
        assertEquals(1L << 23, pair(cfg, NoiseCipher.AES_256_GCM)[0].packetsPerKey(), "RFC 9001 6.6 for AES-GCM");
        assertEquals(cfg.keyUpdatePackets(), pair(cfg, NoiseCipher.CHACHA20_POLY1305)[0].packetsPerKey());
        final PacketProtectionConfig small = PacketProtectionConfig.builder().keyUpdatePackets(4096).build();
        assertEquals(4096, pair(small, NoiseCipher.AES_256_GCM)[0].packetsPerKey(), "a smaller budget stands");
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void shouldNotOpenAPacketWhoseFirstByteNamesAnotherKeyProtectedTypeOrKeyPhase(final NoiseCipher cipher) {
        final PacketProtection[] p = pair(PacketProtectionConfig.defaults(), cipher);
        final ByteBuf wire = own(Unpooled.buffer());
        p[0].seal(SecurePacketType.DATA, own(Unpooled.wrappedBuffer(payload(40, 1))), wire);
        final ByteBuf out = own(Unpooled.buffer());
        for (final SecurePacketType type : SecurePacketType.values()) {
            for (int phase = 0; phase < 2; phase++) {
                if (!type.keyProtected() || type == SecurePacketType.DATA && phase == 0) {
                    continue;
                }
                final ByteBuf retyped = own(wire.copy());
                retyped.setByte(0, type.firstByte(phase));
                assertEquals(OpenResult.AUTH_FAILED, p[1].open(retyped, out.clear(), 0), type + " phase " + phase);
            }
        }
        assertEquals(OpenResult.OPENED, p[1].open(wire, out.clear(), 0));
    }

    /** The wire format of PROTOCOL.md section 4, sealed by BouncyCastle's AEADs from the layout alone. */
    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void shouldSealTheHeaderThroughTheNonceAsTheProtocolDescribes(final NoiseCipher cipher)
            throws InvalidCipherTextException {
        final PacketProtection[] p = pair(PacketProtectionConfig.defaults(), cipher);
        final byte[] plain = payload(100, 3);
        final ByteBuf wire = own(Unpooled.buffer());
        for (int i = 0; i < 3; i++) {
            p[0].seal(i == 2 ? SecurePacketType.CLOSE : SecurePacketType.DATA, own(Unpooled.wrappedBuffer(plain)),
                wire.clear());
        }
        final int first = SecurePacketType.CLOSE.firstByte(0);
        final long pn = 2;
        final byte[] nonce = new byte[12];
        nonce[0] = (byte) first;
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (cipher == NoiseCipher.CHACHA20_POLY1305 ? pn >>> (8 * i) : pn >>> (56 - 8 * i));
        }
        final AEADCipher reference = cipher == NoiseCipher.CHACHA20_POLY1305
            ? new ChaCha20Poly1305() : GCMBlockCipher.newInstance(AESEngine.newInstance());
        // AES_128_GCM packets are keyed by the first half of the 32-byte packet key.
        final int keyBytes = cipher == NoiseCipher.AES_128_GCM ? 16 : 32;
        reference.init(true, new AEADParameters(new KeyParameter(payload(32, 1), 0, keyBytes), 128, nonce,
            new byte[0]));
        final byte[] sealed = new byte[plain.length + 16];
        reference.doFinal(sealed, reference.processBytes(plain, 0, plain.length, sealed, 0));
        final ByteBuf expected = own(Unpooled.buffer());
        expected.writeByte(first).writeLong(B_ID).writeLong(pn).writeBytes(sealed);
        assertEquals(expected, wire);
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void shouldNotOpenAPacketSealedUnderAnotherCipher(final NoiseCipher sealer) {
        final ByteBuf wire = own(Unpooled.buffer());
        pair(PacketProtectionConfig.defaults(), sealer)[0].seal(SecurePacketType.DATA,
            own(Unpooled.wrappedBuffer(payload(40, 1))), wire);
        for (final NoiseCipher opener : NoiseCipher.values()) {
            final PacketProtection receiver = pair(PacketProtectionConfig.defaults(), opener)[1];
            assertEquals(opener == sealer ? OpenResult.OPENED : OpenResult.AUTH_FAILED,
                receiver.open(wire, own(Unpooled.buffer()), 0), sealer + " opened as " + opener);
        }
    }

    private PacketProtection[] pair(final PacketProtectionConfig cfg, final NoiseCipher cipher) {
        final byte[] k1 = payload(32, 1);
        final byte[] k2 = payload(32, 2);
        return new PacketProtection[] {
            new PacketProtection(cipher, k1, k2, A_ID, B_ID, cfg),
            new PacketProtection(cipher, k2, k1, B_ID, A_ID, cfg),
        };
    }

    private List<ByteBuf> sealMany(final PacketProtection p, final int count) {
        final List<ByteBuf> wires = new ArrayList<>(count);
        final ByteBuf plain = own(Unpooled.wrappedBuffer(payload(64, 3)));
        for (int i = 0; i < count; i++) {
            final ByteBuf w = own(Unpooled.buffer(128));
            assertEquals(SealResult.SEALED, p.seal(SecurePacketType.DATA, plain, w));
            wires.add(w);
        }
        return wires;
    }

    private ByteBuf buf(final ByteBufAllocator alloc, final boolean direct, final byte[] data) {
        final ByteBuf b = own(direct ? alloc.directBuffer(data.length) : alloc.heapBuffer(data.length));
        return b.writeBytes(data);
    }

    private ByteBuf own(final ByteBuf b) {
        owned.add(b);
        return b;
    }

    static byte[] payload(final int len, final int seed) {
        final byte[] b = new byte[len];
        new Random(seed).nextBytes(b);
        return b;
    }
}
