/**
 * Congestion control for the KCP engine: one {@link io.shoal.rudp.cc.CongestionController} per connection, chosen by
 * {@link io.shoal.rudp.cc.CongestionControl} and made by {@link io.shoal.rudp.cc.CongestionControllers#create}.
 *
 * <p>The engine calls the controller's hooks on its own thread (order and units in {@code CongestionController}),
 * reads {@code cwndSegments()} as the congestion window and spreads sends with a {@link io.shoal.rudp.cc.Pacer} at
 * {@code pacingRateBytesPerSecond()}. The engine fills one reused {@link io.shoal.rudp.cc.RateSample} per ACK from
 * its delivery-rate bookkeeping (draft-cheng-iccrg-delivery-rate-estimation).
 *
 * <p>Controllers shipped:
 * <ul>
 *   <li>{@code kcp}: {@link io.shoal.rudp.cc.KcpClassicController}, the exact window arithmetic of {@code ikcp.c};</li>
 *   <li>{@code none}: no window, no pacing (KCP's {@code nc = 1});</li>
 *   <li>{@code cubic}: CUBIC per RFC 9438 (C = 0.4, beta = 0.7, Reno-friendly region, fast convergence) with a
 *       HyStart++-style delay-based slow-start exit (RFC 9406) and a pacing rate;</li>
 *   <li>{@code bbr}: BBRv1-style (draft-cardwell-iccrg-bbr-congestion-control-00): windowed-max bottleneck bandwidth,
 *       windowed-min RTT, STARTUP, DRAIN, PROBE_BW and PROBE_RTT; random loss does not lower its rate.</li>
 * </ul>
 *
 * <p>No controller allocates on its hooks, throws on odd input, or reads a clock: time arrives as {@code nowNs}.
 */
package io.shoal.rudp.cc;
