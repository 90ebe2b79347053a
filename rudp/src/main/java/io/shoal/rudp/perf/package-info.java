/**
 * An iperf-like goodput test over the raw KCP profile: {@link io.shoal.rudp.perf.PerfServer} counts what its
 * application receives and reports it back; {@link io.shoal.rudp.perf.PerfClient} streams for a fixed time and
 * returns a {@link io.shoal.rudp.perf.PerfReport}. The control exchange is framed on the same KCP stream
 * ({@link io.shoal.rudp.perf.PerfWire}), so it works through any UDP relay.
 *
 * <p>Nothing in this package is null unless its Javadoc says so.
 */
package io.shoal.rudp.perf;
