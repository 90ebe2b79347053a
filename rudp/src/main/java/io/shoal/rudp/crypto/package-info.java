/**
 * Cryptography for the secure profile, on the BouncyCastle lightweight API: the Noise protocol framework (revision 34:
 * {@link io.shoal.rudp.crypto.CipherState}, {@link io.shoal.rudp.crypto.SymmetricState},
 * {@link io.shoal.rudp.crypto.HandshakeState}) with the patterns XX, IK, XXpsk3 and IKpsk2 over X25519,
 * ChaCha20-Poly1305 and BLAKE2s or SHA-256; static identities and the policies that decide which peer keys to trust.
 * Nothing here reads a clock or touches a socket; every object belongs to one thread.
 */
package io.shoal.rudp.crypto;
