package io.shoal.rudp.crypto;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.Provider;

/**
 * AES-GCM with a 64-bit counter nonce encoded the Noise way for AESGCM: four zero bytes, then the counter
 * BIG-endian (Noise spec section 12.4; ChaChaPoly's is little-endian), and a 16-byte tag. AES-256 by default, as
 * Noise's AESGCM; {@link #aes128()} instances take the same 32-byte keys and use their first 16 bytes, for the
 * packets of {@link NoiseCipher#AES_128_GCM}. Runs on the {@code AES/GCM/NoPadding} of {@link AesGcmProvider}: AWS-LC's
 * through the Amazon Corretto Crypto Provider where it loads, else the JDK's, whose HotSpot intrinsics use AES-NI and
 * carry-less multiply (both about 1 ns per byte against 7 for ChaCha20-Poly1305 on the same CPU, see
 * {@code rudp/README.md}; AWS-LC's costs less per call on full packets and new keys). Byte arrays rather than
 * ByteBuffers, because the JDK copies direct buffers into arrays anyway, heap buffers gain nothing measurable
 * ({@code AeadThroughput} in the tests) and ACCP is slower with direct buffers.
 *
 * <p>Each instance keeps its own {@link Cipher}, made on first use, so the expanded AES key is computed once per
 * key, not per packet (a per-thread cipher would re-expand on every switch between a connection's send and receive
 * keys); an instance never used (a connection's previous or next receive key, mostly) costs no {@code Cipher}. With
 * ACCP active, payloads under {@link #SMALL_BYTES} go to a second, JDK {@code Cipher}, also made on first use: the
 * JDK's per-call cost is lower for them, so an idle connection's messages and ACKs cost what they did before ACCP.
 * What is still allocated per call is the JCA's: a {@link GCMParameterSpec} and the mode's per-init state, all
 * short-lived.
 * The JDK refuses to encrypt twice with the same key and nonce on one {@code Cipher}; callers never reuse a counter
 * under one key, and {@link CipherState#nextKey} uses a fresh instance, so REKEY's fixed nonce never collides.
 * {@code AesGcmAeadTest} checks every length up to 2000 bytes against BouncyCastle's {@code GCMBlockCipher} and the
 * NIST vectors. One thread at a time per instance.
 *
 * <p>The exception is {@link #sharingThreadCipher()}, for a Noise handshake's keys, each of which protects a message
 * or two: there a {@code Cipher} per key cost a {@code Cipher.getInstance} per message, so those instances borrow
 * their thread's {@code Cipher} per call instead.
 */
public final class AesGcmAead implements Aead {
    private static final int TAG_BITS = TAG_BYTES * 8;
    private static final int NONCE_BYTES = 12;
    /**
     * Payloads (open: with their tag) shorter than this go to the JDK's AES-GCM even when ACCP is active. One thread,
     * ns per seal / open, JDK against ACCP: 40 bytes 524-698 / 513-581 against 547-632 / 643-669, 140 bytes 633 / 587
     * against 584-619 / 683-707, 1,380 bytes 1,240 / 1,195 against 1,000 / 1,080.
     */
    static final int SMALL_BYTES = 512;
    /** The per-thread {@code Cipher} of instances made by {@link #sharingThreadCipher()}, on the active provider. */
    private static final ThreadLocal<Cipher> THREAD_CIPHER =
            ThreadLocal.withInitial(() -> AesGcmProvider.newCipher(AesGcmProvider.active()));

    /**
     * Where this instance's {@code Cipher}s come from. Named, because {@code Cipher.getInstance(String)} walks the
     * provider list and parses the transformation on every call (about 6 us); with the provider named it costs about
     * 3 us, close to re-keying an existing {@code Cipher}. That is the price of rebuilding after
     * {@link #releaseWorkState}.
     */
    private final Provider provider;
    /**
     * Where this instance's {@code Cipher} for packets under {@link #SMALL_BYTES} comes from: the JDK's, whose
     * per-call cost is lower than ACCP's for small packets (ACKs, the idle connections' messages).
     */
    private final Provider smallProvider;
    /** True for {@link #sharingThreadCipher()} instances: they never keep a {@code Cipher} of their own. */
    private final boolean sharesThreadCipher;
    /** AES key length used: 32, or 16 for {@link #aes128()} instances (the first half of each key). */
    private final int aesKeyBytes;

    /** Made on first use: a connection's previous and next receive keys are often never used at all. */
    private Cipher cipher;
    /** The {@code Cipher} for packets under {@link #SMALL_BYTES}, made on first use (often never, for bulk data). */
    private Cipher smallCipher;
    /** The 96-bit nonce, rewritten per call; the JCA copies it into its parameter spec. */
    private final byte[] nonce = new byte[NONCE_BYTES];
    private SecretKeySpec key;

    /** An instance with its own {@code Cipher}, made on first use: for keys that protect many packets. */
    public AesGcmAead() {
        this(AesGcmProvider.active(), AesGcmProvider.jdk(), false, KEY_BYTES);
    }

    private AesGcmAead(final Provider provider, final Provider smallProvider, final boolean sharesThreadCipher,
                       final int aesKeyBytes) {
        this.provider = provider;
        this.smallProvider = smallProvider;
        this.sharesThreadCipher = sharesThreadCipher;
        this.aesKeyBytes = aesKeyBytes;
    }

    /** An AES-256-GCM instance with its own {@code Cipher} from {@code provider} (tests run every provider). */
    static AesGcmAead on(final Provider provider) {
        return new AesGcmAead(provider, provider, false, KEY_BYTES);
    }

    /**
     * An AES-128-GCM instance with its own {@code Cipher}: {@link #setKey} still takes a 32-byte key, and keys
     * AES-128 with its first 16 bytes.
     */
    static AesGcmAead aes128() {
        return new AesGcmAead(AesGcmProvider.active(), AesGcmProvider.jdk(), false, 16);
    }

    /** {@link #aes128()} on {@code provider}. */
    static AesGcmAead aes128On(final Provider provider) {
        return new AesGcmAead(provider, provider, false, 16);
    }

    /**
     * @return which AES-GCM runs, for reports: {@code AWS-LC (ACCP 2.5.0)}, or {@code JDK (SunJCE)} and why not
     *         ACCP
     */
    public static String implementation() {
        final String why = AesGcmProvider.nativeUnavailableReason();
        return AesGcmProvider.name() + (why == null ? "" : " (" + why + ")");
    }

    /**
     * An instance for keys that protect a message or two (a Noise handshake's {@link CipherState}): it borrows the
     * calling thread's {@code Cipher} for each call instead of making its own, which saves the
     * {@code Cipher.getInstance} per key; the key schedule is computed per call, which for one message is the
     * same work. The thread may change between calls (an XX handshake's last message is read on any worker).
     */
    static AesGcmAead sharingThreadCipher() {
        return new AesGcmAead(AesGcmProvider.active(), AesGcmProvider.active(), true, KEY_BYTES);
    }

    @Override
    public void setKey(final byte[] k) {
        if (k.length != KEY_BYTES) {
            throw new IllegalArgumentException("AES-GCM key must be 32 bytes, got " + k.length);
        }
        key = new SecretKeySpec(k, 0, aesKeyBytes, "AES");
    }

    @Override
    public void releaseWorkState() {
        cipher = null;
        smallCipher = null;
    }

    @Override
    public boolean hasWorkState() {
        return cipher != null || smallCipher != null;
    }

    @Override
    public boolean hasKey() {
        return key != null;
    }

    @Override
    public int seal(final long counter, final byte[] ad, final int adOff, final int adLen,
                    final byte[] in, final int inOff, final int len, final byte[] out, final int outOff) {
        return seal(nonceOf(counter), ad, adOff, adLen, in, inOff, len, out, outOff);
    }

    @Override
    public int sealPacket(final int nonceByte, final long counter, final byte[] in, final int inOff, final int len,
                          final byte[] out, final int outOff) {
        return seal(packetNonceOf(nonceByte, counter), in, 0, 0, in, inOff, len, out, outOff);
    }

    /** {@link #seal} with any 96-bit nonce (the NIST vectors use such nonces). */
    int seal(final byte[] iv, final byte[] ad, final int adOff, final int adLen,
             final byte[] in, final int inOff, final int len, final byte[] out, final int outOff) {
        try {
            return start(Cipher.ENCRYPT_MODE, iv, ad, adOff, adLen, len).doFinal(in, inOff, len, out, outOff);
        } catch (GeneralSecurityException e) {
            // Only a repeated key and nonce or a short output buffer get here: both are caller bugs.
            throw new IllegalStateException("AES-GCM seal failed", e);
        }
    }

    @Override
    public int open(final long counter, final byte[] ad, final int adOff, final int adLen,
                    final byte[] in, final int inOff, final int len, final byte[] out, final int outOff) {
        return open(nonceOf(counter), ad, adOff, adLen, in, inOff, len, out, outOff);
    }

    @Override
    public int openPacket(final int nonceByte, final long counter, final byte[] in, final int inOff, final int len,
                          final byte[] out, final int outOff) {
        return open(packetNonceOf(nonceByte, counter), in, 0, 0, in, inOff, len, out, outOff);
    }

    /** {@link #open} with any 96-bit nonce. */
    int open(final byte[] iv, final byte[] ad, final int adOff, final int adLen,
             final byte[] in, final int inOff, final int len, final byte[] out, final int outOff) {
        if (len < TAG_BYTES) {
            return -1;
        }
        try {
            return start(Cipher.DECRYPT_MODE, iv, ad, adOff, adLen, len).doFinal(in, inOff, len, out, outOff);
        } catch (AEADBadTagException e) {
            return -1;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM open failed", e);
        }
    }

    /** @return the {@code Cipher} initialised for one call on {@code len} input bytes, associated data given */
    private Cipher start(final int mode, final byte[] iv, final byte[] ad, final int adOff, final int adLen,
                         final int len) throws GeneralSecurityException {
        if (key == null) {
            throw new IllegalStateException("no key installed");
        }
        final Cipher c;
        if (sharesThreadCipher) {
            c = threadCipher(mode, iv);
        } else {
            c = len < SMALL_BYTES && smallProvider != provider ? smallCipher() : cipher();
            c.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
        }
        if (adLen > 0) {
            c.updateAAD(ad, adOff, adLen);
        }
        return c;
    }

    /** @return this instance's {@code Cipher} on {@link #provider}, made now if it has none */
    private Cipher cipher() {
        if (cipher == null) {
            cipher = AesGcmProvider.newCipher(provider);
        }
        return cipher;
    }

    /** @return this instance's {@code Cipher} on {@link #smallProvider}, made now if it has none */
    private Cipher smallCipher() {
        if (smallCipher == null) {
            smallCipher = AesGcmProvider.newCipher(smallProvider);
        }
        return smallCipher;
    }

    /**
     * This thread's {@code Cipher}, initialised for this call. The JDK refuses an encryption whose key and nonce
     * equal the previous encryption's on the same {@code Cipher}; with a {@code Cipher} per instance that could
     * only happen inside one {@link CipherState}, whose nonce only grows, but a shared one can meet the previous
     * handshake's key, which only fixed test keys repeat. Such a refusal gets a fresh {@code Cipher}, the one a
     * per-instance design would have used.
     */
    private Cipher threadCipher(final int mode, final byte[] iv) throws GeneralSecurityException {
        Cipher c = THREAD_CIPHER.get();
        try {
            c.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
        } catch (InvalidAlgorithmParameterException repeated) {
            c = AesGcmProvider.newCipher(provider);
            THREAD_CIPHER.set(c);
            c.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
        }
        return c;
    }

    /** Noise's AESGCM nonce: 32 zero bits, then the counter big-endian. */
    private byte[] nonceOf(final long counter) {
        return packetNonceOf(0, counter);
    }

    /** Noise's AESGCM nonce with its first byte set to {@code nonceByte}. */
    private byte[] packetNonceOf(final int nonceByte, final long counter) {
        nonce[0] = (byte) nonceByte;
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (counter >>> (56 - 8 * i));
        }
        return nonce;
    }
}
