/** The {@code shoal-bench} command ({@link io.shoal.bench.BenchMain}): {@code jmh}, {@code sim} and {@code loopback}. */
package io.shoal.bench;
