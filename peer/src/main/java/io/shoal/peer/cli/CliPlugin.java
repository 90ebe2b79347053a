package io.shoal.peer.cli;

/**
 * A subcommand contributed by a module that depends on peer (peer cannot depend on it): found with
 * {@link java.util.ServiceLoader} through {@code META-INF/services/io.shoal.peer.cli.CliPlugin} and added to
 * {@code shoal} as a subcommand. The {@code shoal} launcher puts such modules on the class path.
 */
public interface CliPlugin {
    /** A new picocli command object (a class annotated with {@code @Command}, with a name). */
    Object command();
}
