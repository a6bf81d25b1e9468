"""Demo data: the synthetic smuggling scenario generator with ground truth, and the
loader that ingests a scenario or the documented examples from their manifest."""
