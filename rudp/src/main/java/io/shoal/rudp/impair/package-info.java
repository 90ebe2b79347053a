/**
 * The impairment model shared by the simulator and the netem proxy: {@link io.shoal.rudp.impair.LinkModel} decides
 * each datagram's fate (loss, bottleneck queue, duplication, corruption, delay) for one direction of a link as its
 * immutable {@link io.shoal.rudp.impair.LinkConfig} says, counting every drop in {@link io.shoal.rudp.impair.LinkStats}.
 * It keeps no datagrams and reads no clock: the caller passes the time and schedules delivery, virtual
 * ({@code io.shoal.rudp.sim.SimPair}) or real ({@code io.shoal.netem}). Seeded, so one seed replays one run.
 *
 * <p>Nothing in this package is null unless its Javadoc says so.
 */
package io.shoal.rudp.impair;
