/**
 * The {@code shoal} command line (picocli): {@link io.shoal.peer.cli.ShoalCli} and one class per command. Commands
 * print through picocli's {@code out}/{@code err} writers so tests can capture them; bad input is one line on
 * stderr with exit code 2, a failed run one line with exit code 1.
 *
 * <p>Nothing in this package is null unless its Javadoc says so.
 */
package io.shoal.peer.cli;
