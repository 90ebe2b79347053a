package io.shoal.netem.suite;

import javax.net.ssl.KeyManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway self-signed EC certificate for the QUIC comparison's server, made once per process with the JDK's own
 * {@code keytool} (no BouncyCastle PKIX, no deprecated {@code SelfSignedCertificate}); the client trusts any
 * certificate, so only the handshake's cost matters, not the name.
 */
final class QuicCertificate {
    static final String PASSWORD = "shoal-quic";
    private static KeyManagerFactory keys;

    private QuicCertificate() {
    }

    /** The server's key and certificate, generated on first use. */
    static synchronized KeyManagerFactory keyManagers() throws IOException, GeneralSecurityException,
        InterruptedException {
        if (keys == null) {
            Path dir = Files.createTempDirectory("shoal-quic");
            Path store = dir.resolve("server.p12");
            try {
                String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
                Process p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=localhost", "-validity", "2", "-storetype", "PKCS12",
                    "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD))
                    .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IOException("keytool failed: " + out.trim());
                }
                KeyStore ks = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(store)) {
                    ks.load(in, PASSWORD.toCharArray());
                }
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, PASSWORD.toCharArray());
                keys = kmf;
            } finally {
                Files.deleteIfExists(store);
                Files.deleteIfExists(dir);
            }
        }
        return keys;
    }
}
