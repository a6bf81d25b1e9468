"""Demo data: the synthetic smuggling scenario generator with ground truth
(:func:`generate`), the loader that ingests a scenario or the documented examples from
their manifest (:func:`ingest_examples`), and the summary `make demo` ends with
(:func:`summarise`)."""

from pinchpoint.demo.errors import ScenarioError
from pinchpoint.demo.examples import ingest_examples, load_manifest
from pinchpoint.demo.generate import generate
from pinchpoint.demo.summary import Summary, summarise

__all__ = [
    "ScenarioError",
    "Summary",
    "generate",
    "ingest_examples",
    "load_manifest",
    "summarise",
]
