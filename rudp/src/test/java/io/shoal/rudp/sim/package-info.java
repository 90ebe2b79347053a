/**
 * A deterministic network simulator in virtual time (STYLE.md 1.4 and 5.7), shipped in rudp's test-jar.
 *
 * <p>{@link io.shoal.rudp.impair.LinkModel} (rudp main code, shared with the netem proxy) impairs one direction of a
 * link as its {@link io.shoal.rudp.impair.LinkConfig} says; {@link io.shoal.rudp.sim.SimPair} connects two {@link io.shoal.rudp.sim.SimEndpoint}s with one link each way
 * on a {@link io.shoal.rudp.sim.VirtualClock}; {@link io.shoal.rudp.sim.KcpSimEndpoint} puts a
 * {@link io.shoal.rudp.kcp.KcpEngine} on it. Every random choice comes from the scenario seed
 * ({@link io.shoal.rudp.sim.SimSeeds}), so one seed replays one run exactly. Nothing here depends on JUnit except
 * {@link io.shoal.rudp.sim.SeedWatcher}, so benchmarks can use the simulator without a test framework.
 */
package io.shoal.rudp.sim;
