package io.shoal.rudp.crypto;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Random;

/**
 * Not a test: a measurement run by hand ({@code rudp/README.md}, "Secure profile cost"). Thread CPU time and bytes
 * allocated per byte sealed and opened, for a 1,383-byte payload (a full 1,400-byte datagram's plaintext) with the
 * header bound through the nonce as packets are ({@link Aead#sealPacket}) and, to compare, with the 17-byte header as
 * associated data: our ChaCha20-Poly1305, {@link AesGcmAead} (JDK AES-GCM on byte arrays), and the JDK's AES-GCM on
 * heap and on direct ByteBuffers, to choose the buffer kind. Args: [rounds] [packets per round].
 */
public final class AeadThroughput {
    private static final int PAYLOAD = 1383;
    private static final int AD = 17;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AeadThroughput() {
    }

    /** Prints one line per variant and operation: ns/B of thread CPU and B allocated per packet (median round). */
    public static void main(final String[] args) throws Exception {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        final int packets = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        final byte[] key = new byte[32];
        new Random(1).nextBytes(key);
        final byte[] ad = new byte[AD];
        final byte[] plain = new byte[PAYLOAD];
        new Random(2).nextBytes(plain);
        final byte[] sealed = new byte[PAYLOAD + Aead.TAG_BYTES];
        final byte[] back = new byte[PAYLOAD + Aead.TAG_BYTES];
        for (final NoiseCipher cipher : NoiseCipher.values()) {
            final Aead a = cipher.newAead();
            a.setKey(key);
            final long[] counter = {0};
            report(cipher + " packet seal", rounds, packets,
                () -> a.sealPacket(0xE8, counter[0]++, plain, 0, PAYLOAD, sealed, 0));
            a.sealPacket(0xE8, 0, plain, 0, PAYLOAD, sealed, 0);
            report(cipher + " packet open", rounds, packets, () -> {
                if (a.openPacket(0xE8, 0, sealed, 0, sealed.length, back, 0) != PAYLOAD) {
                    throw new IllegalStateException("open failed");
                }
            });
            report(cipher + " seal with the header as associated data", rounds, packets,
                () -> a.seal(counter[0]++, ad, 0, AD, plain, 0, PAYLOAD, sealed, 0));
        }
        for (final boolean direct : new boolean[] {false, true}) {
            final Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            final SecretKeySpec k = new SecretKeySpec(key, "AES");
            final ByteBuffer in = direct ? ByteBuffer.allocateDirect(PAYLOAD) : ByteBuffer.allocate(PAYLOAD);
            final ByteBuffer out = direct ? ByteBuffer.allocateDirect(PAYLOAD + 16) : ByteBuffer.allocate(PAYLOAD + 16);
            in.put(plain).flip();
            final byte[] iv = new byte[12];
            final long[] counter = {0};
            report("JDK AES-GCM " + (direct ? "direct" : "heap") + " ByteBuffer seal", rounds, packets, () -> {
                final long n = counter[0]++;
                for (int i = 0; i < 8; i++) {
                    iv[4 + i] = (byte) (n >>> (56 - 8 * i));
                }
                c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, iv));
                c.updateAAD(ad, 0, AD);
                in.rewind();
                out.clear();
                c.doFinal(in, out);
            });
        }
    }

    /** One operation under measurement. */
    private interface Op {
        void run() throws Exception;
    }

    private static void report(final String name, final int rounds, final int packets, final Op op)
            throws Exception {
        for (int i = 0; i < packets; i++) {
            op.run(); // warm-up: compile before measuring
        }
        final double[] nsPerByte = new double[rounds];
        final double[] allocPerPacket = new double[rounds];
        final long tid = Thread.currentThread().getId();
        for (int r = 0; r < rounds; r++) {
            final long cpu0 = THREADS.getCurrentThreadCpuTime();
            final long alloc0 = THREADS.getThreadAllocatedBytes(tid);
            for (int i = 0; i < packets; i++) {
                op.run();
            }
            nsPerByte[r] = (THREADS.getCurrentThreadCpuTime() - cpu0) / (double) packets / PAYLOAD;
            allocPerPacket[r] = (THREADS.getThreadAllocatedBytes(tid) - alloc0) / (double) packets;
        }
        java.util.Arrays.sort(nsPerByte);
        java.util.Arrays.sort(allocPerPacket);
        System.out.printf("%-40s %6.3f ns/B  %6.0f B allocated/packet%n", name, nsPerByte[rounds / 2],
                allocPerPacket[rounds / 2]);
    }
}
