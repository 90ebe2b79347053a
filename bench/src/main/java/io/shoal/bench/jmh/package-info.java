/**
 * JMH micro-benchmarks of the KCP engine: datagram decode/encode per segment and an in-memory engine pair's goodput.
 * Run with {@code bench/run jmh [pattern]}.
 */
package io.shoal.bench.jmh;
