/**
 * The lossy-network suite: {@link io.shoal.netem.suite.LinkProfile}s (toxic lists applied through the
 * Toxiproxy-compatible API) crossed with {@link io.shoal.netem.suite.Workload}s, run one scenario at a time by
 * {@link io.shoal.netem.suite.ScenarioRunner} against a fresh in-process proxy server. JUnit runs it as
 * {@code NetemSuiteTest}; {@code shoal netem report} runs it through {@link io.shoal.netem.suite.SuiteReport}, which
 * writes a Markdown table, a CSV and PNG charts.
 */
package io.shoal.netem.suite;
