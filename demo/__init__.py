"""A fictional province with realistic staff, dossiers and salary histories, for the demo
(``make run``), the benchmarks and the tests. Deterministic for a seed."""
