package io.shoal.examples;

import io.shoal.rudp.session.RudpConfig;
import io.shoal.rudp.socket.RudpServerSocket;
import io.shoal.rudp.socket.RudpSocket;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Receives files on the blocking API: {@link RudpServerSocket#accept()} hands over each connection as a
 * {@link RudpSocket} with ordinary streams. Each connection carries a {@link FileHeader} and the file's bytes; the
 * receiver stores the file in its folder under the header's name, which must be a plain file name, so a sender can
 * never write anywhere else, prints the SHA-256 and sends it back so the sender can compare.
 *
 * <p>Run: {@code examples/run FileReceiver [PORT] [FOLDER]} (defaults 7002 and the current directory).
 */
public final class FileReceiver {
    private static final int COPY_BYTES = 64 * 1024;

    private FileReceiver() {
    }

    /**
     * What arrived.
     *
     * @param file where it was stored
     * @param lengthBytes its size
     * @param sha256 its SHA-256
     */
    public record Received(Path file, long lengthBytes, byte[] sha256) {
    }

    /** Binds a server socket for receivers; {@code config} should be in stream mode. */
    public static RudpServerSocket bind(final InetSocketAddress local, final RudpConfig config) throws IOException {
        return RudpServerSocket.bind(local, config);
    }

    /** Accepts the next connection and stores the one file it carries in {@code folder}. */
    public static Received receiveOne(final RudpServerSocket server, final Path folder) throws IOException {
        try (RudpSocket connection = server.accept()) {
            return receive(connection, folder);
        }
    }

    private static Received receive(final RudpSocket connection, final Path folder) throws IOException {
        connection.setSoTimeout(30_000); // a sender that goes quiet for 30 s is given up on
        final DataInputStream in = new DataInputStream(new BufferedInputStream(connection.getInputStream(),
                COPY_BYTES));
        final FileHeader header = FileHeader.readFrom(in); // the name is already known to be a plain file name
        final Path dir = folder.toAbsolutePath().normalize();
        final Path target = dir.resolve(header.name()).normalize();
        if (!dir.equals(target.getParent())) {
            throw new IOException("refused name " + header.name()); // belt and braces: FileHeader checked it
        }
        final MessageDigest sha = FileDigest.sha256();
        long left = header.lengthBytes();
        // NOFOLLOW_LINKS: a symbolic link already sitting in the folder must not redirect the write elsewhere.
        try (OutputStream file = Files.newOutputStream(target, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            final byte[] buf = new byte[COPY_BYTES];
            while (left > 0) {
                final int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                sha.update(buf, 0, n);
                file.write(buf, 0, n);
                left -= n;
            }
        }
        if (left > 0) {
            Files.deleteIfExists(target); // never leave a truncated file that looks complete
            throw new IOException("connection ended " + left + " bytes before the end of " + header.name());
        }
        final byte[] digest = sha.digest();
        connection.getOutputStream().write(digest); // the sender compares it with its own
        return new Received(target, header.lengthBytes(), digest);
    }

    public static void main(final String[] args) throws IOException {
        final int port = args.length > 0 ? Integer.parseInt(args[0]) : 7002;
        final Path folder = Path.of(args.length > 1 ? args[1] : ".");
        final RudpConfig config = ExampleSupport.serverConfig(true);
        try (RudpServerSocket server = bind(new InetSocketAddress(port), config)) {
            System.out.println("receiving into " + folder.toAbsolutePath().normalize() + " on "
                    + server.getLocalSocketAddress() + ", key " + config.identity().publicKey().toBase64());
            while (true) { // one file at a time, until the process is stopped
                try {
                    final Received r = receiveOne(server, folder);
                    System.out.println("received " + r.file().getFileName() + " (" + r.lengthBytes()
                            + " bytes) sha256 " + FileDigest.hex(r.sha256()));
                } catch (IOException e) {
                    System.err.println("transfer failed: " + e.getMessage());
                }
            }
        }
    }
}
