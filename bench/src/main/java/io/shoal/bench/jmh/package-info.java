/**
 * JMH micro-benchmarks of the KCP segment codec, datagram input through the engine, and an in-memory engine pair.
 * Run with {@code bench/run jmh [pattern]}.
 */
package io.shoal.bench.jmh;
