package io.shoal.netem;

import io.shoal.peer.cli.CliPlugin;

/** Adds {@code netem} to the {@code shoal} command (registered in {@code META-INF/services}). */
public final class NetemCliPlugin implements CliPlugin {
    @Override
    public Object command() {
        return new NetemCommand();
    }
}
