package io.shoal.rudp.crypto;

import org.bouncycastle.math.ec.rfc7748.X25519;

import java.security.SecureRandom;

/**
 * Fresh X25519 ephemeral key pairs for a responder, made {@link #BATCH} at a time per thread so the backend can share
 * one field inversion among the batch ({@link X25519Backend#scalarMultBaseBatch}; with libsodium a key then costs
 * about 31 us instead of 39, the inversion being 8 of them). Initiators make one key per handshake with
 * {@link X25519KeyPair#generate}: a batch would be waste for a client that handshakes once.
 *
 * <p>Why this is as safe as making each key when it is needed:
 * <ul>
 *   <li>Every key is handed out once: {@link #take} clears the slot it returns, and keys are never copied.</li>
 *   <li>Never shared across threads or handshakes: the pool is per thread ({@link ThreadLocal}) and a key leaves it
 *       for exactly one {@link HandshakeState}.</li>
 *   <li>Bounded: a thread holds at most {@link #BATCH} keys that are not yet used (32 bytes of private key each).</li>
 *   <li>Same randomness: each private key is drawn from the {@link SecureRandom} of the {@link #take} call that
 *       found the pool empty, the CSPRNG the handshake would have used; a call with a different
 *       {@code SecureRandom} discards the keys made from the previous one and makes a new batch from its own.</li>
 *   <li>The keys are independent: batching shares only the arithmetic of the public-key computation, whose
 *       result is the same bytes as one key at a time (tests compare them).</li>
 * </ul>
 * The only change is timing: a key exists in memory up to {@code BATCH - 1} handshakes before its use. Someone who
 * can read the process memory then learns those future ephemeral keys, but such a reader also has the static key
 * and the live sessions' keys, so this gives them nothing a memory read did not already give.
 */
final class EphemeralKeyPool {
    /** Keys made per batch: the inversion (8 us) spread over 16 keys costs 0.5 us each, plus 3 multiplications. */
    static final int BATCH = 16;

    private static final ThreadLocal<EphemeralKeyPool> PER_THREAD = ThreadLocal.withInitial(EphemeralKeyPool::new);

    private final X25519KeyPair[] keys = new X25519KeyPair[BATCH];
    private int next = BATCH;
    private SecureRandom source;

    /** @return a fresh key pair from this thread's pool, made from {@code random} */
    static X25519KeyPair take(final SecureRandom random) {
        return PER_THREAD.get().takeFrom(random);
    }

    /** @return this thread's pool (for tests) */
    static EphemeralKeyPool ofThisThread() {
        return PER_THREAD.get();
    }

    /** @return a key pair never handed out before, making a batch from {@code random} when needed */
    X25519KeyPair takeFrom(final SecureRandom random) {
        if (next == BATCH || random != source) {
            refill(random);
        }
        final X25519KeyPair k = keys[next];
        keys[next++] = null;
        return k;
    }

    /** @return how many keys this pool holds that are not yet handed out (at most {@link #BATCH}) */
    int held() {
        return BATCH - next;
    }

    private void refill(final SecureRandom random) {
        final byte[][] privateKeys = new byte[BATCH][X25519KeyPair.KEY_BYTES];
        final byte[][] publicKeys = new byte[BATCH][X25519KeyPair.KEY_BYTES];
        for (final byte[] k : privateKeys) {
            X25519.generatePrivateKey(random, k);
        }
        X25519Backend.active().scalarMultBaseBatch(privateKeys, publicKeys);
        for (int i = 0; i < BATCH; i++) {
            keys[i] = X25519KeyPair.ofComputed(privateKeys[i], publicKeys[i]);
        }
        next = 0;
        source = random;
    }
}
