"""Benchmarks for kg: a seeded vault generator (:mod:`benchmarks.generate`) and the benchmark
script (:mod:`benchmarks.run`) that times kg against the read+regex floor. See the README."""
